#!/usr/bin/env python3
"""bench/speed.py: throughput and peak memory of `ieum align` and `ieum segment` as input grows.

Builds document pairs of N sentences (1k, 10k, 100k by default; --sizes to change) from real Korean and
English sentences (../shared/data/align when present, else a synthetic generator with the same length
statistics, said in the output), runs each command in a fresh process, and reports wall time,
sentences per second and peak RSS, so that how cost grows with size is visible.

Usage: python3 bench/speed.py [--build build] [--sizes 1000,10000,100000] [--repeat 3]
"""
import argparse, os, random, resource, subprocess, sys, tempfile, time

def sentences(shared):
    ko, en = [], []
    root = os.path.join(shared, 'data', 'align')
    if os.path.isdir(root):
        for case in sorted(os.listdir(root)):
            if case.endswith('_clean'):
                ko += open(os.path.join(root, case, 'ko.txt'), encoding='utf-8').read().split('\n')
                en += open(os.path.join(root, case, 'en.txt'), encoding='utf-8').read().split('\n')
        pairs = [(k, e) for k, e in zip(ko, en) if k.strip() and e.strip()]
        return pairs, 'real sentence pairs from ' + root
    rnd = random.Random(7)
    pairs = []
    for _ in range(2000):
        n = rnd.randint(8, 60)
        k = ''.join(rnd.choice('가나다라마바사아자차카타파하') if i % 5 else ' ' for i in range(n))
        e = ' '.join('x' * rnd.randint(2, 9) for _ in range(int(n * 2.2 / 6)))
        pairs.append((k + '.', e + '.'))
    return pairs, 'synthetic pairs (../shared is absent)'

def measure(argv, repeat):
    best = None
    for _ in range(repeat):
        code = ('import resource,subprocess,sys,time;t=time.perf_counter();'
                'r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL);'
                'w=time.perf_counter()-t;'
                'print(r.returncode,w,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)')
        out = subprocess.run([sys.executable, '-c', code] + argv, capture_output=True, text=True).stdout.split()
        rc, wall, rss = int(out[0]), float(out[1]), int(out[2])
        if rc != 0:
            raise SystemExit(f'failed ({rc}): {" ".join(argv)}')
        if best is None or wall < best[0]:
            best = (wall, rss)
    return best

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    ap.add_argument('--sizes', default='1000,10000,100000')
    ap.add_argument('--repeat', type=int, default=3)
    a = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ieum = os.path.join(repo, a.build, 'cli', 'ieum')
    shared = os.environ.get('IEUM_SHARED') or os.path.join(os.path.dirname(repo), 'shared')
    pairs, origin = sentences(shared)
    print(f'# input: {origin}; {len(pairs)} distinct pairs, repeated to size; best of {a.repeat} runs')
    print('| command | sentences per side | wall s | sentences/s | peak RSS MB |')
    print('| --- | --- | --- | --- | --- |')
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(x) for x in a.sizes.split(',')]:
            rnd = random.Random(n)
            ko, en = [], []
            for i in range(n):
                k, e = pairs[i % len(pairs)]
                ko.append(k)
                # About 3% of English sentences dropped and 3% merged, as in real pairs.
                x = rnd.random()
                if x < 0.03:
                    continue
                if x < 0.06 and en:
                    en[-1] = en[-1] + ' ' + e
                    continue
                en.append(e)
            kp, ep = os.path.join(tmp, f'ko{n}.txt'), os.path.join(tmp, f'en{n}.txt')
            open(kp, 'w', encoding='utf-8').write('\n'.join(ko) + '\n')
            open(ep, 'w', encoding='utf-8').write('\n'.join(en) + '\n')
            wall, rss = measure([ieum, 'align', '--presegmented', '-f', 'beads', kp, ep], a.repeat)
            print(f'| align --presegmented | {n} | {wall:.3f} | {n / wall:,.0f} | {rss / 1024:.1f} |')
            # Segmentation: the same text as running paragraphs of 5 sentences.
            pp = os.path.join(tmp, f'para{n}.txt')
            open(pp, 'w', encoding='utf-8').write(
                '\n'.join(' '.join(en[i:i + 5]) for i in range(0, len(en), 5)) + '\n')
            size = os.path.getsize(pp) / 1e6
            wall, rss = measure([ieum, 'segment', '--lang', 'en', pp], a.repeat)
            print(f'| segment en ({size:.1f} MB) | {len(en)} | {wall:.3f} | {len(en) / wall:,.0f} | {rss / 1024:.1f} |')
            wall, rss = measure([ieum, 'align', '-f', 'beads', kp, ep], a.repeat)
            print(f'| align (segmenting) | {n} | {wall:.3f} | {n / wall:,.0f} | {rss / 1024:.1f} |')

if __name__ == '__main__':
    main()
