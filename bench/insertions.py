#!/usr/bin/env python3
"""bench/insertions.py: does a big block of untranslated lines derail `ieum align`?

Builds document pairs from the 1-1 cases of ../shared/data/align (the `_clean` folders, one sentence per
line) with a block of extra lines on one side, aligns them with `ieum align --presegmented --force -f beads`
(--force: the pair check is not what is measured here) and prints, per kind of case, the share of the true
sentence pairs the alignment reproduces as 1-1 beads, for this build and a baseline build side by side.

Kinds of case (the inserted lines are never translations of anything on the other side):
  long        the 2,000 pairs of all clean cases in one document (parkdev then pud) with 1,500 English lines
              inserted in the middle.  The data set holds only these 2,000 pairs, so the inserted lines are
              English sentences of the same pairs drawn in a shuffled order (fixed seed): they repeat true
              lines elsewhere in the document, a harder case than lines of other articles, since their
              numbers, names and words also occur where their true pair is.
  long-uniq   the 1,000 pud pairs with the 1,000 parkdev English lines inserted in the middle: every
              inserted line is distinct and from other articles.
  long-ko     as long-uniq, the parkdev Korean lines inserted on the Korean side instead.
  art-S-P     40-pair articles (the first 40 pairs of every clean case) with S = 5, 15 or 40 English
              lines of another case inserted at P = start, middle or end.
  long-none, art-0   the same pairs with nothing inserted: what the aligner reproduces of them at best
              (parkdev's own line pairing is not perfect: see ../shared/data/align/README.md).
Also the time of the long case, against the baseline's (the cost must stay linear).

Usage: python3 bench/insertions.py [--build build] [--base /tmp/base/build] [--only long,art]
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def read_lines(path):
    with open(path, encoding='utf-8') as f:
        return [l.rstrip('\n') for l in f if l.strip()]


def parse_beads(text):
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        left, right = line.split(':', 1)
        side = lambda s: tuple(int(x) for x in s.strip('[] ').split(',') if x.strip() != '')
        out.append((side(left), side(right)))
    return out


def build_case(tmp, name, ko, en, insert, side, at):
    """ko/en: parallel lists.  Inserts `insert` on `side` before pair index `at`.  Returns (ko path, en path, gold 1-1 set)."""
    gold = set()
    if side == 'en':
        en2 = en[:at] + insert + en[at:]
        ko2 = list(ko)
        for i in range(len(ko)):
            gold.add(((i,), (i if i < at else i + len(insert),)))
    else:
        ko2 = ko[:at] + insert + ko[at:]
        en2 = list(en)
        for i in range(len(en)):
            gold.add(((i if i < at else i + len(insert),), (i,)))
    kp, ep = os.path.join(tmp, name + '.ko'), os.path.join(tmp, name + '.en')
    with open(kp, 'w', encoding='utf-8') as f:
        f.write('\n'.join(ko2) + '\n')
    with open(ep, 'w', encoding='utf-8') as f:
        f.write('\n'.join(en2) + '\n')
    return kp, ep, gold


def run(ieum, kp, ep):
    t = time.monotonic()
    r = subprocess.run([ieum, 'align', '--presegmented', '--force', '-f', 'beads', kp, ep],
                       capture_output=True, text=True)
    dt = time.monotonic() - t
    if r.returncode != 0:
        sys.stderr.write(f'insertions: {ieum} failed on {kp}: {r.stderr.strip()}\n')
        return set(), dt
    return {b for b in parse_beads(r.stdout) if len(b[0]) == 1 and len(b[1]) == 1}, dt


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.path.join(HERE, '..', 'build'))
    ap.add_argument('--base', help='a baseline build directory (e.g. a build of main)')
    ap.add_argument('--data', default=os.path.join(HERE, '..', '..', 'shared', 'data', 'align'))
    ap.add_argument('--only', default='', help='comma-separated prefixes of the kinds to run (long, art)')
    ap.add_argument('--seed', type=int, default=14)
    a = ap.parse_args()
    if not os.path.isdir(a.data):
        print(f'insertions: {a.data} is absent: nothing to measure (put ../shared beside the repository)')
        return 0
    builds = [('this', os.path.join(os.path.abspath(a.build), 'cli', 'ieum'))]
    if a.base:
        builds.append(('base', os.path.join(os.path.abspath(a.base), 'cli', 'ieum')))
    for _, b in builds:
        if not os.access(b, os.X_OK):
            sys.exit(f'insertions: {b} is not built')
    cases = sorted(c for c in os.listdir(a.data) if c.endswith('_clean'))
    pairs = {c: (read_lines(os.path.join(a.data, c, 'ko.txt')), read_lines(os.path.join(a.data, c, 'en.txt')))
             for c in cases}
    park = [c for c in cases if c.startswith('parkdev')]
    pud = [c for c in cases if c.startswith('pud')]
    rnd = random.Random(a.seed)
    only = [x for x in a.only.split(',') if x]
    want = lambda kind: not only or any(kind.startswith(o) for o in only)

    jobs = []  # (kind, ko, en, insert, side, at)
    all_ko = [k for c in park + pud for k in pairs[c][0]]
    all_en = [e for c in park + pud for e in pairs[c][1]]
    if want('long-none'):
        jobs.append(('long-none', all_ko, all_en, [], 'en', 0))
    if want('long'):
        ins = list(all_en)
        rnd.shuffle(ins)
        jobs.append(('long', all_ko, all_en, ins[:1500], 'en', len(all_ko) // 2))
    pud_ko = [k for c in pud for k in pairs[c][0]]
    pud_en = [e for c in pud for e in pairs[c][1]]
    park_ko = [k for c in park for k in pairs[c][0]]
    park_en = [e for c in park for e in pairs[c][1]]
    if want('long-uniq'):
        jobs.append(('long-uniq', pud_ko, pud_en, park_en, 'en', len(pud_ko) // 2))
    if want('long-ko'):
        jobs.append(('long-ko', pud_ko, pud_en, park_ko, 'ko', len(pud_ko) // 2))
    if want('art-0'):
        for c in cases:
            jobs.append(('art-0', pairs[c][0][:40], pairs[c][1][:40], [], 'en', 0))
    for size in (5, 15, 40):
        for pos in ('start', 'middle', 'end'):
            kind = f'art-{size}-{pos}'
            if not want(kind):
                continue
            for x, c in enumerate(cases):
                ko, en = pairs[c][0][:40], pairs[c][1][:40]
                other = cases[(x + len(cases) // 2) % len(cases)]  # another article (pud against parkdev)
                oe = pairs[other][1]
                off = rnd.randrange(0, len(oe) - size)
                at = {'start': 0, 'middle': 20, 'end': 40}[pos]
                jobs.append((kind, ko, en, oe[off:off + size], 'en', at))

    res = {}  # (kind, build) -> [found, total, seconds]
    with tempfile.TemporaryDirectory(prefix='ieum-insertions-') as tmp:
        for n, (kind, ko, en, ins, side, at) in enumerate(jobs):
            kp, ep, gold = build_case(tmp, f'c{n}', ko, en, ins, side, at)
            for bname, ieum in builds:
                found, dt = run(ieum, kp, ep)
                r = res.setdefault((kind, bname), [0, 0, 0.0])
                r[0] += len(found & gold)
                r[1] += len(gold)
                r[2] += dt
    kinds = []
    for j in jobs:
        if j[0] not in kinds:
            kinds.append(j[0])
    head = f"{'case':<16}" + ''.join(f'{b + " found":>14}{b + " s":>9}' for b, _ in builds)
    print('True 1-1 pairs reproduced (share of the true pairs), and wall time summed over the cases')
    print(head)
    for k in kinds:
        line = f'{k:<16}'
        for b, _ in builds:
            f, t, s = res[(k, b)]
            line += f'{f / t:>14.4f}{s:>9.2f}'
        print(line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
