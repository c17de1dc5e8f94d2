"""ieum (이음): align Korean news articles with their English translations, sentence by sentence.

python/ieum/__init__.py: the Python face of the binding. The work is done by the C library libieum
through the extension module ieum._ieum (python/ieum/_ieum.c), with the GIL released; this file
names the functions and their keywords, and turns the tuples the extension returns into the record
types below. Not here: any alignment, parsing or storage logic (all of it is libieum's).

    >>> import ieum
    >>> for bead in ieum.align(ko_text, en_text):
    ...     print(bead.kind, bead.score, bead.src, bead.tgt)

Text goes in as str (or bytes, decoded as ieum decodes files: BOM, `encoding`, detection) and
comes out as str. Failures of the library raise ieum.Error, whose str() is ieum's one-line
message and whose .code is its IEUM_E* code (ieum.EINVAL, ieum.ENOTFOUND, ...).
"""
from __future__ import annotations

import warnings
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple, Union

from . import _ieum
from ._ieum import (EDB, EENCODING, EEXISTS, EINVAL, EIO, ELIMIT, ENOMEM, ENOTFOUND, EPARSE, ERROR, OK,
                    Error, versions)

__version__ = _ieum.__version__
__all__ = ['align', 'segment', 'extract', 'TM', 'Bead', 'Segment', 'Article', 'Unit', 'Match', 'Error',
           'PairWarning', 'versions', 'OK', 'ERROR', 'ENOMEM', 'EIO', 'EENCODING', 'EPARSE', 'EDB',
           'ENOTFOUND', 'EINVAL', 'ELIMIT', 'EEXISTS']

Text = Union[str, bytes]


class PairWarning(UserWarning):
    """align(..., force=True) kept a pair that ieum's pair check refuses (the message says why)."""


class Bead(NamedTuple):
    """One bead of an alignment: 0..3 source sentences paired with 0..3 target sentences."""
    src_indices: Tuple[int, ...]  # 0-based indices of the source sentences (segments)
    tgt_indices: Tuple[int, ...]  # 0-based indices of the target sentences
    src: str                      # the source sentences joined by one space ('' for a 0-1 bead)
    tgt: str                      # the target sentences joined by one space ('' for a 1-0 bead)
    score: float                  # confidence that the bead is right, in [0, 1] (its posterior, calibrated on the dev set: align/calib.c)
    kind: str                     # "1-1", "1-2", "2-1", "2-2", "1-3", "3-1", "1-0" or "0-1"
    role: str                     # "body", "headline", "byline", "caption", "credit", "dateline", ...


class Segment(NamedTuple):
    """One segment (sentence) of a text."""
    text: str
    start: int       # character offsets [start, end) in the text segmented (decoded, NFC, "\n" line
    end: int         # ends; for an HTML page: its article text, headline first)
    paragraph: int   # 0-based paragraph index
    role: str        # as Bead.role


class Article(NamedTuple):
    """The article of a news page: its text (paragraphs separated by a blank line) and metadata."""
    text: str
    meta: Dict[str, str]  # "headline", "byline", "date", "url", "lang": those the page has

    @property
    def headline(self) -> Optional[str]:
        return self.meta.get('headline')

    @property
    def byline(self) -> Optional[str]:
        return self.meta.get('byline')

    @property
    def date(self) -> Optional[str]:
        return self.meta.get('date')

    @property
    def url(self) -> Optional[str]:
        return self.meta.get('url')

    @property
    def lang(self) -> Optional[str]:
        return self.meta.get('lang')


class Unit(NamedTuple):
    """A translation unit of a TM."""
    id: int
    src: str
    tgt: str
    src_lang: Optional[str]
    tgt_lang: Optional[str]
    score: Optional[float]   # alignment confidence in [0, 1]; None when unknown
    bead: Optional[str]
    document: Optional[str]  # where the unit comes from ("ko.txt|en.txt", a TMX file, add()'s document)
    position: Optional[int]  # index of the unit in its document; None when unknown
    created: int             # seconds since the Unix epoch (UTC)
    note: Optional[str]
    role: Optional[str]


