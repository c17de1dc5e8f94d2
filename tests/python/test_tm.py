"""tests/python/test_tm.py: ieum.TM: open modes, add, search, concordance, export, stats, close, errors."""
import json
import sqlite3
import xml.etree.ElementTree as ET

import pytest

import ieum
from conftest import EN_LINES, KO_LINES


@pytest.fixture
def tm_path(tmp_path, ko, en):
    path = str(tmp_path / 'news.db')
    with ieum.TM(path) as tm:
        assert tm.add_many(ieum.align(ko, en), document='robots') == len(KO_LINES)
    return path


def test_add_one_unit_and_its_duplicate(tmp_path):
    with ieum.TM(str(tmp_path / 'a.db')) as tm:
        assert tm.add('서울은 한국의 수도다.', 'Seoul is the capital of Korea.', score=0.9, note='from a test')
        assert not tm.add('서울은 한국의 수도다.', 'Seoul is the capital of Korea.')
        assert tm.add('서울은 한국의 수도다.', 'Seoul is the capital of South Korea.')
        assert tm.stats()['units'] == 2
        unit = tm.concordance('capital of Korea')[0]
        assert (unit.src_lang, unit.tgt_lang, unit.score, unit.note, unit.document) == \
            ('ko-KR', 'en-US', 0.9, 'from a test', 'python')
        assert tm.add(unit._replace(tgt='Seoul is the Korean capital.'))
        assert tm.add({'src': '부산', 'tgt': 'Busan', 'role': 'headline'})


def test_add_checks_its_units(tmp_path):
    with ieum.TM(str(tmp_path / 'a.db')) as tm:
        with pytest.raises(ieum.Error) as e:
            tm.add('', '')
        assert e.value.code == ieum.EINVAL
        with pytest.raises(ValueError, match='score'):
            tm.add('가', 'a', score=2)
        with pytest.raises(ValueError, match='role'):
            tm.add('가', 'a', role='sidebar')
        with pytest.raises(ValueError):
            tm.add('가', 'a', tgt_lang='english please')
        assert tm.stats()['units'] == 0  # nothing half-written


def test_search_gives_cat_match_percentages(tm_path):
    with ieum.TM(tm_path, 'r') as tm:
        exact = tm.search(KO_LINES[2])
        assert exact[0].score == 100 and exact[0].unit.tgt == EN_LINES[2]
        assert isinstance(exact[0], ieum.Match) and isinstance(exact[0].unit, ieum.Unit)
        fuzzy = tm.search('이 로봇은 하루에 책 3천 권을 분류할 수 있다.')
        assert fuzzy and 70 <= fuzzy[0].score < 100 and fuzzy[0].unit.src == KO_LINES[2]
        assert tm.search('전혀 관계없는 문장입니다 정말로.', min_score=90) == []
        assert len(tm.search(KO_LINES[3], min_score=0, limit=2)) <= 2
        with pytest.raises(ValueError):
            tm.search('x', min_score=101)


def test_concordance(tm_path):
    with ieum.TM(tm_path, 'r') as tm:
        hits = tm.concordance('로봇')
        assert {u.src for u in hits} == {s for s in KO_LINES if '로봇' in s}
        assert [u.tgt for u in tm.concordance('ROBOT', 'korean')] == [EN_LINES[8]]
        assert len(tm.concordance('로봇', limit=1)) == 1
        with pytest.raises(ieum.Error) as e:
            tm.concordance()
        assert e.value.code == ieum.EINVAL


def test_export_tmx_and_jsonl(tm_path, tmp_path):
    with ieum.TM(tm_path, 'r') as tm:
        out = tmp_path / 'out.tmx'
        assert tm.export(str(out)) == len(KO_LINES)
        tus = ET.parse(out).getroot().findall('./body/tu')
        assert len(tus) == len(KO_LINES)
        lang = '{http://www.w3.org/XML/1998/namespace}lang'
        assert [tuv.get(lang) for tuv in tus[1].findall('tuv')] == ['ko-KR', 'en-US']
        assert tus[1].find("./tuv[2]/seg").text == EN_LINES[1]
        assert tm.export(str(tmp_path / 'body.jsonl'), format='jsonl', roles='body') == len(KO_LINES) - 1
        rows = [json.loads(l) for l in (tmp_path / 'body.jsonl').read_text(encoding='utf-8').splitlines()]
        assert rows[0]['src'] == KO_LINES[1] and rows[0]['role'] == 'body'
        with pytest.raises(ValueError):
            tm.export(str(tmp_path / 'x'), format='docx')
        with pytest.raises(ieum.Error) as e:
            tm.export(str(tmp_path / 'no' / 'such' / 'dir.tmx'))
        assert e.value.code == ieum.EIO


def test_modes_and_open_errors(tmp_path, tm_path):
    with pytest.raises(ieum.Error) as e:
        ieum.TM(str(tmp_path / 'missing.db'), 'r')
    assert e.value.code == ieum.ENOTFOUND and 'missing.db' in str(e.value)
    with pytest.raises(ValueError, match='mode'):
        ieum.TM(tm_path, 'x')
    junk = tmp_path / 'junk.db'
    junk.write_bytes(b'this is not a database, just text\n' * 100)
    with pytest.raises(ieum.Error) as e:
        ieum.TM(str(junk))
    assert e.value.code == ieum.EDB
    with ieum.TM(tm_path, 'r') as tm:
        with pytest.raises(ieum.Error):
            tm.add('가', 'a')
    stats = ieum.TM(tm_path, 'w').stats()
    assert stats['documents'] == 1 and stats['units'] == len(KO_LINES)
    assert stats['language_pairs'] == [('ko-KR', 'en-US', len(KO_LINES))]


def test_close_and_context_manager(tm_path):
    tm = ieum.TM(tm_path)
    with tm as same:
        assert same is tm and not tm.closed
    assert tm.closed
    tm.close()  # twice is fine
    with pytest.raises(ValueError, match='closed'):
        tm.search('로봇')
    # the file is a plain SQLite database that other tools read
    with sqlite3.connect(tm_path) as db:
        assert db.execute('SELECT count(*) FROM units').fetchone()[0] == len(KO_LINES)
