#!/usr/bin/env python3
"""bench/calibration.py: do ieum's bead confidences mean what they say?

Aligns every case of ../shared/data/align (`ieum align --presegmented -f jsonl`), judges each predicted bead
right when it equals a gold bead (strict, as score_align.py counts), and prints the reliability table: per
confidence bucket, the beads in it, their mean confidence, the share that are right and the gap between the
two; then the expected calibration error (ECE: the gaps weighed by the buckets' shares of beads) and the
strict precision and share kept of the sentence pairs (beads with both sides, what the TM stores) at
--min-score 0.5 / 0.7 / 0.9.  Beads of every shape count in the table (omissions too: a 1-0 bead is right
when the gold has it); a second table holds the sentence pairs alone.  With --base, the same for another
build in the same run, side by side.

Usage: python3 bench/calibration.py [--build build] [--base /tmp/base/build] [--only parkdev]
"""
import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EDGES = [0.0, 0.5, 0.7, 0.9, 0.95, 0.99, 1.0000001]


def gold_beads(path):
    out = set()
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            left, right = line.split(':', 1)
            side = lambda s: tuple(int(x) for x in s.strip('[] ').split(',') if x.strip() != '')
            out.add((side(left), side(right)))
    return out


def predict(ieum, case):
    r = subprocess.run([ieum, 'align', '--presegmented', '--force', '-f', 'jsonl',
                        os.path.join(case, 'ko.txt'), os.path.join(case, 'en.txt')], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f'calibration: {ieum} failed on {case}: {r.stderr.strip()}')
    return [(tuple(o['src']), tuple(o['tgt']), o['score']) for o in map(json.loads, r.stdout.splitlines())]


def table(rows):
    """rows: (confidence, right).  Returns per-bucket (n, mean conf, accuracy) and the ECE."""
    buckets = []
    total = len(rows)
    ece = 0.0
    for lo, hi in zip(EDGES, EDGES[1:]):
        sel = [(c, r) for c, r in rows if lo <= c < hi]
        if not sel:
            buckets.append((lo, hi, 0, 0.0, 0.0))
            continue
        conf = sum(c for c, _ in sel) / len(sel)
        acc = sum(r for _, r in sel) / len(sel)
        ece += len(sel) / total * abs(acc - conf)
        buckets.append((lo, hi, len(sel), conf, acc))
    return buckets, ece


def measure(ieum, cases):
    beads, pairs = [], []
    for c in cases:
        gold = gold_beads(os.path.join(c, 'gold.txt'))
        for s, t, score in predict(ieum, c):
            right = (s, t) in gold
            beads.append((score, right))
            if s and t:
                pairs.append((score, right))
    return beads, pairs


def kept(pairs, t):
    sel = [r for c, r in pairs if c >= t]
    return (sum(sel) / len(sel) if sel else 0.0), len(sel) / len(pairs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.path.join(HERE, '..', 'build'))
    ap.add_argument('--base', help='a baseline build directory (e.g. a build of main)')
    ap.add_argument('--data', default=os.path.join(HERE, '..', '..', 'shared', 'data', 'align'))
    ap.add_argument('--only', default='', help='only the cases whose name starts with this')
    a = ap.parse_args()
    if not os.path.isdir(a.data):
        print(f'calibration: {a.data} is absent: nothing to measure (put ../shared beside the repository)')
        return 0
    builds = [('this', os.path.join(os.path.abspath(a.build), 'cli', 'ieum'))]
    if a.base:
        builds.append(('base', os.path.join(os.path.abspath(a.base), 'cli', 'ieum')))
    cases = sorted(os.path.join(a.data, c) for c in os.listdir(a.data)
                   if c.startswith(a.only) and os.path.isfile(os.path.join(a.data, c, 'gold.txt')))
    res = {b: measure(ieum, cases) for b, ieum in builds}
    for title, idx in (('all beads', 0), ('sentence pairs (both sides)', 1)):
        print(f'Reliability, {title}, {len(cases)} cases: bucket, beads, mean confidence, share right, gap')
        head = f"{'bucket':<12}" + ''.join(f"{b + ' n':>8}{'conf':>8}{'right':>8}{'gap':>8}" for b, _ in builds)
        print(head)
        tabs = {b: table(res[b][idx]) for b, _ in builds}
        for k in range(len(EDGES) - 1):
            lo, hi = EDGES[k], min(EDGES[k + 1], 1.0)
            line = f'{lo:.2f}-{hi:.2f}  '
            for b, _ in builds:
                _, _, n, conf, acc = tabs[b][0][k]
                line += f'{n:>8}{conf:>8.4f}{acc:>8.4f}{acc - conf:>+8.4f}' if n else f'{0:>8}{"":>24}'
            print(line)
        print(f"{'ECE':<12}" + ''.join(f"{'':>8}{tabs[b][1]:>8.4f}{'':>16}" for b, _ in builds))
        worst = {b: max((abs(acc - conf) for _, _, n, conf, acc in tabs[b][0] if n >= 20), default=0) for b, _ in builds}
        print(f"{'worst gap':<12}" + ''.join(f"{'':>8}{worst[b]:>8.4f}{'':>16}" for b, _ in builds)
              + '   (buckets of 20 beads or more)')
        print()
    print('Sentence pairs kept by --min-score: strict precision / share kept')
    for t in (0.5, 0.7, 0.9):
        print(f'  {t:.1f}' + ''.join(f"   {b}: {kept(res[b][1], t)[0]:.4f} / {kept(res[b][1], t)[1]:.4f}"
                                      for b, _ in builds))
    return 0


if __name__ == '__main__':
    sys.exit(main())