class Match(NamedTuple):
    """A fuzzy match of TM.search(): the CAT match percentage and the unit."""
    score: int   # 0-100; 100 only for a byte-identical source
    unit: Unit


def align(src: Text, tgt: Text, *, src_lang: str = 'ko', tgt_lang: str = 'en', kind: str = 'auto',
          paragraphs: str = 'auto', ratio: float = 0.0, min_score: float = 0.0, force: bool = False,
          dicts: Sequence[str] = (), tm: Optional[str] = None, threads: int = 0,
          encoding: Optional[str] = None, src_name: str = 'source', tgt_name: str = 'target',
          srx: Optional[str] = None) -> List[Bead]:
    """Aligns a text with its translation as `ieum align` aligns two files; returns the beads in order.

    kind: 'auto' (an HTML page by its content, else text), 'text', 'html' (the article of a saved
    news page, its headline aligned first) or 'presegmented' (one sentence per line).
    paragraphs: 'auto', 'line' or 'blank' (see ieum-align(1)). ratio: the target/source length
    ratio (0: estimated from the pair). min_score: leave out beads scoring lower. dicts: hunalign
    dictionaries ('english @ korean' lines) added to the built-in lexicon; tm: a TM whose learned
    word pairs join it. threads: 0 = what the machine allows (at most 2), 1 = this thread only (use
    1 when running alignments in parallel). encoding: of bytes input (default: detected). srx: an
    SRX 2.0 file whose rules segment both sides instead of the built-in ones.
    A pair that is not a translation pair (same text on both sides, a side not in its language, a
    swapped pair, sides that are not translations of each other) raises ieum.Error (code EINVAL),
    naming src_name and tgt_name; with force=True it is aligned with a PairWarning instead.
    """
    if isinstance(dicts, (str, bytes)):
        raise TypeError('dicts must be a list of paths, not one path')
    beads, warning = _ieum._align(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang, kind=kind,
                                  paragraphs=paragraphs, ratio=float(ratio), min_score=float(min_score),
                                  force=bool(force), dicts=list(dicts), tm=tm, threads=int(threads),
                                  encoding=encoding, src_name=src_name, tgt_name=tgt_name, srx=srx)
    if warning:
        warnings.warn(warning, PairWarning, stacklevel=2)
    return [Bead(*b) for b in beads]


def segment(text: Text, lang: str = 'und', *, kind: str = 'auto', paragraphs: str = 'auto',
            keep_furniture: bool = False, srx: Optional[str] = None, encoding: Optional[str] = None,
            name: str = 'text') -> List[Segment]:
    """Splits a text (or an HTML page's article) into sentences, as `ieum segment` does.

    lang: BCP 47 tag ('ko', 'en'). kind and paragraphs: as align(). keep_furniture: keep a scraped
    page's menus, share buttons and date lines as segments with their role. srx: an SRX 2.0 file
    whose rules replace the built-in ones. name: names the text in error messages.
    """
    return [Segment(*s) for s in _ieum._segment(text, lang, kind=kind, paragraphs=paragraphs,
                                                 keep_furniture=bool(keep_furniture), srx=srx,
                                                 encoding=encoding, name=name)]


def extract(html: Text, *, encoding: Optional[str] = None, name: str = 'page') -> Article:
    """The article of a saved news page: its body text and its headline, byline, date, URL, language.

    A page with no article text raises ieum.Error (EINVAL); bytes are decoded by the page's BOM,
    `encoding`, its <meta charset>, then detection.
    """
    text, meta = _ieum._extract(html, encoding=encoding, name=name)
    return Article(text, meta)


