#!/usr/bin/env python3
"""tests/tm_backends.py: the commands that take a TM, on an SQLite file and on PostgreSQL, give the same.

Usage: tm_backends.py IEUM DATA_DIR EXAMPLES_DIR [POSTGRESQL_URI]
Without a URI only the SQLite side runs (every check that needs PostgreSQL is skipped); with one
(tests/pg_cluster.py gives it) each check runs on both and their results are compared:
ieum align --tm and ieum batch --tm (the same units), batch resumed (nothing added twice), three
batch processes writing into one TM at once (every pair once, no unit lost or doubled), tm search
(the same matches with the same percentages), tm concordance, tm stats, tm export (TMX units and
JSONL equal), tm import, tm copy SQLite -> PostgreSQL -> SQLite (the same TM back), and the one-line
error of what the PostgreSQL backend does not do (merge).  The fixtures are the batch pairs of
tests/data/batch and the example pair, plus variants of them made in the temporary folder (an extra
numbered sentence pair each, so each is a pair of its own).  Prints TAP.
"""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

IEUM, DATA, EXAMPLES = sys.argv[1:4]
URI = sys.argv[4] if len(sys.argv) > 4 else None
n = 0
failed = 0


def ok(cond, what):
    global n, failed
    n += 1
    if not cond:
        failed += 1
    print(('ok' if cond else 'not ok') + ' %d - %s' % (n, what), flush=True)
    return cond


def skip(what, why):
    global n
    n += 1
    print('ok %d - %s # SKIP %s' % (n, what, why), flush=True)


def run(*args, check=True):
    r = subprocess.run([IEUM] + list(args), capture_output=True, text=True, timeout=600)
    if check and r.returncode != 0:
        print('# %s: exit %d: %s' % (' '.join(args), r.returncode, r.stderr.strip()[:500]))
    return r


