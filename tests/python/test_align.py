"""tests/python/test_align.py: ieum.align(): beads of a translation pair, its options, its errors."""
import warnings

import pytest

import ieum
from conftest import EN_LINES, KO_LINES


def test_align_pairs_every_sentence_in_order(ko, en):
    beads = ieum.align(ko, en)
    assert [b.kind for b in beads] == ['1-1'] * len(KO_LINES)
    assert [b.src for b in beads] == KO_LINES
    assert [b.tgt for b in beads] == EN_LINES
    assert [b.src_indices for b in beads] == [(i,) for i in range(len(KO_LINES))]
    assert [b.tgt_indices for b in beads] == [(i,) for i in range(len(EN_LINES))]
    assert all(isinstance(b, ieum.Bead) and 0.9 <= b.score <= 1.0 for b in beads)
    assert beads[0].role == 'headline' and {b.role for b in beads[1:]} == {'body'}


def test_align_two_to_one_bead(ko, en):
    # the English splits sentence 3 in two: a 1-2 bead, indices on the target side shift
    en2 = en.replace('The robot can sort 2,000 books a day.', 'The robot can sort books. It handles 2,000 a day.')
    beads = ieum.align(ko, en2)
    split = [b for b in beads if b.kind == '1-2']
    assert len(split) == 1 and split[0].src_indices == (2,) and split[0].tgt_indices == (2, 3)
    assert split[0].tgt == 'The robot can sort books. It handles 2,000 a day.'
    assert beads[-1].tgt_indices == (len(EN_LINES),)


def test_align_bytes_in_a_legacy_encoding_equal_str(ko, en):
    from_str = ieum.align(ko, en)
    assert ieum.align(ko.encode('euc-kr'), en.encode('ascii')) == from_str
    assert ieum.align(ko.encode('cp949'), en.encode(), encoding=None) == from_str


def test_align_html_pages(ko_html, en_html):
    beads = ieum.align(ko_html, en_html)
    assert beads[0].role == 'headline' and beads[0].src == KO_LINES[0] and beads[0].tgt == EN_LINES[0]
    assert [b.tgt for b in beads] == EN_LINES
    assert not any('Most read' in b.tgt or 'Copyright' in b.tgt for b in beads)
    # kind='html' says what 'auto' found by the pages' content
    assert ieum.align(ko_html, en_html, kind='html') == beads


def test_align_presegmented_and_min_score(ko, en):
    pre = ieum.align('\n'.join(KO_LINES), '\n'.join(EN_LINES), kind='presegmented')
    assert len(pre) == len(KO_LINES)
    # an added Korean sentence the English lacks: the beads around it are unsure, and min_score leaves them out
    ko2 = ko.replace('로봇은 국내 기업', '이번 사업은 시민 공모로 정해졌다.\n로봇은 국내 기업')
    beads = ieum.align(ko2, en)
    assert sum(len(b.src_indices) for b in beads) == len(KO_LINES) + 1
    kept = ieum.align(ko2, en, min_score=0.9)
    assert all(b.score >= 0.9 for b in kept) and kept == [b for b in beads if b.score >= 0.9]
    assert len(kept) < len(beads)


def test_align_options_are_checked(ko, en):
    with pytest.raises(ValueError, match='kind'):
        ieum.align(ko, en, kind='pdf')
    with pytest.raises(ValueError, match='paragraphs'):
        ieum.align(ko, en, paragraphs='some')
    with pytest.raises(ValueError, match='src_lang'):
        ieum.align(ko, en, src_lang='xx-bogus')
    with pytest.raises(ValueError, match='ratio'):
        ieum.align(ko, en, ratio=1000)
    with pytest.raises(TypeError):
        ieum.align(ko, 42)
    with pytest.raises(TypeError):
        ieum.align(ko, en, dicts='one.dict')
    with pytest.raises(UnicodeEncodeError):
        ieum.align('\ud800 lone surrogate', en)


def test_align_refuses_what_is_no_translation_pair(ko, en):
    with pytest.raises(ieum.Error) as e:
        ieum.align(ko, ko, src_name='ko.txt', tgt_name='copy.txt')
    assert e.value.code == ieum.EINVAL and isinstance(e.value, Exception)
    assert str(e.value).startswith('ko.txt + copy.txt: the two files hold the same text')
    assert e.value.message == str(e.value)
    with pytest.raises(ieum.Error, match='looks swapped'):
        ieum.align(en, ko)


def test_align_force_keeps_a_refused_pair_with_a_warning(en, ko):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        beads = ieum.align(en, ko, force=True)
    assert beads and len(caught) == 1 and issubclass(caught[0].category, ieum.PairWarning)
    assert 'looks swapped' in str(caught[0].message)


def test_align_input_errors(ko, en):
    with pytest.raises(ieum.Error, match='source: is empty') as e:
        ieum.align('', en)
    assert e.value.code == ieum.EINVAL
    with pytest.raises(ieum.Error, match='target: holds no text'):
        ieum.align(ko, ' \n\t\n')
    with pytest.raises(ieum.Error) as e:
        ieum.align(b'\xff\xfe\xfd not text' * 3, en.encode(), encoding='UTF-8')
    assert e.value.code == ieum.EENCODING and 'source' in str(e.value)


def test_align_dictionary_and_its_errors(ko, en, tmp_path):
    d = tmp_path / 'news.dict'
    d.write_text('robot @ 로봇\nlibrary @ 도서관\n', encoding='utf-8')
    assert [b.tgt for b in ieum.align(ko, en, dicts=[str(d)])] == EN_LINES
    with pytest.raises(ieum.Error) as e:
        ieum.align(ko, en, dicts=[str(tmp_path / 'missing.dict')])
    assert e.value.code == ieum.ENOTFOUND and 'missing.dict' in str(e.value)
    bad = tmp_path / 'bad.dict'
    bad.write_text('no separator here\n', encoding='utf-8')
    with pytest.raises(ieum.Error, match='bad.dict:1') as e:
        ieum.align(ko, en, dicts=[str(bad)])
    assert e.value.code == ieum.EPARSE


def test_align_with_a_tm_lexicon(ko, en, tmp_path):
    path = str(tmp_path / 'lex.db')
    with ieum.TM(path) as tm:
        tm.add_many(ieum.align(ko, en))
    assert [b.tgt for b in ieum.align(ko, en, tm=path)] == EN_LINES
    with pytest.raises(ieum.Error) as e:
        ieum.align(ko, en, tm=str(tmp_path / 'none.db'))
    assert e.value.code == ieum.ENOTFOUND


def test_versions():
    v = ieum.versions()
    assert v['ieum'] == ieum.__version__ and set(v) == {'ieum', 'ICU', 'SQLite', 'libxml2'}
