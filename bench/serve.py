#!/usr/bin/env python3
"""bench/serve.py: `ieum serve` under 50 concurrent clients, on SQLite and PostgreSQL, beside the CLI.

For each size (--sizes, default 100000; add 1000000 for the goal) it builds a TM of that many units
the way bench/tm_search.py does (real Korean-English sentence pairs from ../shared/data/align when
present, else its generator, said in the output; units spliced from them, queries edited from them
or unseen), imports it with `ieum tm import` into an SQLite file and copies it into a PostgreSQL
database (`ieum tm copy`; a throwaway cluster from tests/pg_cluster.py), then for each backend:
  cli     `ieum tm search --tm TM --json Q` once per query (--cli-queries), a process each, as a user
          runs it: p50/p99 of the wall time (process start and TM open included)
  serve   `ieum serve --tm TM` with --threads N (default: its own default), and bench/serve_load.c:
          --clients client threads on keep-alive connections sending GET /api/search?q=Q&min=70&n=10
          back to back for --seconds (after a warm-up of --warmup seconds): p50/p99 latency, req/s,
          errors
          and the server's CPU time per request over the measured seconds (/proc/PID/stat); on
          PostgreSQL also the database's (db_cpu_ms_per_req: the postmaster's children, whose
          backends do the index work the ieum server only waits for)
  serve1  the same with --threads 1 (one HTTP thread, as util/http.c serves by default): what a
          server without a thread pool gives, for comparison
Writes the figures as one JSON object on the last line.  The clients run on the same 2-core machine
as the server: their CPU is the server's loss, so the figures are a floor.
Usage: python3 bench/serve.py [--build build] [--sizes 100000,1000000] [--clients 50] [--seconds 20]
       [--backends sqlite,pg] [--cli-queries 100] [--keep DIR]
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import tm_search  # noqa: E402  the units and queries of the search benchmark

ALICE = 'bench-serve-0123456789abcdef'


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float('nan')


def build_loader(tmp):
    exe = os.path.join(tmp, 'serve_load')
    subprocess.run(['cc', '-O2', '-pthread', '-o', exe, os.path.join(HERE, 'serve_load.c')], check=True)
    return exe


def cli_baseline(ieum, tm, queries):
    lat = []
    for q in queries:
        t = time.perf_counter()
        r = subprocess.run([ieum, 'tm', 'search', '--tm', tm, '--json', '--min', '70', '-n', '10', q['text']],
                           capture_output=True)
        lat.append((time.perf_counter() - t) * 1000)
        if r.returncode != 0:
            sys.exit('tm search failed: ' + r.stderr.decode()[:300])
    return {'p50_ms': round(pct(lat, 50), 2), 'p99_ms': round(pct(lat, 99), 2), 'n': len(lat)}


def cpu_s(pid):
    """User plus system CPU seconds of process pid so far (/proc/PID/stat, fields 14 and 15)."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def db_cpu_s(pgdir):
    """CPU seconds so far of the PostgreSQL server processes of the cluster in pgdir (the postmaster's children)."""
    with open(os.path.join(pgdir, 'data', 'postmaster.pid')) as f:
        master = int(f.readline())
    total = 0.0
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % d) as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')
    return total


