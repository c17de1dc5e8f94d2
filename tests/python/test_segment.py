"""tests/python/test_segment.py: ieum.segment(): sentences, offsets, roles, options, errors."""
import pytest

import ieum
from conftest import EN_LINES, KO_LINES


def test_segment_english_with_offsets(en):
    segs = ieum.segment(en, 'en')
    assert [s.text for s in segs] == EN_LINES
    assert all(en[s.start:s.end] == s.text for s in segs)
    assert segs[0].role == 'headline' and segs[0].paragraph == 0 and segs[1].paragraph == 1


def test_segment_korean_offsets_count_characters(ko):
    segs = ieum.segment(ko, 'ko')
    assert [s.text for s in segs] == KO_LINES
    assert all(ko[s.start:s.end] == s.text for s in segs)  # code points, not UTF-8 bytes


def test_segment_sentences_of_one_paragraph():
    segs = ieum.segment('Mr. Kim arrived at 9 a.m. on Monday. He left at noon. The U.S. embassy was closed.', 'en',
                        paragraphs='line')
    assert [s.text for s in segs] == ['Mr. Kim arrived at 9 a.m. on Monday.', 'He left at noon.',
                                      'The U.S. embassy was closed.']
    assert {s.paragraph for s in segs} == {0}


def test_segment_presegmented_and_bytes():
    text = '첫째 줄이다. 둘째 문장도 여기 있다.\n셋째 줄\n'
    assert [s.text for s in ieum.segment(text, 'ko', kind='presegmented')] == ['첫째 줄이다. 둘째 문장도 여기 있다.', '셋째 줄']
    assert [s.text for s in ieum.segment(text.encode('euc-kr'), 'ko', kind='presegmented')] == \
        ['첫째 줄이다. 둘째 문장도 여기 있다.', '셋째 줄']


def test_segment_html_page_gives_its_article(en_html):
    segs = ieum.segment(en_html, 'en')
    assert [s.text for s in segs] == EN_LINES


def test_segment_with_srx_rules(tmp_path):
    srx = tmp_path / 'rules.srx'
    srx.write_text('''<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
<header segmentsubflows="yes" cascade="no"/>
<body><languagerules><languagerule languagerulename="Default">
<rule break="yes"><beforebreak>;</beforebreak><afterbreak>\\s</afterbreak></rule>
</languagerule></languagerules>
<maprules><languagemap languagepattern=".*" languagerulename="Default"/></maprules></body></srx>
''', encoding='utf-8')
    segs = ieum.segment('one; two; three', 'en', srx=str(srx))
    assert [s.text for s in segs] == ['one;', 'two;', 'three']
    beads = ieum.align('하나; 둘; 셋', 'one; two; three', srx=str(srx))
    assert [(b.src, b.tgt) for b in beads] == [('하나;', 'one;'), ('둘;', 'two;'), ('셋', 'three')]
    with pytest.raises(ieum.Error) as e:
        ieum.segment('one; two', 'en', srx=str(tmp_path / 'none.srx'))
    assert 'none.srx' in str(e.value)
    with pytest.raises(ieum.Error, match='none.srx'):
        ieum.align('하나; 둘', 'one; two', srx=str(tmp_path / 'none.srx'))


def test_segment_errors():
    with pytest.raises(ieum.Error, match='notes.txt: is empty'):
        ieum.segment('', 'en', name='notes.txt')
    with pytest.raises(ValueError):
        ieum.segment('Some text.', 'not a tag')
    with pytest.raises(ieum.Error) as e:
        ieum.segment(b'PK\x03\x04' + b'\x00' * 40, 'en')
    assert e.value.code == ieum.EENCODING
