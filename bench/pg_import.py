#!/usr/bin/env python3
"""bench/pg_import.py: how long writing --units units into a PostgreSQL TM takes, beside SQLite.

Makes --units units (bench/tm_search.py's: sentence pairs of ../shared/data/align when present, else
synthetic Korean and English sentences, said in the output; spliced so each is its own),
writes them as one TMX and times, in the same run:
  sqlite_import   `ieum tm import` into a new SQLite TM,
  pg_import       `ieum tm import` into a new PostgreSQL database (a throwaway cluster from
                  tests/pg_cluster.py, loopback TCP),
  pg_copy         `ieum tm copy` from that SQLite TM into another new PostgreSQL database,
and, with --baseline DIR (another build: DIR/cli/ieum, e.g. a copy of main's), the same pg_import and
pg_copy with it into databases of their own, in the same run and on the same cluster (base_ figures);
it checks each TM holds every unit (`ieum tm stats`).  The PostgreSQL importer's cost is mostly round
trips (one per unit, one per prop), which is what this measures.  Without PostgreSQL only SQLite is
timed, said in the output.  Prints what it measured and one JSON object on the last line.
Writes only in temporary folders.
Usage: python3 bench/pg_import.py [--build build] [--units 100000] [--baseline DIR]
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'bench'))
import tm_search  # noqa: E402


def units_of(ieum, tm):
    r = subprocess.run([ieum, 'tm', 'stats', '--tm', tm], capture_output=True, text=True, check=True)
    for line in r.stdout.splitlines():
        f = line.split('\t')
        if f[0] == 'units':
            return int(f[1])
    return -1


def timed(cmd):
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError('%s: %s' % (' '.join(cmd[:3]), r.stderr.strip()))
    return round(time.perf_counter() - t, 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    ap.add_argument('--units', type=int, default=100000)
    ap.add_argument('--baseline', help='a build folder to time beside --build')
    args = ap.parse_args()
    ieum = os.path.join(args.build, 'cli', 'ieum')
    tmp = tempfile.mkdtemp(prefix='ieum-bench-pgimport-')
    pgdir = None
    out = {'units': args.units}
    try:
        pairs, source = tm_search.real_pairs()
        print('# units from ' + source, flush=True)
        out['source'] = source
        rnd = random.Random(5)
        rnd.shuffle(pairs)
        units = tm_search.make_units(pairs, args.units)
        tmx = os.path.join(tmp, 'units.tmx')
        tm_search.write_tmx(tmx, units)
        db = os.path.join(tmp, 'tm.db')
        out['sqlite_import_s'] = timed([ieum, 'tm', 'import', '--tm', db, tmx])
        out['sqlite_units'] = units_of(ieum, db)
        print('sqlite_import  %.2f s  (%d units stored)' % (out['sqlite_import_s'], out['sqlite_units']), flush=True)
        pgdir = tempfile.mkdtemp(prefix='ieum-bench-pg-')  # not under tmp: nobody must reach it
        r = subprocess.run([sys.executable, os.path.join(REPO, 'tests', 'pg_cluster.py'), 'start', pgdir],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print('# PostgreSQL: not measured (%s)' % r.stderr.strip(), flush=True)
        else:
            uri = r.stdout.strip()
            base = uri.rsplit('/', 1)[0]
            runs = [('', ieum)]
            if args.baseline:
                runs.insert(0, ('base_', os.path.join(args.baseline, 'cli', 'ieum')))
            for prefix, exe in runs:
                imp, cpy = base + '/' + prefix + 'imp', base + '/' + prefix + 'cpy'
                for name in (prefix + 'imp', prefix + 'cpy'):
                    subprocess.run(['psql', uri, '-qc', 'CREATE DATABASE ' + name], check=True, capture_output=True)
                for what, cmd, tm in (('pg_import', [exe, 'tm', 'import', '--tm', imp, tmx], imp),
                                      ('pg_copy', [exe, 'tm', 'copy', '--from', db, '--to', cpy], cpy)):
                    out[prefix + what + '_s'] = timed(cmd)
                    out[prefix + what + '_units'] = units_of(ieum, tm)
                    print('%-15s %.2f s  (%d units stored)' % (prefix + what, out[prefix + what + '_s'],
                                                                out[prefix + what + '_units']), flush=True)
    finally:
        if pgdir:
            subprocess.run([sys.executable, os.path.join(REPO, 'tests', 'pg_cluster.py'), 'stop', pgdir],
                           capture_output=True)
            shutil.rmtree(pgdir, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(out))
    return 0


if __name__ == '__main__':
    sys.exit(main())
