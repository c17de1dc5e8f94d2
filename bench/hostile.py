#!/usr/bin/env python3
"""bench/hostile.py: time and peak memory of `ieum align` on inputs that defeat a widening band.

Repetitive text is where every ladder scores alike, so the best one touches some edge of any band and a
band that widens wherever it is touched widens without end.  The aligner caps it (IEUM_ALIGN_BAND_MAX,
align/dp.c); this harness shows what each input costs, so that a build from before the cap and one
after can be compared on the same machine in the same session.  It generates every input itself, in a
temporary folder that it removes:

  same-N        one Korean sentence repeated N times (1,852, 3,704, 7,408, 100,000 lines), aligned
                against the same file (--presegmented)
  ident-N       that sentence repeated N times (3,000, 100,000) against its English translation repeated
                as many times: identical Korean lines against identical English lines
  sample-800    examples/ko.txt x800 against examples/en.txt x850 (sentence mode: segmenting included)
  large         examples/ko.txt x7,600 against examples/en.txt x7,980, 5% more English than Korean:
                real-looking news sentences, 60 MB in all (sentence mode)
  real-100000   for comparison, when ../shared is there: bench/speed.py's 100k-sentence pair of real
                sentences (3% of the English dropped, 3% merged), --presegmented

Per input: wall time, peak RSS, and whether the ladder covers both sides once and in order (checked on
the `-f beads` output: beads contiguous from 0, and for line input ending at the line counts).  A run is
killed after --cap seconds (default 120) and reported as "> CAP s", so an old build can be measured
without hanging.  Nothing here is part of the test suite; ../shared is not needed.

Usage: python3 bench/hostile.py [--build build | --ieum PATH] [--cap 120] [--only same-1852,large]
"""
import argparse, os, re, subprocess, sys, tempfile

KO = '그는 집으로 돌아갔다.'
EN = 'He went back home.'


def inputs(repo, tmp):
    """(name, src path, tgt path, presegmented, src lines, tgt lines) for every case, files written lazily."""
    cases = []

    def lines(name, text, n):
        path = os.path.join(tmp, name)
        if not os.path.exists(path):
            with open(path, 'w', encoding='utf-8') as f:
                f.write((text + '\n') * n)
        return path

    def article(name, src, copies):
        path = os.path.join(tmp, name)
        if not os.path.exists(path):
            text = open(os.path.join(repo, 'examples', src), encoding='utf-8').read().rstrip('\n') + '\n\n'
            with open(path, 'w', encoding='utf-8') as f:
                for _ in range(copies):
                    f.write(text)
        return path

    for n in (1852, 3704, 7408, 100000):
        cases.append((f'same-{n}', lambda n=n: lines(f'ko{n}.txt', KO, n), lambda n=n: lines(f'ko{n}.txt', KO, n),
                      True, n, n))
    for n in (3000, 100000):
        cases.append((f'ident-{n}', lambda n=n: lines(f'ko{n}.txt', KO, n), lambda n=n: lines(f'en{n}.txt', EN, n),
                      True, n, n))
    cases.append(('sample-800', lambda: article('ko-x800.txt', 'ko.txt', 800),
                  lambda: article('en-x850.txt', 'en.txt', 850), False, None, None))
    cases.append(('large', lambda: article('ko-x7600.txt', 'ko.txt', 7600),
                  lambda: article('en-x7980.txt', 'en.txt', 7980), False, None, None))
    shared = os.environ.get('IEUM_SHARED') or os.path.join(os.path.dirname(repo), 'shared')
    if os.path.isdir(os.path.join(shared, 'data', 'align')):
        cases.append(('real-100000', lambda: real(tmp, shared, 'ko'), lambda: real(tmp, shared, 'en'), True, 100000,
                      None))
    return cases


