#!/usr/bin/env python3
"""bench/pg_batch.py: several `ieum batch` processes writing into one PostgreSQL TM, and a server killed mid-import.

1. Writers: --pairs article pairs (the cases of ../shared/data/align when present, else the pairs of
   tests/data/batch and examples/, said in the output; each copy beyond the first gets one numbered
   sentence pair more, so every pair is a pair of its own) are stored
     ref      by one `ieum batch -j 1` into an SQLite TM (the reference),
     one      by one `ieum batch -j 1` into a PostgreSQL TM,
     split    by 4 processes at once, each `-j 1` on a quarter of the pairs (a manifest each), into
              one PostgreSQL TM: wall time against `one` (do writes scale with writers?),
     overlap  by 4 processes at once, each on all the pairs, into one PostgreSQL TM (each pair must
              be stored once: the others find it there),
   and every PostgreSQL TM is checked against the reference: documents, units, and the units
   themselves (JSONL export without creation times), no place held twice (SQL), no document
   without units.
2. Kill: `ieum serve` on a PostgreSQL TM and on an SQLite TM receives a TMX upload of --kill-units
   units and is killed (SIGKILL) once the import has begun; restarted, the TM has none of that
   upload's units and no document for it, and the same upload then imports whole.
Prints what it measured and one JSON object on the last line.
Usage: python3 bench/pg_batch.py [--build build] [--pairs 200] [--kill-units 200000]
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.environ.get('IEUM_SHARED') or os.path.join(os.path.dirname(REPO), 'shared')
sys.path.insert(0, HERE)
import tm_search  # noqa: E402

TOKEN = 'bench-batch-0123456789abcdef'


def base_pairs():
    root = os.path.join(SHARED, 'data', 'align')
    out = []
    if os.path.isdir(root):
        for case in sorted(os.listdir(root)):
            d = os.path.join(root, case)
            if os.path.isfile(os.path.join(d, 'ko.txt')) and os.path.isfile(os.path.join(d, 'en.txt')):
                out.append((open(os.path.join(d, 'ko.txt'), encoding='utf-8').read(),
                            open(os.path.join(d, 'en.txt'), encoding='utf-8').read()))
        if out:
            return out, '%d article pairs of %s' % (len(out), root)
    for ko in ('weather.txt', 'sports.ko.txt', 'culture/festival.txt', 'econ/rates.txt'):
        en = ko.replace('.ko.', '.en.')
        out.append((open(os.path.join(REPO, 'tests/data/batch/ko', ko), encoding='utf-8').read(),
                    open(os.path.join(REPO, 'tests/data/batch/en', en), encoding='utf-8').read()))
    out.append((open(os.path.join(REPO, 'examples/ko.txt'), encoding='utf-8').read(),
                open(os.path.join(REPO, 'examples/en.txt'), encoding='utf-8').read()))
    return out, '%d pairs of tests/data/batch and examples/ (%s is absent)' % (len(out), SHARED)


def make_pairs(root, count):
    base, source = base_pairs()
    for side in ('ko', 'en'):
        os.makedirs(os.path.join(root, side), exist_ok=True)
    for i in range(count):
        ko, en = base[i % len(base)]
        if i >= len(base):
            ko = ko.rstrip('\n') + '\n\n이 기사는 %d번째 사본으로 보관되었다.\n' % i
            en = en.rstrip('\n') + '\n\nThis article was kept as copy number %d.\n' % i
        for side, text in (('ko', ko), ('en', en)):
            with open(os.path.join(root, side, 'p%04d.txt' % i), 'w', encoding='utf-8') as f:
                f.write(text)
    return source


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def jsonl(ieum, tm):
    r = run([ieum, 'tm', 'export', '--tm', tm, '-f', 'jsonl', '--roles', 'all'])
    rows = []
    for line in r.stdout.splitlines():
        o = json.loads(line)
        o.pop('created', None)
        rows.append(json.dumps(o, sort_keys=True, ensure_ascii=False))
    return sorted(rows)


def psql(uri, sql):
    return run(['psql', uri, '-Atc', sql]).stdout.strip()


def check_pg(ieum, uri, ref):
    got = jsonl(ieum, uri)
    return {
        'documents': int(psql(uri, 'SELECT count(*) FROM ieum.documents')),
        'units': int(psql(uri, 'SELECT count(*) FROM ieum.units')),
        'same_units_as_ref': got == ref,
        'places_held_twice': int(psql(uri, "SELECT count(*) FROM (SELECT 1 FROM ieum.units GROUP BY doc_id,"
                                           " COALESCE(origin, ''), position HAVING count(*) > 1) AS t")),
        'documents_without_units': int(psql(uri, 'SELECT count(*) FROM ieum.documents AS d WHERE NOT EXISTS'
                                                 ' (SELECT 1 FROM ieum.units WHERE doc_id = d.id)')),
    }


def batch_procs(ieum, tm, manifests):
    t = time.perf_counter()
    ps = [subprocess.Popen([ieum, 'batch', '-q', '-j', '1', '--tm', tm] + m, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True) for m in manifests]
    rcs = [p.wait() for p in ps]
    errs = [p.stderr.read().strip()[-300:] for p in ps]
    return round(time.perf_counter() - t, 2), rcs, errs


def kill_mid_import(ieum, tm, tmx, tmp, count_units):
    """Starts serve on tm, uploads tmx, SIGKILLs the server once the import has begun; checks, then imports whole."""
    tokens = os.path.join(tmp, 'tokens')
    with open(tokens, 'w') as f:
        f.write('bench write %s\n' % TOKEN)
    os.chmod(tokens, 0o600)
    before = count_units(tm)

    def start():
        log = os.path.join(tmp, 'kill-%d.log' % time.monotonic_ns())
        p = subprocess.Popen([ieum, 'serve', '--tm', tm, '--port', '0', '--tokens', tokens],
                             stdout=subprocess.DEVNULL, stderr=open(log, 'w'))
        for _ in range(400):
            m = re.search(r'on http://127\.0\.0\.1:(\d+)/', open(log).read())
            if m:
                return p, int(m.group(1))
            time.sleep(0.05)
        p.kill()
        sys.exit('serve did not start')

    p, port = start()
    if before <= 0:
        sys.exit('the kill test needs a TM with units in it (seed it first)')
    curl = subprocess.Popen(['curl', '-s', '-o', os.path.join(tmp, 'curl.out'), '-w',
                             '%{http_code}', '-H', 'Authorization: Bearer ' + TOKEN, '--data-binary', '@' + tmx,
                             'http://127.0.0.1:%d/api/import?name=big.tmx' % port],
                            stdout=subprocess.PIPE, text=True)
    # The upload of a few tens of MB takes well under a second on loopback; then the import runs for seconds.
    t = time.perf_counter()
    time.sleep(2.0)
    alive = p.poll() is None and curl.poll() is None
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    curl.wait()
    killed_after = round(time.perf_counter() - t, 2)
    after = count_units(tm)
    p, port = start()
    t = time.perf_counter()
    r = run(['curl', '-s', '-H', 'Authorization: Bearer ' + TOKEN, '--data-binary', '@' + tmx,
             'http://127.0.0.1:%d/api/import?name=big.tmx' % port])
    import_s = round(time.perf_counter() - t, 1)
    p.terminate()
    p.wait()
    try:
        imported = json.loads(r.stdout).get('imported')
    except ValueError:
        imported = None
    return {'killed_while_importing': alive, 'killed_after_s': killed_after, 'units_before': before,
            'units_after_kill': after, 'no_partial_unit': after == before, 'reimport_imported': imported,
            'reimport_s': import_s, 'units_after_reimport': count_units(tm),
            'reimport_whole': count_units(tm) == before + (imported or -1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(REPO, 'build'))
    ap.add_argument('--pairs', type=int, default=200)
    ap.add_argument('--kill-units', type=int, default=200000)
    args = ap.parse_args()
    ieum = os.path.join(args.build, 'cli', 'ieum')
    tmp = tempfile.mkdtemp(prefix='ieum-bench-batch-')
    pgdir = tempfile.mkdtemp(prefix='ieum-bench-pg-')
    out = {}
    try:
        r = run([sys.executable, os.path.join(REPO, 'tests', 'pg_cluster.py'), 'start', pgdir])
        if r.returncode != 0:
            sys.exit('PostgreSQL: not measured (%s)' % r.stderr.strip()[-300:])
        base = r.stdout.strip().rsplit('/', 1)[0]

        def newdb(name):
            run(['psql', base + '/ieum', '-qc', 'CREATE DATABASE ' + name])
            return base + '/' + name

        pairs = os.path.join(tmp, 'pairs')
        out['source'] = make_pairs(pairs, args.pairs)
        print('# pairs from ' + out['source'], flush=True)
        names = sorted(os.listdir(os.path.join(pairs, 'ko')))
        manifests = []
        for k in range(4):
            path = os.path.join(tmp, 'part%d.tsv' % k)
            with open(path, 'w') as f:
                for name in names[k::4]:
                    f.write('pairs/ko/%s\tpairs/en/%s\n' % (name, name))
            manifests.append(path)
        whole = os.path.join(tmp, 'all.tsv')
        with open(whole, 'w') as f:
            for name in names:
                f.write('pairs/ko/%s\tpairs/en/%s\n' % (name, name))
        dirs = [os.path.join(pairs, 'ko'), os.path.join(pairs, 'en')]
        ref_db = os.path.join(tmp, 'ref.db')
        s, rcs, errs = batch_procs(ieum, ref_db, [dirs])
        ref = jsonl(ieum, ref_db)
        out['ref_sqlite_one'] = {'seconds': s, 'exit': rcs, 'units': len(ref)}
        print('# reference (SQLite, 1 process): %s' % out['ref_sqlite_one'], flush=True)
        sq4 = os.path.join(tmp, 'split.db')
        s, rcs, errs = batch_procs(ieum, sq4, [['--manifest', m] for m in manifests])
        out['sqlite_split4'] = {'seconds': s, 'exit': rcs, 'same_units_as_ref': jsonl(ieum, sq4) == ref}
        print('# SQLite, 4 processes on a quarter each: %s' % out['sqlite_split4'], flush=True)
        for label, tm_name, mans in (('pg_one', 'one', [dirs]),
                                     ('pg_split4', 'split', [['--manifest', m] for m in manifests]),
                                     ('pg_overlap4', 'overlap', [dirs] * 4)):
            uri = newdb(tm_name)
            s, rcs, errs = batch_procs(ieum, uri, mans)
            res = {'seconds': s, 'exit': rcs}
            res.update(check_pg(ieum, uri, ref))
            if any(rcs):
                res['errors'] = errs
            out[label] = res
            print('# %s: %s' % (label, res), flush=True)
        # resumable: an interrupted batch goes on (SIGTERM one mid-way, run it again)
        uri = newdb('resume')
        p = subprocess.Popen([ieum, 'batch', '-q', '-j', '1', '--tm', uri] + dirs, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        p.send_signal(signal.SIGTERM)
        rc1 = p.wait()
        mid = int(psql(uri, 'SELECT count(*) FROM ieum.documents'))
        s, rcs, errs = batch_procs(ieum, uri, [dirs])
        res = {'first_exit': rc1, 'documents_when_stopped': mid, 'resume_exit': rcs}
        res.update(check_pg(ieum, uri, ref))
        out['pg_resume'] = res
        print('# pg_resume: %s' % res, flush=True)

        # kill mid-import
        pairs2, _ = tm_search.real_pairs()
        units = tm_search.make_units(pairs2, args.kill_units)
        tmx = os.path.join(tmp, 'big.tmx')
        tm_search.write_tmx(tmx, units)
        out['kill_tmx_mb'] = round(os.path.getsize(tmx) / 1e6, 1)

        def count_sqlite(tm):
            m = re.search(r'^units\t(\d+)', run([ieum, 'tm', 'stats', '--tm', tm]).stdout, re.M)
            return int(m.group(1)) if m else -1
        seed = os.path.join(tmp, 'seed.tmx')
        tm_search.write_tmx(seed, tm_search.make_units(pairs2[::-1], 500, seed=9))
        killed_pg, killed_sq = newdb('killed'), os.path.join(tmp, 'killed.db')
        for tm in (killed_pg, killed_sq):
            run([ieum, 'tm', 'import', '--tm', tm, seed])  # units already there, which must stay as they are
        out['kill_pg'] = kill_mid_import(ieum, killed_pg, tmx, tmp, count_sqlite)
        print('# kill, PostgreSQL: %s' % out['kill_pg'], flush=True)
        out['kill_sqlite'] = kill_mid_import(ieum, killed_sq, tmx, tmp, count_sqlite)
        print('# kill, SQLite: %s' % out['kill_sqlite'], flush=True)
    finally:
        run([sys.executable, os.path.join(REPO, 'tests', 'pg_cluster.py'), 'stop', pgdir])
        shutil.rmtree(pgdir, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
