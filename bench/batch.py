#!/usr/bin/env python3
"""bench/batch.py: throughput of `ieum batch` over an archive of article pairs.

Writes N article pairs (default 10,000) into a scratch folder: each article is a run of 10 to 25
consecutive sentence pairs, with paragraphs of one to three sentences, cut from the line-parallel
real news and Wikipedia sentences of ../shared/data/align (the *_clean cases) when present, else
from a synthetic generator with the same length statistics (said in the output); a numbered
headline makes every pair distinct.  Then runs `ieum batch --jobs J` into a new TM, and once more
over the same folders (the resume case: every pair is already there), and reports wall time,
pairs/s, sentences/s (source plus target sentences written, per second), CPU time (and the TM
writer's share: one thread, so a floor on the wall time), TM size on disk and
peak RSS, next to the goal: 10,000 pairs aligned and stored in under a minute on 2 cores.

Usage: python3 bench/batch.py [--build build] [--pairs 10000] [--jobs 2] [--keep DIR]
Build with optimization first, e.g. meson setup build -Dbuildtype=release && ninja -C build.
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

GOAL_PAIRS = 10000
GOAL_SECONDS = 60.0
SEED = 11


def sentence_pool(shared):
    root = os.path.join(shared, 'data', 'align')
    pool = []
    if os.path.isdir(root):
        for case in sorted(os.listdir(root)):
            if not case.endswith('_clean'):
                continue
            with open(os.path.join(root, case, 'ko.txt'), encoding='utf-8') as k, \
                    open(os.path.join(root, case, 'en.txt'), encoding='utf-8') as e:
                ko, en = k.read().split('\n'), e.read().split('\n')
            pool += [(a, b) for a, b in zip(ko, en) if a.strip() and b.strip()]
        if pool:
            return pool, f'real sentence pairs of {root} (*_clean, {len(pool)} pairs)'
    rnd = random.Random(7)
    for _ in range(2000):
        n = rnd.randint(8, 60)
        k = ''.join(rnd.choice('가나다라마바사아자차카타파하') if i % 5 else ' ' for i in range(n))
        e = ' '.join('x' * rnd.randint(2, 9) for _ in range(int(n * 2.2 / 6)))
        pool.append((k + '.', e + '.'))
    return pool, 'synthetic sentence pairs (../shared is absent)'


def write_archive(folder, pool, n):
    rnd = random.Random(SEED)
    sentences = 0
    for i in range(n):
        k = rnd.randint(10, 25)
        start = rnd.randrange(0, len(pool) - k)
        pairs = pool[start:start + k]
        ko, en = [f'이음 통신 {i}번 기사'], [f'Ieum News article {i}']
        j = 0
        while j < len(pairs):
            m = rnd.randint(1, 3)
            ko.append(' '.join(p[0] for p in pairs[j:j + m]))
            en.append(' '.join(p[1] for p in pairs[j:j + m]))
            j += m
        sentences += 2 * (k + 1)
        sub = f'{i // 1000:02d}'
        for side, lines in (('ko', ko), ('en', en)):
            d = os.path.join(folder, side, sub)
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, f'{i:05d}.txt'), 'w', encoding='utf-8') as f:
                f.write('\n'.join(lines) + '\n')
    return sentences


def run_batch(ieum, folder, db, jobs):
    t = time.perf_counter()
    p = subprocess.Popen([ieum, 'batch', '--jobs', str(jobs), '--tm', db, 'ko', 'en'], cwd=folder,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    wall = time.perf_counter() - t
    # communicate() has reaped the child; its peak RSS is in RUSAGE_CHILDREN, which only grows, so
    # each run happens in a fresh interpreter (see main) to keep the figure per run.
    import resource
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise SystemExit(f'ieum batch failed ({p.returncode}):\n{err[-2000:]}')
    return wall, ru.ru_maxrss, ru.ru_utime + ru.ru_stime, out, err


def child(argv):
    """Runs one batch in this (fresh) interpreter and prints wall, rss and the summary."""
    ieum, folder, db, jobs = argv
    wall, rss, cpu, out, err = run_batch(ieum, folder, db, int(jobs))
    print(f'{wall} {rss} {cpu}')
    print(out, end='')
    timing = [l for l in err.splitlines() if l.startswith('ieum batch:')]
    print(timing[-1] if timing else '')


def measure(ieum, folder, db, jobs):
    r = subprocess.run([sys.executable, os.path.abspath(__file__), '--child', ieum, folder, db, str(jobs)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(r.stderr)
    lines = r.stdout.splitlines()
    wall, rss, cpu = lines[0].split()
    m = re.search(r'TM writes: ([\d.]+) s of CPU', lines[-1])
    return float(wall), int(rss), float(cpu), float(m.group(1)) if m else 0.0, '\n'.join(lines[1:])


def main():
    if len(sys.argv) > 1 and sys.argv[1] == '--child':
        return child(sys.argv[2:])
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    ap.add_argument('--pairs', type=int, default=GOAL_PAIRS)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--keep', help='write the archive and TM here and keep them')
    a = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ieum = os.path.join(repo, a.build, 'cli', 'ieum')
    if not os.access(ieum, os.X_OK):
        raise SystemExit(f'{ieum}: not built')
    shared = os.environ.get('IEUM_SHARED') or os.path.join(os.path.dirname(repo), 'shared')
    pool, origin = sentence_pool(shared)
    folder = a.keep or tempfile.mkdtemp(prefix='ieum-bench-batch-')
    os.makedirs(folder, exist_ok=True)
    try:
        t = time.perf_counter()
        sentences = write_archive(folder, pool, a.pairs)
        print(f'# input: {origin}')
        print(f'# archive: {a.pairs} article pairs, {sentences} sentences (both sides), written in '
              f'{time.perf_counter() - t:.1f} s; {os.cpu_count()} cores; --jobs {a.jobs}; build {a.build}')
        db = os.path.join(folder, 'bench.db')
        for f in (db, db + '-wal', db + '-shm'):
            if os.path.exists(f):
                os.remove(f)
        load = os.getloadavg()[0]
        wall, rss, cpu, wcpu, out = measure(ieum, folder, db, a.jobs)
        size = sum(os.path.getsize(f) for f in (db, db + '-wal') if os.path.exists(f))
        m = re.search(r'sentence pairs stored: (\d+)', out)
        units = int(m.group(1)) if m else 0
        rwall, rrss, rcpu, _, rout = measure(ieum, folder, db, a.jobs)
        # On an idle machine the run takes at least its CPU time over the cores and at least the
        # writer's CPU time (one thread): the larger of the two is what 2 free cores would give.
        cores = min(a.jobs, os.cpu_count() or 1)
        idle = max(cpu / cores, wcpu)
        print(f'# load average before the run: {load:.1f} on {os.cpu_count()} cores (other processes share them)')
        print()
        print('| run | pairs | wall s | pairs/s | sentences/s | CPU s (writer) | idle-machine estimate s | '
              'sentence pairs stored | TM MB | peak RSS MB |')
        print('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
        print(f'| new TM | {a.pairs} | {wall:.1f} | {a.pairs / wall:.0f} | {sentences / wall:.0f} | {cpu:.1f} ({wcpu:.1f}) | '
              f'{idle:.1f} | {units} | {size / 1e6:.1f} | {rss / 1024:.0f} |')
        print(f'| resume (all stored) | {a.pairs} | {rwall:.1f} | {a.pairs / rwall:.0f} | - | {rcpu:.1f} | '
              f'{rcpu / cores:.1f} | 0 | {size / 1e6:.1f} | {rrss / 1024:.0f} |')
        print()
        scaled = wall * GOAL_PAIRS / a.pairs
        print(f'goal: {GOAL_PAIRS} pairs in under {GOAL_SECONDS:.0f} s -> measured {scaled:.1f} s '
              f'({"met" if scaled < GOAL_SECONDS else "NOT met"}), idle-machine estimate '
              f'{idle * GOAL_PAIRS / a.pairs:.1f} s{" (scaled from " + str(a.pairs) + " pairs)" if a.pairs != GOAL_PAIRS else ""}')
        print('# summary of the first run:')
        for line in out.splitlines():
            print('#   ' + line)
        print('# summary of the resume:')
        for line in rout.splitlines()[:1] + rout.splitlines()[-1:]:
            print('#   ' + line)
    finally:
        if not a.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == '__main__':
    main()
