# python/ieum/__init__.pyi: type hints of the ieum package (python/ieum/__init__.py), for type checkers.
# The signatures only; what each call does is in __init__.py's docstrings.
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple, Union

Text = Union[str, bytes]
__version__: str
OK: int
ERROR: int
ENOMEM: int
EIO: int
EENCODING: int
EPARSE: int
EDB: int
ENOTFOUND: int
EINVAL: int
ELIMIT: int
EEXISTS: int

class Error(Exception):
    code: int
    message: str

class PairWarning(UserWarning): ...

class Bead(NamedTuple):
    src_indices: Tuple[int, ...]
    tgt_indices: Tuple[int, ...]
    src: str
    tgt: str
    score: float
    kind: str
    role: str

class Segment(NamedTuple):
    text: str
    start: int
    end: int
    paragraph: int
    role: str

class Article(NamedTuple):
    text: str
    meta: Dict[str, str]
    @property
    def headline(self) -> Optional[str]: ...
    @property
    def byline(self) -> Optional[str]: ...
    @property
    def date(self) -> Optional[str]: ...
    @property
    def url(self) -> Optional[str]: ...
    @property
    def lang(self) -> Optional[str]: ...

class Unit(NamedTuple):
    id: int
    src: str
    tgt: str
    src_lang: Optional[str]
    tgt_lang: Optional[str]
    score: Optional[float]
    bead: Optional[str]
    document: Optional[str]
    position: Optional[int]
    created: int
    note: Optional[str]
    role: Optional[str]

class Match(NamedTuple):
    score: int
    unit: Unit

def versions() -> Dict[str, str]: ...
def align(src: Text, tgt: Text, *, src_lang: str = ..., tgt_lang: str = ..., kind: str = ...,
          paragraphs: str = ..., ratio: float = ..., min_score: float = ..., force: bool = ...,
          dicts: Sequence[str] = ..., tm: Optional[str] = ..., threads: int = ...,
          encoding: Optional[str] = ..., src_name: str = ..., tgt_name: str = ...,
          srx: Optional[str] = ...) -> List[Bead]: ...
def segment(text: Text, lang: str = ..., *, kind: str = ..., paragraphs: str = ..., keep_furniture: bool = ...,
            srx: Optional[str] = ..., encoding: Optional[str] = ..., name: str = ...) -> List[Segment]: ...
def extract(html: Text, *, encoding: Optional[str] = ..., name: str = ...) -> Article: ...

class TM:
    closed: bool
    def __init__(self, path: str, mode: str = ...) -> None: ...
    def __enter__(self) -> 'TM': ...
    def __exit__(self, *exc: object) -> None: ...
    def close(self) -> None: ...
    def search(self, text: str, *, min_score: int = ..., limit: int = ..., exhaustive: bool = ...) -> List[Match]: ...
    def concordance(self, *words: str, limit: int = ...) -> List[Unit]: ...
    def add(self, src: Union[str, Unit, Bead], tgt: Optional[str] = ..., *, src_lang: str = ..., tgt_lang: str = ...,
            score: Optional[float] = ..., bead: Optional[str] = ..., role: Optional[str] = ..., note: Optional[str] = ...,
            document: str = ...) -> bool: ...
    def add_many(self, units: Iterable[Union[Unit, Bead, Tuple[str, str], Dict[str, object]]], *, src_lang: str = ...,
                 tgt_lang: str = ..., document: str = ...) -> int: ...
    def export(self, path: str, *, format: str = ..., src_lang: Optional[str] = ..., tgt_lang: Optional[str] = ...,
               roles: Optional[str] = ..., plain_tags: bool = ...) -> int: ...
    def stats(self) -> Dict[str, object]: ...