def real(tmp, shared, side):
    """bench/speed.py's pair of 100k real sentences (written once); the path of one side."""
    kp, ep = os.path.join(tmp, 'real-ko.txt'), os.path.join(tmp, 'real-en.txt')
    if not os.path.exists(kp):
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import random
        import speed
        pairs, _ = speed.sentences(shared)
        rnd = random.Random(100000)
        ko, en = [], []
        for i in range(100000):
            k, e = pairs[i % len(pairs)]
            ko.append(k)
            x = rnd.random()
            if x < 0.03:
                continue
            if x < 0.06 and en:
                en[-1] = en[-1] + ' ' + e
                continue
            en.append(e)
        open(kp, 'w', encoding='utf-8').write('\n'.join(ko) + '\n')
        open(ep, 'w', encoding='utf-8').write('\n'.join(en) + '\n')
    return kp if side == 'ko' else ep


def measure(argv, cap):
    """(wall s or None when killed, peak RSS KB) of one run in a fresh process, killed after cap seconds."""
    code = ('import resource,subprocess,sys,time;t=time.perf_counter()\n'
            'try:\n r=subprocess.run(sys.argv[2:],stdout=subprocess.DEVNULL,timeout=float(sys.argv[1])).returncode\n'
            'except subprocess.TimeoutExpired:\n r=None\n'
            'w=time.perf_counter()-t\n'
            'print(r,w,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)')
    out = subprocess.run([sys.executable, '-c', code, str(cap)] + argv, capture_output=True, text=True).stdout.split()
    rc = None if out[0] == 'None' else int(out[0])
    return rc, float(out[1]), int(out[2])


def ladder_ok(path, n, m):
    """Whether the beads in `path` cover both sides from 0, contiguously (and end at n, m when known)."""
    i = j = 0
    for line in open(path, encoding='utf-8'):
        mt = re.match(r'\[([\d,]*)\]:\[([\d,]*)\]', line)
        if not mt:
            return False
        a = [int(x) for x in mt.group(1).split(',') if x]
        b = [int(x) for x in mt.group(2).split(',') if x]
        if (not a and not b) or a != list(range(i, i + len(a))) or b != list(range(j, j + len(b))):
            return False
        i += len(a)
        j += len(b)
    return n is None or (i == n and (m is None or j == m))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    ap.add_argument('--ieum', help='the ieum binary to measure (default: BUILD/cli/ieum of this checkout)')
    ap.add_argument('--cap', type=float, default=120)
    ap.add_argument('--only', help='comma-separated case names')
    a = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ieum = a.ieum or os.path.join(repo, a.build, 'cli', 'ieum')
    if not os.access(ieum, os.X_OK):
        raise SystemExit(f'hostile: {ieum} not built (meson setup {a.build} && ninja -C {a.build})')
    only = set(a.only.split(',')) if a.only else None
    print(f'# {ieum}; each run killed after {a.cap:g} s')
    print('| input | segments (src x tgt) | wall s | peak RSS MB | ladder |')
    print('| --- | --- | --- | --- | --- |')
    with tempfile.TemporaryDirectory() as tmp:
        for name, src, tgt, lines, n, m in inputs(repo, tmp):
            if only and name not in only:
                continue
            sp, tp = src(), tgt()
            out = os.path.join(tmp, 'beads.txt')
            # --force: the pair check refuses identical and repeated sides; what is measured here is the aligner
            argv = [ieum, 'align', '--force', '-f', 'beads', '-o', out] + (['--presegmented'] if lines else []) + [sp, tp]
            if os.path.exists(out):
                os.remove(out)
            rc, wall, rss = measure(argv, a.cap)
            size = f'{n:,} x {m if m is not None else sum(1 for _ in open(tp, encoding="utf-8")):,}' if n is not None else f'{os.path.getsize(sp) / 1e6:.1f} + {os.path.getsize(tp) / 1e6:.1f} MB'
            if rc is None:
                print(f'| {name} | {size} | > {a.cap:g} | >= {rss / 1024:.0f} | killed |', flush=True)
                continue
            verdict = 'complete' if rc == 0 and os.path.exists(out) and ladder_ok(out, n, m) else f'BAD (exit {rc})'
            print(f'| {name} | {size} | {wall:.2f} | {rss / 1024:.0f} | {verdict} |', flush=True)


if __name__ == '__main__':
    main()
