#!/usr/bin/env python3
"""bench/pairs.py: does `ieum align` refuse input that is not a translation pair, and only that?

Over the documents of ../shared/data/align (dev set: pud and parkdev, clean and perturbed), runs
`ieum align --presegmented --tm T.db` on four kinds of pair, each kind into a TM of its own, and
counts the pairs refused (exit 1 with a one-line message) and the documents stored in the TM:
  true       each case's ko.txt with its en.txt: none should be refused;
  unrelated  case i's ko.txt with the en.txt of every other case (or of the next K in sorted
             order, --others K) whose article is another: parkdev03_clean and parkdev03_pert hold
             the same article, so they are never paired: none should be stored;
  swapped    each case's en.txt first, ko.txt second: all should be refused as swapped;
  same       each case's ko.txt on both sides: all should be refused as the same text.
Each figure is printed beside the same run of another build (--base, e.g. a build of main), and
the refusal messages are tallied by kind.  Usage:
  python3 bench/pairs.py [--build build] [--base /tmp/base/build] [--others 3] [--jobs 2]
"""
import argparse
import collections
import concurrent.futures
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def article(case):
    """parkdev03_clean and parkdev03_pert: one article, 'parkdev03'."""
    return case.rsplit('_', 1)[0]


def kinds(root, others):
    cases = sorted(c for c in os.listdir(root) if os.path.isfile(os.path.join(root, c, 'gold.txt')))
    ko = {c: os.path.join(root, c, 'ko.txt') for c in cases}
    en = {c: os.path.join(root, c, 'en.txt') for c in cases}
    out = {'true': [(ko[c], en[c]) for c in cases],
           'unrelated': [],
           'swapped': [(en[c], ko[c]) for c in cases],
           'same': [(ko[c], ko[c]) for c in cases]}
    for i, c in enumerate(cases):
        picked = 0
        for k in range(1, len(cases)):
            d = cases[(i + k) % len(cases)]
            if article(d) == article(c):
                continue
            out['unrelated'].append((ko[c], en[d]))
            picked += 1
            if picked == others:  # 0: all
                break
    return cases, out


def run_kind(ieum, pairs, tmdir, name, jobs):
    db = os.path.join(tmdir, name + '.db')

    def one(p):
        r = subprocess.run([ieum, 'align', '--presegmented', '--tm', db, '-o', os.path.join(tmdir, name + '.out'),
                            p[0], p[1]], capture_output=True, text=True)
        return r.returncode, r.stderr.strip().splitlines()

    # the TM takes one writer at a time: alignments run in parallel only across kinds' TMs
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as ex:
        res = list(ex.map(one, pairs))
    stored = 0
    if os.path.exists(db):
        stored = sqlite3.connect(db).execute('select count(*) from documents').fetchone()[0]
    refused = sum(1 for rc, _ in res if rc != 0)
    why = collections.Counter()
    scores = [float(m.group(1)) for rc, err in res if rc != 0 and err
              for m in [re.search(r'document score (-?[0-9.]+)', err[-1])] if m]
    for rc, err in res:
        if rc == 0:
            continue
        msg = err[-1] if err else '?'
        if 'looks swapped' in msg:
            why['swapped'] += 1
        elif 'same text' in msg:
            why['same text'] += 1
        elif 'does not look like' in msg:
            why['wrong language'] += 1
        elif 'not a translation' in msg:
            why['not a translation'] += 1
        else:
            why['other: ' + msg] += 1
    return {'pairs': len(pairs), 'refused': refused, 'stored': stored, 'why': why, 'scores': scores}


def measure(ieum, out, jobs):
    with tempfile.TemporaryDirectory(prefix='ieum-pairs-') as tmp:
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as ex:
            futs = {k: ex.submit(run_kind, ieum, v, tmp, k, jobs) for k, v in out.items()}
            return {k: f.result() for k, f in futs.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--build', default=os.path.join(HERE, '..', 'build'))
    ap.add_argument('--base', help='another build to measure in the same run (its cli/ieum)')
    ap.add_argument('--others', type=int, default=0, help='unrelated English documents per Korean one (0 = all)')
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--shared', default=os.path.join(HERE, '..', '..', 'shared'))
    a = ap.parse_args()
    root = os.path.join(a.shared, 'data', 'align')
    if not os.path.isdir(root):
        print(f'bench/pairs.py: {root} is missing: nothing measured')
        return 0
    cases, out = kinds(root, a.others)
    builds = [('this', os.path.join(a.build, 'cli', 'ieum'))]
    if a.base:
        builds.append(('base', os.path.join(a.base, 'cli', 'ieum')))
    results = {name: measure(ieum, out, a.jobs) for name, ieum in builds}
    print(f'{len(cases)} cases of {root}; {a.others or "all"} unrelated English documents per Korean one')
    goal = {'true': 'none refused', 'unrelated': 'none stored', 'swapped': 'all refused as swapped',
            'same': 'all refused as the same text'}
    head = f'{"kind":<10} {"pairs":>5}  ' + '  '.join(f'{n + " refused":>13} {n + " stored":>12}' for n, _ in builds)
    print(head + '  goal')
    ok = True
    for k in out:
        cells = '  '.join(f'{results[n][k]["refused"]:>13} {results[n][k]["stored"]:>12}' for n, _ in builds)
        print(f'{k:<10} {len(out[k]):>5}  {cells}  {goal[k]}')
        r = results['this'][k]
        met = {'true': r['refused'] == 0, 'unrelated': r['stored'] == 0,
               'swapped': r['why']['swapped'] == r['pairs'], 'same': r['why']['same text'] == r['pairs']}[k]
        ok &= met
    print('why refused (this build):')
    for k in out:
        w = results['this'][k]['why']
        print(f'  {k:<10} ' + (', '.join(f'{n} {c}' for n, c in w.most_common()) or '-'))
    sc = results['this']['unrelated']['scores']
    if sc:
        print(f'document scores of the unrelated pairs refused: {min(sc):.2f} to {max(sc):.2f} '
              f'(threshold IEUM_PAIR_MIN_SCORE, include/ieum/align.h)')
    print('goals met' if ok else 'goals NOT met')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
