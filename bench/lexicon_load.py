#!/usr/bin/env python3
"""bench/lexicon_load.py: how long `ieum align --dict` takes to load hunalign dictionaries of several shapes.

Writes dictionaries ('english @ korean' per line) of these shapes, each at several sizes:
  one-ko     one Korean form with N English forms ("w123 @ 정부"): one form shared by N entries
  one-en     one English form with N Korean forms ("government @ 가나다")
  distinct   N lines with nothing shared
  phrases    N English phrases of four words, all starting with the same word ("north w123 korea talks")
  same       the same line N times (every line after the first is a duplicate pair)
and times `ieum align --presegmented --dict D ko.txt en.txt` on a one-sentence pair, so that the time is
the dictionary's load (the first row, with no dictionary, is the fixed cost: start-up and the built-in
lexicon).  Wall and CPU time are both given: CPU time is the steadier on a shared machine.  Every run is capped (--cap seconds); a run that hits the cap prints '>CAP'.  With --baseline
another build is timed in the same run, row by row beside this one, for before/after figures.
Generated data only: nothing is read from ../shared.

Usage: python3 bench/lexicon_load.py [--build build] [--baseline DIR/build] [--sizes 20000,50000,100000,200000]
                                     [--shapes one-ko,one-en,distinct,phrases,same] [--cap 20] [--repeat 3]
"""
import argparse, os, resource, subprocess, tempfile, time


def hangul(i):
    """A distinct Hangul word (two to three syllables) for every i >= 0."""
    s = ''
    i += 11172  # at least two syllables
    while i:
        s = chr(0xAC00 + i % 11172) + s
        i //= 11172
    return s


def word(i):
    """A distinct lowercase ASCII word for every i >= 0 (letters only: no digit rules involved)."""
    s = ''
    i += 26 * 26
    while i:
        s = chr(ord('a') + i % 26) + s
        i //= 26
    return 'w' + s


SHAPES = {
    'one-ko': lambda i: f'{word(i)} @ 정부',
    'one-en': lambda i: f'government @ {hangul(i)}',
    'distinct': lambda i: f'{word(i)} @ {hangul(i)}',
    'phrases': lambda i: f'north {word(i)} korea talks @ {hangul(i)}',
    'same': lambda i: 'government @ 정부',
}


def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(argv, cap, repeat):
    """Best (wall, CPU) seconds of `repeat` runs, or None when a run took longer than `cap` seconds."""
    best = None
    for _ in range(repeat):
        t, c = time.perf_counter(), cpu()
        try:
            r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=cap)
        except subprocess.TimeoutExpired:
            return None
        w = (time.perf_counter() - t, cpu() - c)
        if r.returncode != 0:
            raise SystemExit(f'failed ({r.returncode}): {" ".join(argv)}: {r.stderr.decode(errors="replace")}')
        best = w if best is None or w[0] < best[0] else best
    return best


def fmt(w, cap):
    return f'>{cap:g} | -' if w is None else f'{w[0]:.3f} | {w[1]:.3f}'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    ap.add_argument('--baseline', help='another build directory to time beside --build (e.g. the code before a change)')
    ap.add_argument('--sizes', default='20000,50000,100000,200000')
    ap.add_argument('--shapes', default=','.join(SHAPES))
    ap.add_argument('--cap', type=float, default=20.0, help='seconds after which a run is stopped')
    ap.add_argument('--repeat', type=int, default=3)
    a = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    builds = [('this', os.path.join(repo, a.build, 'cli', 'ieum'))]
    if a.baseline:
        builds.insert(0, ('baseline', os.path.join(os.path.abspath(a.baseline), 'cli', 'ieum')))
    print(f'# `ieum align --presegmented --dict D` on a one-sentence pair: wall and CPU s of the run with the best '
          f'wall time of {a.repeat}, each run capped at {a.cap:g} s wall')
    print('| shape | lines | ' + ' | '.join(f'{name} wall s | {name} CPU s' for name, _ in builds) + ' |')
    print('| --- | --- |' + ' --- | --- |' * len(builds))
    with tempfile.TemporaryDirectory() as tmp:
        ko, en = os.path.join(tmp, 'ko.txt'), os.path.join(tmp, 'en.txt')
        open(ko, 'w', encoding='utf-8').write('정부는 오늘 북한과 회담했다.\n')
        open(en, 'w', encoding='utf-8').write('The government held talks with North Korea today.\n')
        empty = os.path.join(tmp, 'empty.txt')
        open(empty, 'w').close()
        cells = [fmt(run([exe, 'align', '--presegmented', '--dict', empty, ko, en], a.cap, a.repeat), a.cap)
                 for _, exe in builds]
        print(f'| (empty dictionary) | 0 | ' + ' | '.join(cells) + ' |', flush=True)
        for shape in a.shapes.split(','):
            gone = set()  # builds that already hit the cap on this shape: a larger size would too
            for n in [int(x) for x in a.sizes.split(',')]:
                d = os.path.join(tmp, f'{shape}-{n}.txt')
                with open(d, 'w', encoding='utf-8') as f:
                    f.writelines(SHAPES[shape](i) + '\n' for i in range(n))
                cells = []
                for name, exe in builds:
                    w = None if name in gone else run([exe, 'align', '--presegmented', '--dict', d, ko, en], a.cap,
                                                      a.repeat)
                    if w is None:
                        gone.add(name)
                    cells.append(fmt(w, a.cap))
                print(f'| {shape} | {n} | ' + ' | '.join(cells) + ' |', flush=True)
                os.unlink(d)


if __name__ == '__main__':
    main()
