#!/usr/bin/env python3
"""bench/python.py: the Python binding beside the command line, on the alignment cases of ../shared.

For every case of ../shared/data/align (ko.txt, en.txt: one sentence per line; the sample pair of
examples/ when ../shared is absent, said in the output), aligns the pair
  - with `ieum align --presegmented` (one process per pair) of this build and, with --base, of
    another build (e.g. main's), sequentially;
  - with ieum.align(kind='presegmented', threads=1) in one Python process: sequentially, in a thread
    pool and in a process pool of --jobs workers;
checks that the binding gives the CLI's beads (texts and scores to 4 decimals, every pair), and
prints the wall time, pairs/s and CPU/wall of each way (above 1: work ran in parallel; a process
pool's workers are not counted in it), and the machine's load average.  Needs the binding built (PYTHONPATH=BUILD/python, run
with the Python it was built for: /usr/bin/python3 on Debian).
Usage: /usr/bin/python3 bench/python.py [--build build] [--base OTHER_BUILD] [--jobs 2] [--rounds 3]
"""
import argparse
import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))


def cases(shared):
    root = os.path.join(shared, 'data', 'align')
    if os.path.isdir(root):
        found = [(c, os.path.join(root, c, 'ko.txt'), os.path.join(root, c, 'en.txt')) for c in sorted(os.listdir(root))
                 if os.path.isfile(os.path.join(root, c, 'ko.txt'))]
        return found, f'{len(found)} cases of {root}'
    ex = os.path.join(HERE, '..', 'examples')
    return [('sample', os.path.join(ex, 'ko.sentences.txt'), os.path.join(ex, 'en.sentences.txt'))], \
        f'{root} is absent: the sample pair of examples/ only'


def cli_beads(ieum, ko, en):
    r = subprocess.run([ieum, 'align', '--presegmented', '--force', ko, en], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr.strip())
    return [tuple(line.split('\t')) for line in r.stdout.splitlines()]


def py_align(job):
    import ieum
    _, ko, en = job
    with open(ko, encoding='utf-8') as k, open(en, encoding='utf-8') as e:
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            return ieum.align(k.read(), e.read(), kind='presegmented', threads=1, force=True,
                              src_name=ko, tgt_name=en)


def cpu():
    # CPU seconds of this process and its children so far
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def timed(fn, rounds):
    # best wall time of `rounds` runs, with the CPU seconds of that run, and the last result
    best = None
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), cpu()
        out = fn()
        dt, dc = time.perf_counter() - t0, cpu() - c0
        if best is None or dt < best[0]:
            best = (dt, dc)
    return best, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(HERE, '..', 'build'))
    ap.add_argument('--base')
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--shared', default=os.path.join(HERE, '..', '..', 'shared'))
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(a.build, 'python'))
    import ieum  # noqa: F401  (fails here when the binding is not built)
    jobs, what = cases(a.shared)
    print(f'# {what}; best of {a.rounds} rounds; {os.cpu_count()} cores')
    rows = []
    builds = [('ieum align, this build', os.path.join(a.build, 'cli', 'ieum'))]
    if a.base:
        builds.append(('ieum align, base build', os.path.join(a.base, 'cli', 'ieum')))
    cli_out = None
    for name, exe in builds:
        t, out = timed(lambda: [cli_beads(exe, ko, en) for _, ko, en in jobs], a.rounds)
        rows.append((name + ' (a process per pair)', t))
        cli_out = cli_out or out
    t, seq = timed(lambda: [py_align(j) for j in jobs], a.rounds)
    rows.append(('ieum.align, sequential', t))
    with ThreadPoolExecutor(a.jobs) as pool:
        t, thr = timed(lambda: list(pool.map(py_align, jobs)), a.rounds)
    rows.append((f'ieum.align, {a.jobs} threads', t))
    with ProcessPoolExecutor(a.jobs) as pool:
        t, prc = timed(lambda: list(pool.map(py_align, jobs)), a.rounds)
    rows.append((f'ieum.align, {a.jobs} processes', t))
    as_tsv = [[(b.src, b.tgt, f'{b.score:.4f}') for b in beads] for beads in seq]
    same = as_tsv == cli_out and thr == seq and prc == seq
    print(f'# the binding gives the CLI\'s beads on every pair (and the same in threads and processes): '
          f'{"yes" if same else "NO"}')
    beads = sum(len(b) for b in seq)
    print(f'{"way":52} {"seconds":>8} {"pairs/s":>8} {"CPU/wall":>8}')
    for name, (t, c) in rows:
        print(f'{name:52} {t:8.3f} {len(jobs) / t:8.1f} {c / t:8.2f}')
    print(f'# load average while measuring: {os.getloadavg()[0]:.1f} (CPU/wall above 1: work ran in parallel)')
    print(f'# {len(jobs)} pairs, {beads} beads')
    return 0 if same else 1


if __name__ == '__main__':
    sys.exit(main())
