#!/usr/bin/env python3
"""bench/paragraphs.py: what paragraph boundaries are worth to the aligner.

../shared/data/align gives one sentence per line and no paragraphs. This script gives every case
paragraphs (blank lines) at gold bead boundaries, 1-5 beads per paragraph, in two draws that differ
in how freely the English edition re-paragraphs:
  draw 1: an English paragraph end is dropped at 20% of the Korean ones, and one is added at 10% of
          the other bead boundaries;
  draw 2: 2-7 beads per paragraph, either side drops an end at 10%, English adds one at 25%.
Line indices do not change (presegmented input skips blank lines), so the gold beads still hold.
It then runs `ieum align --presegmented -f beads` on the flat cases and on both draws and prints
strict F1 per family as ../shared/tools/score_align.py computes it.

Usage: python3 bench/paragraphs.py [--build build]
"""
import argparse, os, random, re, subprocess, sys, tempfile


def beads(gold):
    out = []
    for line in gold.strip().split('\n'):
        m = re.match(r'\[(.*)\]:\[(.*)\]', line)
        out.append(([int(x) for x in m.group(1).split(',') if x], [int(x) for x in m.group(2).split(',') if x]))
    return out


def draw(case, ko, en, gold, which):
    rnd = random.Random(case + ('' if which == 1 else 'v2'))
    lo, hi = (1, 5) if which == 1 else (2, 7)
    kbreak, ebreak = set(), set()
    left, lastk, laste = rnd.randint(lo, hi), -1, -1
    for s, t in beads(gold):
        if s:
            lastk = max(s)
        if t:
            laste = max(t)
        left -= 1
        if left == 0:
            left = rnd.randint(lo, hi)
            if which == 1:
                kbreak.add(lastk)
                if rnd.random() > 0.2:
                    ebreak.add(laste)
            else:
                if rnd.random() > 0.1:
                    kbreak.add(lastk)
                if rnd.random() > 0.1:
                    ebreak.add(laste)
        elif rnd.random() < (0.1 if which == 1 else 0.25):
            ebreak.add(laste)
    return kbreak, ebreak


def write(lines, breaks, path):
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i in breaks and i != len(lines) - 1:
            out.append('')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('\n'.join(out) + '\n')


def score(shared, cases, ieum):
    r = subprocess.run([sys.executable, os.path.join(shared, 'tools', 'score_align.py'), '--dir', cases,
                        '--pred-cmd', ieum + ' align --presegmented -f beads {src} {tgt}'],
                       capture_output=True, text=True, check=True)
    return [l.split('|')[0].replace('strict ', '') for l in r.stdout.splitlines()
            if l.startswith('== ') and 'failures' not in l]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    a = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ieum = os.path.join(repo, a.build, 'cli', 'ieum')
    shared = os.environ.get('IEUM_SHARED') or os.path.join(os.path.dirname(repo), 'shared')
    root = os.path.join(shared, 'data', 'align')
    if not os.path.isdir(root):
        print(f'paragraphs: {root} is absent: nothing to measure (put the shared data beside the repository)')
        return
    with tempfile.TemporaryDirectory() as tmp:
        for which in (1, 2):
            for case in sorted(os.listdir(root)):
                src = os.path.join(root, case)
                if not os.path.isdir(src):
                    continue
                ko = open(os.path.join(src, 'ko.txt'), encoding='utf-8').read().split('\n')
                en = open(os.path.join(src, 'en.txt'), encoding='utf-8').read().split('\n')
                ko, en = ko[:-1] if ko[-1] == '' else ko, en[:-1] if en[-1] == '' else en
                gold = open(os.path.join(src, 'gold.txt')).read()
                kb, eb = draw(case, ko, en, gold, which)
                d = os.path.join(tmp, f'draw{which}', case)
                os.makedirs(d)
                write(ko, kb, os.path.join(d, 'ko.txt'))
                write(en, eb, os.path.join(d, 'en.txt'))
                with open(os.path.join(d, 'gold.txt'), 'w') as f:
                    f.write(gold)
        print('# strict P, R, F1 per family (score_align.py)')
        for name, cases in (('no paragraphs', root), ('draw 1', os.path.join(tmp, 'draw1')),
                            ('draw 2', os.path.join(tmp, 'draw2'))):
            print(f'## {name}')
            for line in score(shared, cases, ieum):
                print(line)


if __name__ == '__main__':
    main()
