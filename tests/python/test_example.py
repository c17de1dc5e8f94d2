"""tests/python/test_example.py: examples/python/corpus.py runs: a folder of pairs becomes JSONL,
a refused pair is reported and the exit status says so."""
import json
import os
import subprocess
import sys

from conftest import EN_LINES, KO, EN, KO_LINES, page


def test_corpus_example(tmp_path, source_root):
    folder = tmp_path / 'articles'
    folder.mkdir()
    (folder / 'robots.ko.txt').write_bytes(KO.encode('euc-kr'))
    (folder / 'robots.en.txt').write_text(EN, encoding='utf-8')
    (folder / 'page.ko.html').write_text(page(KO_LINES, 'ko'), encoding='utf-8')
    (folder / 'page.en.html').write_text(page(EN_LINES, 'en'), encoding='utf-8')
    (folder / 'copy.ko.txt').write_text(KO, encoding='utf-8')
    (folder / 'copy.en.txt').write_text(KO, encoding='utf-8')
    (folder / 'alone.ko.txt').write_text(KO, encoding='utf-8')
    out = tmp_path / 'corpus.jsonl'
    r = subprocess.run([sys.executable, os.path.join(source_root, 'examples', 'python', 'corpus.py'), str(folder),
                        '-o', str(out), '--jobs', '2'], capture_output=True, text=True, env=os.environ)
    assert r.returncode == 1, r.stderr
    assert 'copy: copy.ko + copy.en: the two files hold the same text' in r.stderr
    rows = [json.loads(line) for line in out.read_text(encoding='utf-8').splitlines()]
    assert [row['doc'] for row in rows] == ['page'] * 10 + ['robots'] * 10
    assert [row['en'] for row in rows[10:]] == EN_LINES and [row['ko'] for row in rows[:10]] == KO_LINES
    assert rows[0]['role'] == 'headline' and rows[0]['id'] == 'page:0' and all(r['score'] >= 0.5 for r in rows)
    assert '20 sentence pairs from 2 of 3 article pairs' in r.stderr