def _unit_args(unit: Union[Unit, Tuple, Dict], src_lang: str, tgt_lang: str) -> tuple:
    # One unit for TM._add: (src, tgt, src_lang, tgt_lang, score, bead, role, note).
    if isinstance(unit, Unit):
        return (unit.src, unit.tgt, unit.src_lang or src_lang, unit.tgt_lang or tgt_lang, unit.score, unit.bead,
                unit.role, unit.note)
    if isinstance(unit, Bead):
        return (unit.src, unit.tgt, src_lang, tgt_lang, unit.score, unit.kind, unit.role, None)
    if isinstance(unit, dict):
        return (unit['src'], unit['tgt'], unit.get('src_lang') or src_lang, unit.get('tgt_lang') or tgt_lang,
                unit.get('score'), unit.get('bead'), unit.get('role'), unit.get('note'))
    src, tgt = unit
    return (src, tgt, src_lang, tgt_lang, None, None, None, None)


class TM(_ieum._TM):
    """An ieum translation memory (a SQLite file), as `ieum tm` uses it.

    TM(path, mode='c'): 'r' read-only, 'w' read-write (must exist), 'c' read-write, created when
    missing. Use it as a context manager, or call close(). One handle may be shared by threads
    (calls on it take turns); searches run with the GIL released.
    """

    def __enter__(self) -> 'TM':
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def search(self, text: str, *, min_score: int = 70, limit: int = 10, exhaustive: bool = False) -> List[Match]:
        """Fuzzy matches of `text` among the units' sources, best first, with CAT match percentages."""
        return [Match(score, Unit(*u)) for score, u in self._search(text, min_score=min_score, limit=limit,
                                                                    exhaustive=exhaustive)]

    def concordance(self, *words: str, limit: int = 0) -> List[Unit]:
        """Every unit whose source or target holds each of `words` (ASCII case folded); limit 0 = all."""
        return [Unit(*u) for u in self._concordance(list(words), limit=limit)]

    def add(self, src: Union[str, Unit, Bead], tgt: Optional[str] = None, *, src_lang: str = 'ko',
            tgt_lang: str = 'en', score: Optional[float] = None, bead: Optional[str] = None,
            role: Optional[str] = None, note: Optional[str] = None, document: str = 'python') -> bool:
        """Adds one unit (src and tgt texts, or a Unit or Bead) in a transaction of its own.

        Units of the binding belong to the TM document named `document`. A unit whose texts and
        languages the TM already holds is not added again: returns False then, True when added.
        """
        if tgt is None:
            args = _unit_args(src, src_lang, tgt_lang)
        else:
            args = (src, tgt, src_lang, tgt_lang, score, bead, role, note)
        return self._add([args], document) == 1

    def add_many(self, units: Iterable[Union[Unit, Bead, Tuple[str, str], Dict]], *, src_lang: str = 'ko',
                 tgt_lang: str = 'en', document: str = 'python') -> int:
        """Adds units ((src, tgt) pairs, Units, Beads or dicts) in one transaction; returns how many went in.

        Beads without both sides (1-0, 0-1) are left out, as `ieum align --tm` leaves them out.
        """
        return self._add([_unit_args(u, src_lang, tgt_lang) for u in units
                          if not (isinstance(u, Bead) and not (u.src_indices and u.tgt_indices))], document)

    def export(self, path: str, *, format: str = 'tmx', src_lang: Optional[str] = None,
               tgt_lang: Optional[str] = None, roles: Optional[str] = None, plain_tags: bool = False) -> int:
        """Writes the TM's units to `path` as `ieum tm export` does; returns the number written.

        format: 'tmx' (TMX 1.4b), 'tsv', 'jsonl', 'xliff' or 'moses' (path is then a prefix).
        src_lang/tgt_lang: the language pair written (default ko -> en). roles: 'body,headline'
        (default), 'all', ... The file is written whole or not at all.
        """
        written, _, _ = self._export(path, format=format, src_lang=src_lang, tgt_lang=tgt_lang, roles=roles,
                                     plain_tags=bool(plain_tags))
        return written
