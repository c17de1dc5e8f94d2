#!/usr/bin/env python3
"""bench/tmx.py: TMX import and export throughput and peak memory of `ieum tm`.

Usage: bench/tmx.py [--ieum build/cli/ieum] [--base OTHER_IEUM] [--sizes 10000,100000,1000000] [--keep DIR]

For each size N it generates a TMX of N units (Korean/English news-like sentences made up here,
each unit with a tuid, a creationdate, an x-document prop and, every 10th, a note and a foreign
prop), then times `ieum tm import` into a fresh TM and `ieum tm export` of that TM, and reads each
run's peak resident memory and CPU time (ru_maxrss, ru_utime + ru_stime of the child, via os.wait4).  It prints a table of units/s,
seconds and peak RSS per size; flat RSS across sizes is the streaming claim (the reader keeps one
<tu>, the writer one unit).  The generated files go to a temporary folder, removed at the end
unless --keep is given.  ../shared is not needed (the inputs are generated); the script says so.
With --base (another build, e.g. main's), each size is run with both builds in the same run, base
first, on the same file, and both rows are printed, so the figures stand side by side.  Where a
Python with translate-toolkit is found (--ttk-python, default Debian's /usr/bin/python3 with
python3-translate), a "ttk" row gives what its TMX parser (lxml) takes merely to read the same file
into memory, the issue's yardstick for an import (there is no export to time for it).
Never part of `meson test`.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

KO = ['서울시는 오늘 새 교통 대책을 발표했다', '시민들은 출근길 혼잡이 줄기를 기대한다', '전문가들은 효과를 지켜봐야 한다고 말했다',
      '정부는 다음 달 예산안을 국회에 제출한다', '태풍은 내일 오후 남해안에 상륙할 전망이다']
EN = ['Seoul announced new traffic measures today', 'Citizens hope the morning rush will ease',
      'Experts said the effect remains to be seen', "The government will submit next month's budget to parliament",
      'The typhoon is expected to make landfall on the south coast tomorrow afternoon']


def generate(path, n):
    """Writes a TMX of n distinct units (number in every sentence: no two are duplicates)."""
    with open(path, 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
                '<header creationtool="bench" creationtoolversion="1" datatype="plaintext" segtype="sentence" '
                'adminlang="en" srclang="ko" o-tmf="bench"/>\n<body>\n')
        for i in range(n):
            k = i % len(KO)
            extra = (f'<prop type="x-client">client {i % 7}</prop><note>checked {i}</note>'
                     if i % 10 == 0 else '')
            f.write(f'<tu tuid="{i + 1}" creationdate="20240101T000000Z">'
                    f'<prop type="x-document">article-{i // 40}.txt</prop>{extra}'
                    f'<tuv xml:lang="ko"><seg>{KO[k]} ({i}번).</seg></tuv>'
                    f'<tuv xml:lang="en"><seg>{EN[k]} (no. {i}).</seg></tuv></tu>\n')
        f.write('</body>\n</tmx>\n')


TTK_READ = ('import sys\n'
            'from translate.storage import tmx\n'
            'with open(sys.argv[1], "rb") as f:\n'
            '    n = len(tmx.tmxfile(f).units)\n'
            'sys.exit(0 if n == int(sys.argv[2]) else 3)\n')


def have_ttk(python):
    """Whether `python` imports translate-toolkit's TMX storage."""
    try:
        return subprocess.run([python, '-c', 'import translate.storage.tmx'], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode == 0
    except OSError:
        return False


def run(argv, env):
    """Runs argv; returns (seconds, peak RSS in MiB, returncode, stderr, CPU seconds: user + system)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - t0
    err = p.stderr.read().decode('utf-8', 'replace')
    p.stderr.close()
    return (elapsed, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status), err,
            usage.ru_utime + usage.ru_stime)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument('--ieum', default=os.path.join(here, '..', 'build', 'cli', 'ieum'))
    ap.add_argument('--base', help='another ieum build to measure beside --ieum in the same run')
    ap.add_argument('--sizes', default='10000,100000,1000000')
    ap.add_argument('--keep', help='keep the generated files in this folder')
    ap.add_argument('--ttk-python', default='/usr/bin/python3',
                    help='a Python with translate-toolkit, for the "ttk" read row ("" to leave it out)')
    a = ap.parse_args()
    if not os.access(a.ieum, os.X_OK):
        print(f'bench/tmx.py: {a.ieum} not found: build first or pass --ieum', file=sys.stderr)
        return 2
    shared = os.path.join(here, '..', '..', 'shared')
    print(f'# inputs are generated here; ../shared is {"present" if os.path.isdir(shared) else "absent"} '
          f'(not needed)')
    sizes = [int(s) for s in a.sizes.split(',')]
    work = a.keep or tempfile.mkdtemp(prefix='ieum-bench-tmx-')
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH='1782000000')
    builds = [('base', a.base), ('this', a.ieum)] if a.base else [('this', a.ieum)]
    for name, exe in builds:
        if not os.access(exe, os.X_OK):
            print(f'bench/tmx.py: {exe} not found', file=sys.stderr)
            return 2
        print(f'# {name}: {os.path.abspath(exe)}')
    ttk = a.ttk_python if a.ttk_python and have_ttk(a.ttk_python) else None
    print(f'# ttk: {"translate-toolkit under " + ttk if ttk else "translate-toolkit not found: no ttk row"}')
    rows = []
    try:
        for n in sizes:
            tmx = os.path.join(work, f'{n}.tmx')
            generate(tmx, n)
            mb = os.path.getsize(tmx) / 2**20
            if ttk:
                tt, rt, rc, err, ct = run([ttk, '-c', TTK_READ, tmx, str(n)], env)
                if rc:
                    print(f'ttk: reading {n} units failed ({rc}): {err.strip()[-300:]}', file=sys.stderr)
                    return 1
                rows.append(('ttk', n, mb, tt, n / tt, rt, None, None, None, None, ct, None))
            for name, exe in builds:
                db, out = (os.path.join(work, f'{n}.{name}.{e}') for e in ('db', 'out.tmx'))
                for p in (db, db + '-wal', db + '-shm', out):
                    if os.path.exists(p):
                        os.unlink(p)
                ti, ri, rc, err, ci = run([exe, 'tm', 'import', '--tm', db, tmx], env)
                if rc:
                    print(f'{name}: import of {n} units failed: {err.strip()}', file=sys.stderr)
                    return 1
                te, re_, rc, err, ce = run([exe, 'tm', 'export', '--tm', db, '-o', out], env)
                if rc:
                    print(f'{name}: export of {n} units failed: {err.strip()}', file=sys.stderr)
                    return 1
                rows.append((name, n, mb, ti, n / ti, ri, te, n / te, re_, os.path.getsize(out) / 2**20, ci, ce))
                for p in (db, db + '-wal', db + '-shm', out):
                    if os.path.exists(p):
                        os.unlink(p)
            os.unlink(tmx)
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    # CPU seconds (user + system of the child) beside the wall time: on a shared machine the steadier figure.
    # units/CPU s: units over that CPU time.  ttk's import columns are its read of the file.
    print(f'{"build":>5} {"units":>9} {"TMX MiB":>8} | {"import s":>8} {"CPU s":>7} {"units/s":>9} {"u/CPU s":>9} '
          f'{"RSS MiB":>8} | {"export s":>8} {"CPU s":>7} {"units/s":>9} {"u/CPU s":>9} {"RSS MiB":>8} {"out MiB":>8}')
    for r in rows:
        line = (f'{r[0]:>5} {r[1]:>9} {r[2]:>8.1f} | {r[3]:>8.2f} {r[10]:>7.2f} {r[4]:>9.0f} {r[1] / r[10]:>9.0f} '
                f'{r[5]:>8.1f} | ')
        if r[6] is None:
            line += f'{"-":>8} {"-":>7} {"-":>9} {"-":>9} {"-":>8} {"-":>8}'
        else:
            line += (f'{r[6]:>8.2f} {r[11]:>7.2f} {r[7]:>9.0f} {r[1] / r[11]:>9.0f} {r[8]:>8.1f} {r[9]:>8.1f}')
        print(line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
