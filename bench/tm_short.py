#!/usr/bin/env python3
"""bench/tm_short.py: search with a one- or two-character text, and what the schema-4 TM costs.

Builds one TM of --units units per build (--builds, default `build`; give a baseline build first,
e.g. --builds /tmp/base/build,build, to measure both in the same run) with `ieum tm import` of one
TMX file: the sentences of bench/tm_search.py (real Korean-English pairs from ../shared/data/align
when present, else its generator, said in the output) plus one short entry (1-4 characters: the
first syllables of a sentence's words) per 1,000 units, the glossary lines a TM gathers.
For each build, in one process through ctypes on one open handle (read-only):
  import   wall seconds and units/s of the import, the TM's size on disk
  short    --short queries of one or two characters (half glossary entries, half any word's first
           syllables): p50/p95 ms, and how many found a match of 70% or more
  long     --long sentence queries of bench/tm_search.py (edited, renumbered, unseen): p50/p95 ms
A build without the short search finds nothing for short queries (its figure is the baseline).

Usage: python3 bench/tm_short.py [--builds build] [--units 1000000] [--short 300] [--long 300]
"""
import argparse, ctypes, json, os, random, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import tm_search as ts  # noqa: E402  (its sentence generator and TMX writer)

def short_words(units, n, seed=3):
    rnd = random.Random(seed)
    out = []
    while len(out) < n:
        w = rnd.choice(rnd.choice(units)[0].split())
        w = ''.join(c for c in w if c.isalpha())
        if w:
            out.append(w[:rnd.choice((1, 2, 2, 2))])
    return out

def worker(lib_path, db, queries_path):
    lib = ctypes.CDLL(lib_path)
    class Opts(ctypes.Structure):
        _fields_ = [('version', ctypes.c_uint), ('min_score', ctypes.c_int), ('max_results', ctypes.c_size_t),
                    ('exhaustive', ctypes.c_int)]
    CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
    lib.ieum_tm_open.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_char_p, ctypes.c_int]
    lib.ieum_tm_search.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(Opts), CB,
                                   ctypes.c_void_p]
    tm = ctypes.c_void_p()
    if lib.ieum_tm_open(ctypes.byref(tm), db.encode(), 0) != 0:
        sys.exit('cannot open ' + db)
    opts = Opts(1, ts.MIN_SCORE, 10, 0)
    found = [0]
    @CB
    def cb(match, payload):
        found[0] += 1
        return 0
    out = {}
    for kind, queries in json.load(open(queries_path, encoding='utf-8')).items():
        lat, hit = [], 0
        for q in queries:
            b = q.encode()
            found[0] = 0
            t = time.perf_counter()
            if lib.ieum_tm_search(tm, b, len(b), ctypes.byref(opts), cb, None) != 0:
                sys.exit('search failed')
            lat.append((time.perf_counter() - t) * 1000)
            hit += found[0] > 0
        out[kind] = {'p50': ts.pct(lat, 50), 'p95': ts.pct(lat, 95), 'hit': hit, 'n': len(queries)}
    print(json.dumps(out))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--builds', default='build')
    ap.add_argument('--units', type=int, default=1000000)
    ap.add_argument('--short', type=int, default=300)
    ap.add_argument('--long', type=int, default=300)
    ap.add_argument('--worker', nargs=3, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        return worker(*a.worker)
    pairs, origin = ts.real_pairs()
    print(f'# {origin}; {a.units} units')
    random.Random(5).shuffle(pairs)
    held, train = pairs[:len(pairs) // 10], pairs[len(pairs) // 10:]
    units = ts.make_units(train, a.units)
    shorts = short_words(units, a.units // 1000, seed=4)
    glossary = [(w, 'entry') for w in dict.fromkeys(shorts)]
    rnd = random.Random(6)
    # Half the short queries are glossary entries (a user looking a word up), half any word's start.
    queries = {'short': [rnd.choice(shorts) if i % 2 else w for i, w in enumerate(short_words(units, a.short))],
               'long': [q['text'] for q in ts.make_queries(units, held, a.long)]}
    with tempfile.TemporaryDirectory(prefix='ieum-short-') as tmp:
        tmx = os.path.join(tmp, 'tm.tmx')
        ts.write_tmx(tmx, units + glossary)
        qpath = os.path.join(tmp, 'q.json')
        json.dump(queries, open(qpath, 'w', encoding='utf-8'), ensure_ascii=False)
        print('| build | import s | units/s | TM MB | short p50 / p95 ms | short found | long p50 / p95 ms |')
        print('| --- | --- | --- | --- | --- | --- | --- |')
        for build in a.builds.split(','):
            build = os.path.abspath(build)
            db = os.path.join(tmp, os.path.basename(os.path.dirname(build)) + '-' + os.path.basename(build) + '.db')
            t = time.perf_counter()
            subprocess.run([os.path.join(build, 'cli', 'ieum'), 'tm', 'import', '--tm', db, tmx], check=True,
                           stderr=subprocess.DEVNULL)
            wall = time.perf_counter() - t
            n = len(units) + len(glossary)
            res = subprocess.run([sys.executable, __file__, '--worker', os.path.join(build, 'libieum.so'), db, qpath],
                                 check=True, capture_output=True, text=True)
            r = json.loads(res.stdout)
            s, l = r['short'], r['long']
            print(f'| {build} | {wall:.1f} | {n / wall / 1000:.1f}k | {os.path.getsize(db) / 1e6:.0f} | '
                  f'{s["p50"]:.2f} / {s["p95"]:.2f} | {s["hit"]}/{s["n"]} | {l["p50"]:.2f} / {l["p95"]:.2f} |',
                  flush=True)

if __name__ == '__main__':
    main()