def new_pg_db(name):
    """A fresh database of the cluster, its URI."""
    base = URI.rsplit('/', 1)[0]
    r = subprocess.run(['psql', URI, '-qc', 'CREATE DATABASE %s' % name], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return base + '/' + name


def lexicon(path):
    """The lexicon rows of the SQLite TM at path, sorted."""
    db = sqlite3.connect(path)
    rows = sorted(db.execute('SELECT src, tgt, origin, weight, count FROM lexicon'))
    db.close()
    return rows


def jsonl(tm):
    """The TM's units as comparable records: JSONL export without the time they were stored (the
    created field, and the changedate an export derives from it for units of a known user)."""
    r = run('tm', 'export', '--tm', tm, '-f', 'jsonl', '--roles', 'all')
    out = []
    for line in r.stdout.splitlines():
        o = json.loads(line)
        o.pop('created', None)
        if 'props' in o:
            o['props'] = [p for p in o['props'] if p.get('type') != 'changedate']
        out.append(json.dumps(o, sort_keys=True, ensure_ascii=False))
    return sorted(out)


def make_pairs(root, count):
    """count pairs under root/ko and root/en: the fixtures, then variants with one more sentence pair."""
    base = []
    for dirpath, _, files in os.walk(os.path.join(DATA, 'batch', 'ko')):
        for f in files:
            rel = os.path.relpath(os.path.join(dirpath, f), os.path.join(DATA, 'batch', 'ko'))
            en = rel.replace('.ko.', '.en.')
            base.append((open(os.path.join(DATA, 'batch', 'ko', rel), encoding='utf-8').read(),
                         open(os.path.join(DATA, 'batch', 'en', en), encoding='utf-8').read()))
    base.append((open(os.path.join(EXAMPLES, 'ko.txt'), encoding='utf-8').read(),
                 open(os.path.join(EXAMPLES, 'en.txt'), encoding='utf-8').read()))
    base.sort()
    for side in ('ko', 'en'):
        os.makedirs(os.path.join(root, side), exist_ok=True)
    for i in range(count):
        ko, en = base[i % len(base)]
        if i >= len(base):
            ko = ko.rstrip('\n') + '\n\n이 기사는 %d번째 사본으로 보관되었다.\n' % i
            en = en.rstrip('\n') + '\n\nThis article was kept as copy number %d.\n' % i
        with open(os.path.join(root, 'ko', 'a%02d.txt' % i), 'w', encoding='utf-8') as f:
            f.write(ko)
        with open(os.path.join(root, 'en', 'a%02d.txt' % i), 'w', encoding='utf-8') as f:
            f.write(en)


def count_units(tm):
    m = re.search(r'^units\t(\d+)', run('tm', 'stats', '--tm', tm).stdout, re.M)
    return int(m.group(1)) if m else -1


def count_docs(tm):
    m = re.search(r'^documents\t(\d+)', run('tm', 'stats', '--tm', tm).stdout, re.M)
    return int(m.group(1)) if m else -1


def main():
    with tempfile.TemporaryDirectory() as tmp:
        pairs = os.path.join(tmp, 'pairs')
        make_pairs(pairs, 12)
        tms = {'sqlite': os.path.join(tmp, 'one.db')}
        if URI:
            tms['pg'] = new_pg_db('backend_one')
        # align and batch
        ko, en = os.path.join(EXAMPLES, 'ko.txt'), os.path.join(EXAMPLES, 'en.txt')
        for name, tm in tms.items():
            r = run('align', '--tm', tm, ko, en)
            ok(r.returncode == 0 and count_units(tm) > 20, '%s: ieum align --tm stores the pair' % name)
            r = run('batch', '-q', '--tm', tm, os.path.join(pairs, 'ko'), os.path.join(pairs, 'en'))
            ok(r.returncode == 0, '%s: ieum batch --tm stores the pairs' % name)
            before = count_units(tm)
            r = run('batch', '-q', '--tm', tm, os.path.join(pairs, 'ko'), os.path.join(pairs, 'en'))
            ok(r.returncode == 0 and count_units(tm) == before and count_docs(tm) == 12,
               '%s: the batch run again adds nothing (%d documents)' % (name, count_docs(tm)))
        if URI:
            a, b = jsonl(tms['sqlite']), jsonl(tms['pg'])
            ok(a == b and len(a) > 100, 'align and batch store the same %d units on both' % len(a))
        else:
            skip('align and batch store the same units on both', 'no PostgreSQL')

        # search, concordance, stats, export
        queries = ['서울시가 인공지능으로 도심 침수를 예측하는 시스템을 다음 달부터 가동한다.',
                   '기상청은 내일 비가 온다고 밝혔다.', '침수', '한국은행은 기준금리를 동결했다.', '축제']
        results = {}
        for name, tm in tms.items():
            results[name] = [run('tm', 'search', '--tm', tm, '--json', '--min', '40', '-n', '5', q).stdout
                             for q in queries]
        ok(any(results['sqlite']), 'sqlite: tm search finds matches')
        if URI:
            def strip(out):
                return [(o['score'], o['source'], o['target']) for o in map(json.loads, out.splitlines())]
            same = [strip(a) == strip(b) for a, b in zip(results['sqlite'], results['pg'])]
            ok(all(same), 'tm search: the same matches and percentages on both (%s)' % same)
            c = [run('tm', 'concordance', '--tm', tm, '침수', 'AI').stdout for tm in tms.values()]
            ok(c[0] == c[1] and c[0], 'tm concordance: the same units on both')
            s = [run('tm', 'stats', '--tm', tm).stdout.split('\n', 1)[1] for tm in tms.values()]
            ok(s[0] == s[1], 'tm stats: the same counts on both')
            x = []
            for tm in tms.values():
                r = run('tm', 'export', '--tm', tm, '-o', os.path.join(tmp, 'x.tmx'))
                x.append(re.sub(r'(?:creation|change)date="[^"]*"', '', open(os.path.join(tmp, 'x.tmx'), encoding='utf-8').read()))
            ok(x[0] == x[1] and x[0].count('<tu ') > 100, 'tm export: the same TMX from both')
        else:
            for what in ('tm search: the same matches', 'tm concordance', 'tm stats', 'tm export'):
                skip(what, 'no PostgreSQL')

        # import
        tmx = os.path.join(tmp, 'x.tmx')
        run('tm', 'export', '--tm', tms['sqlite'], '--roles', 'all', '-o', tmx)
        exported = open(tmx, encoding='utf-8').read().count('<tu ')
        for name in list(tms):
            tm = os.path.join(tmp, 'imp.db') if name == 'sqlite' else new_pg_db('backend_import')
            r = run('tm', 'import', '--keep-duplicates', '--tm', tm, tmx)
            r2 = run('tm', 'import', '--tm', tm, tmx)
            ok(r.returncode == 0 and count_units(tm) == count_units(tms['sqlite']) and 'already imported' in r2.stderr,
               '%s: tm import --keep-duplicates stores every unit, and a file once' % name)
            # The batch's copies of an article hold the same pairs at the same positions: merged by default.
            tm = os.path.join(tmp, 'imp2.db') if name == 'sqlite' else new_pg_db('backend_import2')
            r = run('tm', 'import', '--tm', tm, tmx)
            m = re.search(r'imported (\d+) units .*merged (\d+) already', r.stderr)
            ok(r.returncode == 0 and m and int(m.group(2)) > 0 and int(m.group(1)) + int(m.group(2)) == exported and
               count_units(tm) == int(m.group(1)),
               '%s: tm import merges a pair at a position it already holds (%s)' % (name, r.stderr.strip()[-80:]))
            # A TM's own export imported back into it adds nothing.
            before = count_units(tm)
            run('tm', 'export', '--tm', tm, '--roles', 'all', '-o', os.path.join(tmp, 'own.tmx'))
            r = run('tm', 'import', '--tm', tm, os.path.join(tmp, 'own.tmx'))
            ok(r.returncode == 0 and count_units(tm) == before and 'imported 0 units' in r.stderr,
               '%s: a TM\'s own export imported back adds nothing (%s)' % (name, r.stderr.strip()[-80:]))

        # several writers at once, against one batch alone
        ref_tm = os.path.join(tmp, 'ref.db')
        run('batch', '-q', '--tm', ref_tm, os.path.join(pairs, 'ko'), os.path.join(pairs, 'en'))
        ref = jsonl(ref_tm)
        for name in list(tms):
            tm = os.path.join(tmp, 'many.db') if name == 'sqlite' else new_pg_db('backend_many')
            procs = [subprocess.Popen([IEUM, 'batch', '-q', '-j', '1', '--tm', tm, os.path.join(pairs, 'ko'),
                                       os.path.join(pairs, 'en')], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True) for _ in range(3)]
            rcs = [p.wait(600) for p in procs]
            errs = [p.stderr.read() for p in procs]
            ok(all(rc == 0 for rc in rcs) and count_docs(tm) == 12,
               '%s: three batches at once store every pair once (exits %s)' % (name, rcs))
            got = jsonl(tm)
            ok(len(got) == len(set(got)) and got == ref,
               '%s: no unit lost or stored twice (%d units, %d from one batch alone)' % (name, len(got), len(ref)))
            if not all(rc == 0 for rc in rcs):
                print('# ' + ' | '.join(e.strip() for e in errs)[:800])

        # copy both ways, with the lexicon (a learned pair and a dictionary's)
        lex_rows = [('침수', 'flood', 'learned', 0.75, 4), ('경보', 'warning', 'learned', 0.5, 3),
                    ('주택', 'housing', 'news-dict', 1.0, 1)]
        with sqlite3.connect(tms['sqlite']) as db:
            db.executemany('INSERT INTO lexicon(src, tgt, origin, weight, count) VALUES(?, ?, ?, ?, ?)', lex_rows)
        db.close()
        if URI:
            pg = new_pg_db('backend_copy')
            back = os.path.join(tmp, 'back.db')
            r1 = run('tm', 'copy', '--from', tms['sqlite'], '--to', pg)
            r2 = run('tm', 'copy', '--from', pg, '--to', back)
            r3 = run('tm', 'copy', '--from', tms['sqlite'], '--to', pg)
            ok(r1.returncode == 0 and r2.returncode == 0 and jsonl(pg) == jsonl(tms['sqlite']),
               'tm copy SQLite -> PostgreSQL: the same units')
            ok(jsonl(back) == jsonl(tms['sqlite']), 'tm copy PostgreSQL -> SQLite: the same TM back')
            ok(r3.returncode == 0 and 'copied 0 documents' in r3.stderr, 'tm copy again copies nothing')
            ok(lexicon(back) == sorted(lex_rows), 'tm copy SQLite -> PostgreSQL -> SQLite keeps the lexicon (%s)'
               % lexicon(back))
            # delete and dedupe through the command line: the same units go on both
            dels = [run('tm', 'delete', '--tm', t, '--document', os.path.join(pairs, 'ko', 'a03.txt'))
                    for t in (back, pg)]
            ok(all(d.returncode == 0 for d in dels) and dels[0].stderr == dels[1].stderr.replace(pg, back) and
               re.search(r'and its [1-9][0-9]* units', dels[0].stderr) and jsonl(pg) == jsonl(back),
               'tm delete on PostgreSQL: the same document and units go (%s)' % dels[1].stderr.strip()[-60:])
            dry = [run('tm', 'dedupe', '--tm', t, '--keep', 'newest', '--dry-run').stdout for t in (back, pg)]
            gone = [run('tm', 'dedupe', '--tm', t, '--keep', 'newest').stderr for t in (back, pg)]
            ok(dry[0] == dry[1] and dry[0] and gone[0] == gone[1].replace(pg, back) and jsonl(pg) == jsonl(back),
               'tm dedupe on PostgreSQL: what it lists and removes is what it does on SQLite (%s)'
               % gone[1].strip()[-60:])
            r = run('tm', 'merge', '--tm', pg, back, check=False)
            ok(r.returncode == 1 and r.stderr.count('\n') == 1 and 'not supported on a PostgreSQL TM' in r.stderr,
               'tm merge on PostgreSQL: one line saying it is not supported')
            r = run('tm', 'stats', '--tm', URI.rsplit('/', 1)[0] + '/postgres', check=False)
            ok(r.returncode == 1 and 'no ieum TM in this database' in r.stderr, 'a database without a TM: one line')
            r = run('tm', 'stats', '--tm', 'postgresql://nobody@127.0.0.1:1/none', check=False)
            ok(r.returncode == 1 and 'cannot connect' in r.stderr and r.stderr.count('\n') == 1,
               'no server there: one line')
        else:
            for what in ('tm copy to PostgreSQL', 'tm copy back', 'tm copy again', 'the lexicon there and back',
                         'tm merge on PostgreSQL',
                         'a database without a TM', 'no server there'):
                skip(what, 'no PostgreSQL')
        back = os.path.join(tmp, 'copy.db')
        r = run('tm', 'copy', '--from', tms['sqlite'], '--to', back)
        ok(r.returncode == 0 and jsonl(back) == jsonl(tms['sqlite']), 'tm copy SQLite -> SQLite: the same TM')
        # units imported from TMX by a named user: the copy exports as the original does (no creationid
        # made up from the importer's name)
        imp, imp_copy = os.path.join(tmp, 'imported.db'), os.path.join(tmp, 'imported_copy.db')
        run('tm', 'import', '--tm', imp, '--user', 'kim', os.path.join(DATA, 'tmx', 'duplicates.tmx'))
        r = run('tm', 'copy', '--from', imp, '--to', imp_copy)
        ok(r.returncode == 0 and jsonl(imp_copy) == jsonl(imp) and 'kim' not in ''.join(jsonl(imp_copy)),
           'tm copy of imported units: the same export, the importer not made their creationid')
        ok(lexicon(back) == sorted(lex_rows), 'tm copy SQLite -> SQLite copies the lexicon')
        with sqlite3.connect(back) as db:
            db.execute("UPDATE lexicon SET weight = 0.25 WHERE src = '침수'")
            db.execute("DELETE FROM lexicon WHERE src = '주택'")
        db.close()
        r = run('tm', 'copy', '--from', tms['sqlite'], '--to', back)
        ok(r.returncode == 0 and lexicon(back) == sorted([('침수', 'flood', 'learned', 0.25, 4)] + lex_rows[1:]),
           'a second copy adds the missing word pair and keeps the target\'s own weight')
    print('1..%d' % n)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
