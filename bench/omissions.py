#!/usr/bin/env python3
"""bench/omissions.py: does `ieum align` find the sentences one side leaves out?

Over the perturbed cases of ../shared/data/align (`*_pert`: pairs whose one side was dropped, 1-0 and 0-1 beads,
beside merges), aligns each case (`ieum align --presegmented -f beads`) and prints, per family and in all:
  omissions found   gold 1-0 and 0-1 beads the alignment reproduces, of all of them;
  folded            of those missed, how many are inside a predicted merge (the dropped side's sentence
                    joined to a neighbour's 2-1 or 1-2: a "missed omission");
  false omissions   predicted 1-0 and 0-1 beads that are not gold;
  1-1 precision     predicted 1-1 beads that are gold beads (must not fall);
  strict F1         as score_align.py counts it (omissions left out of recall).
With --base, the same for another build in the same run, side by side.

Usage: python3 bench/omissions.py [--build build] [--base /tmp/base/build] [--all]   (--all: clean cases too)
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def parse(text):
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        left, right = line.split(':', 1)
        side = lambda s: tuple(int(x) for x in s.strip('[] ').split(',') if x.strip() != '')
        out.append((side(left), side(right)))
    return out


def f1(gold, pred):
    g = set(gold)
    p_ok = sum(1 for b in pred if b in g)
    both = lambda beads: [b for b in beads if b[0] and b[1]]
    r_ok = sum(1 for b in both(gold) if b in set(both(pred)))
    return p_ok, len(pred), r_ok, len(both(gold))


def measure(ieum, cases):
    fam = {}
    for c in cases:
        with open(os.path.join(c, 'gold.txt'), encoding='utf-8') as f:
            gold = parse(f.read())
        r = subprocess.run([ieum, 'align', '--presegmented', '--force', '-f', 'beads',
                            os.path.join(c, 'ko.txt'), os.path.join(c, 'en.txt')], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f'omissions: {ieum} failed on {c}: {r.stderr.strip()}')
        pred = parse(r.stdout)
        ps = set(pred)
        gs = set(gold)
        name = os.path.basename(c)
        k = name.rstrip('_').split('_')[0].rstrip('0123456789') + '_' + name.rsplit('_', 1)[1]
        st = fam.setdefault(k, [0] * 10)
        for b in gold:
            if b[0] and b[1]:
                continue
            st[0] += 1
            if b in ps:
                st[1] += 1
            else:
                seg = b[0] or b[1]
                side = 0 if b[0] else 1
                if any(len(p[side]) > 1 and seg[0] in p[side] and p[0] and p[1] for p in pred):
                    st[2] += 1
        for b in pred:
            if not (b[0] and b[1]):
                st[3] += 1
                st[4] += b not in gs
            if len(b[0]) == 1 and len(b[1]) == 1:
                st[5] += 1
                st[6] += b in gs
        a, bb, c2, d = f1(gold, pred)
        st[7] += a
        st[8] += bb
        st[9] += 0
        st.append((c2, d))
    return fam


def summary(st):
    p = st[7] / st[8] if st[8] else 0
    rr = [x for x in st[10:]]
    r = sum(x[0] for x in rr) / max(1, sum(x[1] for x in rr))
    f = 2 * p * r / (p + r) if p + r else 0
    return {'found': st[1] / st[0] if st[0] else 0, 'gold': st[0], 'folded': st[2],
            'false': st[4], 'pred': st[3], 'p11': st[6] / st[5] if st[5] else 0, 'f1': f}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.path.join(HERE, '..', 'build'))
    ap.add_argument('--base', help='a baseline build directory (e.g. a build of main)')
    ap.add_argument('--data', default=os.path.join(HERE, '..', '..', 'shared', 'data', 'align'))
    ap.add_argument('--all', action='store_true', help='clean cases too')
    a = ap.parse_args()
    if not os.path.isdir(a.data):
        print(f'omissions: {a.data} is absent: nothing to measure (put ../shared beside the repository)')
        return 0
    builds = [('this', os.path.join(os.path.abspath(a.build), 'cli', 'ieum'))]
    if a.base:
        builds.append(('base', os.path.join(os.path.abspath(a.base), 'cli', 'ieum')))
    cases = sorted(os.path.join(a.data, c) for c in os.listdir(a.data)
                   if (a.all or c.endswith('_pert')) and os.path.isfile(os.path.join(a.data, c, 'gold.txt')))
    res = {b: measure(ieum, cases) for b, ieum in builds}
    fams = sorted(res[builds[0][0]])
    print(f'{len(cases)} cases of {a.data}')
    print(f"{'family':<16}{'build':<6}{'omissions found':>18}{'folded':>8}{'false om.':>10}{'1-1 prec':>10}{'strict F1':>10}")
    for k in fams + ['ALL']:
        for b, _ in builds:
            if k == 'ALL':
                st = [0] * 10
                extra = []
                for v in res[b].values():
                    for x in range(10):
                        st[x] += v[x]
                    extra += v[10:]
                st += extra
            else:
                st = res[b][k]
            s = summary(st)
            print(f"{k:<16}{b:<6}{s['found']:>10.4f} of {s['gold']:<4}{s['folded']:>8}{s['false']:>10}"
                  f"{s['p11']:>10.4f}{s['f1']:>10.4f}")
    return 0


if __name__ == '__main__':
    sys.exit(main())
