#!/usr/bin/env python3
"""bench/tmx_hostile.py: `ieum tm import` time on TMX files built to make libxml2 slow.

Usage: bench/tmx_hostile.py [--ieum build/cli/ieum] [--base OTHER_IEUM] [--attrs 40000,200000]
                            [--timeout 600] [--keep DIR]

libxml2 2.9 checks every attribute of a start tag against all the earlier ones: n attributes on
one tag cost O(n^2).  For each count N in --attrs this generates (in a temporary folder) a small
TMX whose second <tu> carries N attributes, and one whose DOCTYPE declares N attribute defaults
for <tu> (libxml2 adds them to each of the file's 20 <tu>s), then times `ieum tm import` of each
into a fresh TM with --ieum and, when given, with --base (e.g. a build of an older commit), one
after the other in the same run, and prints seconds, exit code and the first line of stderr.
A run longer than --timeout seconds is killed and shown as "> T s".  ../shared is not needed
(the inputs are generated here).  Never part of `meson test`.

Example (baseline = the commit before the attribute bound):
  git archive 7b606df | tar -x -C /tmp/base && (cd /tmp/base && meson setup build && ninja -C build)
  bench/tmx_hostile.py --base /tmp/base/build/cli/ieum
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

TU = '<tu><tuv xml:lang="ko"><seg>가</seg></tuv><tuv xml:lang="en"><seg>a</seg></tuv></tu>\n'


def write_tag_bomb(path, n):
    """A TMX whose second <tu> (line 3) has n attributes."""
    with open(path, 'w', encoding='utf-8') as f:
        f.write('<tmx version="1.4"><header srclang="ko"/><body>\n' + TU + '<tu')
        f.write(''.join(f' a{i}="v"' for i in range(n)))
        f.write('><tuv xml:lang="ko"><seg>나</seg></tuv><tuv xml:lang="en"><seg>b</seg></tuv></tu>\n</body></tmx>\n')


def write_default_bomb(path, n):
    """A TMX whose DOCTYPE declares n attribute defaults for <tu>, followed by 20 <tu>s."""
    with open(path, 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ATTLIST tu\n')
        f.write(''.join(f' a{i} CDATA "v"\n' for i in range(n)))
        f.write('>\n]>\n<tmx version="1.4"><header srclang="ko"/><body>\n')
        f.write(''.join(TU.replace('가', f'가 {i}') for i in range(20)))
        f.write('</body></tmx>\n')


def run(ieum, tmx, db, timeout):
    """Imports tmx into a fresh db; returns (seconds or None on timeout, rc, first stderr line)."""
    for p in (db, db + '-wal', db + '-shm'):
        if os.path.exists(p):
            os.unlink(p)
    t0 = time.perf_counter()
    try:
        p = subprocess.run([ieum, 'tm', 'import', '--tm', db, tmx], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None, ''
    elapsed = time.perf_counter() - t0
    err = p.stderr.decode('utf-8', 'replace').replace(os.path.dirname(tmx) + '/', '').strip().splitlines()
    return elapsed, p.returncode, err[0] if err else ''


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument('--ieum', default=os.path.join(here, '..', 'build', 'cli', 'ieum'))
    ap.add_argument('--base', help='another ieum to time on the same inputs (e.g. a build of 7b606df)')
    ap.add_argument('--attrs', default='40000,200000')
    ap.add_argument('--timeout', type=float, default=600)
    ap.add_argument('--keep', help='keep the generated files in this folder')
    a = ap.parse_args()
    builds = [('after', a.ieum)] + ([('base', a.base)] if a.base else [])
    for name, exe in builds:
        if not os.access(exe, os.X_OK):
            print(f'bench/tmx_hostile.py: {exe} ({name}) not found: build first or pass --ieum/--base',
                  file=sys.stderr)
            return 2
    shared = os.path.join(here, '..', '..', 'shared')
    print(f'# inputs are generated here; ../shared is {"present" if os.path.isdir(shared) else "absent"} '
          f'(not needed)')
    work = a.keep or tempfile.mkdtemp(prefix='ieum-bench-tmx-hostile-')
    os.makedirs(work, exist_ok=True)
    try:
        print(f'{"case":<28} {"build":<6} {"seconds":>9} {"rc":>3}  message')
        for n in [int(x) for x in a.attrs.split(',')]:
            for case, make in ((f'{n} attributes on a <tu>', write_tag_bomb),
                               (f'{n} DOCTYPE defaults', write_default_bomb)):
                tmx = os.path.join(work, f'{make.__name__}-{n}.tmx')
                make(tmx, n)
                for name, exe in builds:
                    secs, rc, msg = run(exe, tmx, os.path.join(work, f'{name}.db'), a.timeout)
                    shown = f'> {a.timeout:.0f}' if secs is None else f'{secs:.3f}'
                    print(f'{case:<28} {name:<6} {shown:>9} {"-" if rc is None else rc:>3}  {msg[:120]}',
                          flush=True)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