def serve_run(ieum, loader, tm, paths_file, tokens, args, threads, tmp, pgdir=None):
    cmd = [ieum, 'serve', '--tm', tm, '--port', '0', '--tokens', tokens]
    if threads:
        cmd += ['--threads', str(threads)]
    log = open(os.path.join(tmp, 'serve.log'), 'w')
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
    port = None
    for _ in range(600):
        m = re.search(r'on http://127\.0\.0\.1:(\d+)/', open(log.name).read())
        if m:
            port = int(m.group(1))
            break
        time.sleep(0.05)
    if not port:
        p.kill()
        sys.exit('the server did not start: ' + open(log.name).read())
    try:
        subprocess.run([loader, str(port), ALICE, str(args.clients), str(args.warmup), paths_file], check=True,
                       capture_output=True)
        cpu0 = cpu_s(p.pid)
        db0 = db_cpu_s(pgdir) if pgdir else 0
        r = subprocess.run([loader, str(port), ALICE, str(args.clients), str(args.seconds), paths_file], check=True,
                           capture_output=True, text=True)
        cpu = cpu_s(p.pid) - cpu0
        db = db_cpu_s(pgdir) - db0 if pgdir else None
        res = json.loads(r.stdout)
    finally:
        p.terminate()
        p.wait(30)
        log.close()
    lat = res['lat']
    return {'threads': threads or 'default', 'clients': args.clients, 'requests': res['requests'],
            'errors': res['errors'], 'req_per_s': round(res['requests'] / res['seconds'], 1),
            'p50_ms': round(pct(lat, 50), 2), 'p99_ms': round(pct(lat, 99), 2), 'max_ms': round(max(lat), 1),
            'server_cpu_ms_per_req': round(1000 * cpu / max(1, res['requests']), 3),
            **({'db_cpu_ms_per_req': round(1000 * db / max(1, res['requests']), 3)} if pgdir else {})}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(REPO, 'build'))
    ap.add_argument('--sizes', default='100000')
    ap.add_argument('--clients', type=int, default=50)
    ap.add_argument('--seconds', type=float, default=20)
    ap.add_argument('--warmup', type=float, default=3)
    ap.add_argument('--backends', default='sqlite,pg')
    ap.add_argument('--queries', type=int, default=1000)
    ap.add_argument('--cli-queries', type=int, default=100)
    ap.add_argument('--threads', type=int, default=0)
    ap.add_argument('--no-single', action='store_true', help='skip the --threads 1 comparison')
    ap.add_argument('--keep', help='build the TMs in DIR and keep them (reused when present)')
    args = ap.parse_args()
    ieum = os.path.join(args.build, 'cli', 'ieum')
    backends = args.backends.split(',')
    tmp = tempfile.mkdtemp(prefix='ieum-bench-serve-')
    work = args.keep or tmp
    os.makedirs(work, exist_ok=True)
    pgdir = None
    out = {'clients': args.clients, 'seconds': args.seconds, 'sizes': {}}
    try:
        loader = build_loader(tmp)
        tokens = os.path.join(tmp, 'tokens')
        with open(tokens, 'w') as f:
            f.write('bench write %s\n' % ALICE)
        os.chmod(tokens, 0o600)
        pairs, source = tm_search.real_pairs()
        print('# units from ' + source, flush=True)
        out['source'] = source
        rnd = random.Random(5)
        pairs = pairs[:]
        rnd.shuffle(pairs)
        held = pairs[:len(pairs) // 10]
        train = pairs[len(pairs) // 10:]
        uri_base = None
        if 'pg' in backends:
            pgdir = tempfile.mkdtemp(prefix='ieum-bench-pg-')  # not under tmp: nobody must reach it
            r = subprocess.run([sys.executable, os.path.join(REPO, 'tests', 'pg_cluster.py'), 'start', pgdir],
                               capture_output=True, text=True)
            if r.returncode != 0:
                print('# PostgreSQL: not measured (%s)' % r.stderr.strip(), flush=True)
                backends.remove('pg')
            else:
                uri_base = r.stdout.strip().rsplit('/', 1)[0]
        for size in [int(s) for s in args.sizes.split(',')]:
            fig = out['sizes'][size] = {}
            units = tm_search.make_units(train, size)
            queries = tm_search.make_queries(units, held, args.queries)
            paths_file = os.path.join(tmp, 'paths-%d.txt' % size)
            with open(paths_file, 'w') as f:
                for q in queries:
                    f.write('/api/search?min=70&n=10&q=%s\n' % urllib.parse.quote(q['text'], safe=''))
            db = os.path.join(work, 'tm-%d.db' % size)
            if not os.path.exists(db):
                tmx = os.path.join(tmp, 'units.tmx')
                tm_search.write_tmx(tmx, units)
                t = time.perf_counter()
                subprocess.run([ieum, 'tm', 'import', '--tm', db, tmx], check=True, capture_output=True)
                fig['sqlite_import_s'] = round(time.perf_counter() - t, 1)
                os.unlink(tmx)
            tms = {}
            if 'sqlite' in backends:
                tms['sqlite'] = db
            if 'pg' in backends:
                uri = '%s/tm%d' % (uri_base, size)
                subprocess.run(['psql', uri_base + '/ieum', '-qc', 'CREATE DATABASE tm%d' % size], check=True,
                               capture_output=True)
                t = time.perf_counter()
                subprocess.run([ieum, 'tm', 'copy', '--from', db, '--to', uri], check=True, capture_output=True)
                fig['pg_copy_s'] = round(time.perf_counter() - t, 1)
                subprocess.run(['psql', uri, '-qc', 'VACUUM ANALYZE'], check=True, capture_output=True)
                tms['pg'] = uri
            for name, tm in tms.items():
                f = fig[name] = {}
                f['cli'] = cli_baseline(ieum, tm, queries[:args.cli_queries])
                print('# %d %s cli: %s' % (size, name, f['cli']), flush=True)
                db = pgdir if name == 'pg' else None
                f['serve'] = serve_run(ieum, loader, tm, paths_file, tokens, args, args.threads, tmp, db)
                print('# %d %s serve: %s' % (size, name, f['serve']), flush=True)
                if not args.no_single:
                    f['serve1'] = serve_run(ieum, loader, tm, paths_file, tokens, args, 1, tmp, db)
                    print('# %d %s serve --threads 1: %s' % (size, name, f['serve1']), flush=True)
    finally:
        if pgdir:
            subprocess.run([sys.executable, os.path.join(REPO, 'tests', 'pg_cluster.py'), 'stop', pgdir],
                           capture_output=True)
            shutil.rmtree(pgdir, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
