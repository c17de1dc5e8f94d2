#!/usr/bin/env python3
"""bench/tm_search.py: fuzzy search latency of a TM as it grows, against translate-toolkit and a scan.

Builds TMs of 10k, 100k and 1M units (--sizes) from real Korean-English sentence pairs
(../shared/data/align when present, else a generator with similar shapes, said in the output):
each unit is two real sentences spliced at a word boundary with its numbers redrawn, so units are
many and distinct but share the phrasing of news text.  A tenth of the real sentences is held out.
The TM is built the way a user builds one (`ieum tm import` of a TMX file: throughput reported).
1,000 queries (--queries) are a third TM sources with 1-3 word or character edits, a third TM
sources with their numbers changed, a third unseen sentences (spliced from held-out ones).

For each size, in fresh processes (so peak RSS, read as VmHWM, is the searcher's own):
  ieum     ieum_tm_search() through ctypes on one open handle: p50/p95/p99 latency, matches found
  scan     ieum's exhaustive mode (every unit scored, same scorer), on the first --scan-queries
           queries: latency, and how often the index's best match equals the scan's (recall@1)
  ttk      translate-toolkit's TM (translate.storage.tmdb.TMDB: SQLite FTS3 candidates + Python
           Levenshtein) on the same units and queries, up to --ttk-max units, on the first
           --ttk-queries queries at sizes above 10k, and no more than --ttk-budget seconds of them
and prints the ratios ttk/ieum and scan/ieum of p50 and p95, the TM's size on disk, and peak RSS
(with the part that is TM pages mapped by the search, the OS's shared file cache, shown apart).
Goals at 1M units: p50 < 5 ms, p99 < 50 ms.

With --base OTHER_BUILD, that build searches the same TM and queries first, in the same run: its
latency and CPU per query (the searching thread's) are printed beside this build's, and each query's
matches (unit ids, scores, order) are compared between the two.

Usage: python3 bench/tm_search.py [--build build] [--sizes 10000,100000,1000000] [--queries 1000]
                                  [--base OTHER_BUILD] [--workdir DIR [--reuse]] [--scan-queries 0]
"""
import argparse, ctypes, json, os, random, re, resource, shutil, subprocess, sys, tempfile, time
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.environ.get('IEUM_SHARED') or os.path.join(os.path.dirname(REPO), 'shared')
MIN_SCORE = 70

def real_pairs():
    root = os.path.join(SHARED, 'data', 'align')
    pairs = []
    if os.path.isdir(root):
        for case in sorted(os.listdir(root)):
            if not case.endswith('_clean'):
                continue
            ko = open(os.path.join(root, case, 'ko.txt'), encoding='utf-8').read().split('\n')
            en = open(os.path.join(root, case, 'en.txt'), encoding='utf-8').read().split('\n')
            pairs += [(k.strip(), e.strip()) for k, e in zip(ko, en) if k.strip() and e.strip()]
        if pairs:
            return pairs, f'{len(pairs)} real sentence pairs from {root}'
    rnd = random.Random(7)
    syll = [chr(0xAC00 + rnd.randrange(11172)) for _ in range(400)]
    words = [''.join(rnd.choice('etaoinshrdlucmfwyp') for _ in range(rnd.randint(2, 9))) for _ in range(3000)]
    for _ in range(2000):
        n = rnd.randint(5, 14)
        k = ' '.join(''.join(rnd.choice(syll) for _ in range(rnd.randint(1, 4))) for _ in range(n))
        e = ' '.join(rnd.choice(words) for _ in range(int(n * 1.6)))
        if rnd.random() < 0.5:
            num = str(rnd.randint(1, 2030))
            k += ' ' + num
            e += ' ' + num
        pairs.append((k + '.', e.capitalize() + '.'))
    return pairs, f'{len(pairs)} synthetic sentence pairs ({SHARED} is absent)'

NUM = re.compile(r'\d+')

def redraw_numbers(rnd, k, e):
    nums = {}
    def sub(m):
        if m.group(0) not in nums:
            nums[m.group(0)] = str(rnd.randint(1, 9999))
        return nums[m.group(0)]
    return NUM.sub(sub, k), NUM.sub(sub, e)

def splice(rnd, a, b):
    """Words of a's first part and b's last part, both sides cut at the same fraction."""
    f = rnd.uniform(0.3, 0.7)
    ka, kb, ea, eb = a[0].split(), b[0].split(), a[1].split(), b[1].split()
    k = ka[:max(1, round(len(ka) * f))] + kb[round(len(kb) * f):]
    e = ea[:max(1, round(len(ea) * f))] + eb[round(len(eb) * f):]
    return redraw_numbers(rnd, ' '.join(k), ' '.join(e))

def make_units(train, n, seed=1):
    rnd = random.Random(seed)
    seen, out = set(), []
    for p in train:
        if len(out) < n and p[0] not in seen:
            seen.add(p[0])
            out.append(p)
    while len(out) < n:
        u = splice(rnd, rnd.choice(train), rnd.choice(train))
        if u[0] not in seen:
            seen.add(u[0])
            out.append(u)
    return out

def edit(rnd, s):
    w = s.split()
    for _ in range(rnd.randint(1, 3)):
        op = rnd.random()
        i = rnd.randrange(len(w))
        if op < 0.3 and len(w) > 3:
            del w[i]
        elif op < 0.6:
            w.insert(i, rnd.choice(['또한', '이번', 'also', '새로운', '지난']))
        else:
            word = w[i]
            j = rnd.randrange(len(word))
            w[i] = word[:j] + rnd.choice('가나다라마바사아자차카') + word[j + 1:]
    return ' '.join(w)

def make_queries(units, held, n, seed=2):
    rnd = random.Random(seed)
    qs = []
    for i in range(n):
        kind = ('edit', 'number', 'unseen')[i % 3]
        if kind == 'edit':
            q = edit(rnd, rnd.choice(units)[0])
        elif kind == 'number':
            src = rnd.choice(units)[0]
            q = NUM.sub(lambda m: str(int(m.group(0)) + rnd.randint(1, 9)), src)
            if q == src:
                q = src.rstrip('.') + f' {rnd.randint(1, 99)}.'
        else:
            q = splice(rnd, rnd.choice(held), rnd.choice(held))[0]
        qs.append({'kind': kind, 'text': q})
    return qs

def write_tmx(path, units):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="bench" '
                'creationtoolversion="1" segtype="sentence" o-tmf="none" adminlang="en" srclang="ko" '
                'datatype="plaintext"/><body>\n')
        for i, (k, e) in enumerate(units):
            f.write(f'<tu><prop type="x-position">{i}</prop><tuv xml:lang="ko"><seg>{escape(k)}</seg></tuv>'
                    f'<tuv xml:lang="en"><seg>{escape(e)}</seg></tuv></tu>\n')
        f.write('</body></tmx>\n')

def memory_kb():
    """Peak RSS of this process (VmHWM) and the file-mapped part of its RSS now (RssFile), in KiB.

    Not getrusage's ru_maxrss: Linux carries it over exec from the forked parent, so every worker
    would report the harness's own peak (the 1M units it holds), not its own.  RssFile is the TM's
    pages a search maps in (PRAGMA mmap_size): the OS's shared file cache, counted in RSS."""
    got = {}
    with open('/proc/self/status') as f:
        for line in f:
            k, _, v = line.partition(':')
            if k in ('VmHWM', 'RssFile'):
                got[k] = int(v.split()[0])
    return got.get('VmHWM', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss), got.get('RssFile', 0)

def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] if xs else float('nan')

# ---- workers (run in their own processes) -----------------------------------------------------

def worker_ieum(lib_path, db, queries_path, exhaustive, limit):
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
    opts = Opts(1, MIN_SCORE, 10, exhaustive)
    best, found = [], []
    @CB
    def cb(match, payload):
        score = ctypes.cast(match, ctypes.POINTER(ctypes.c_int))[0]
        unit_id = ctypes.cast(match + 8, ctypes.POINTER(ctypes.c_int64))[0]  # ieum_tm_match.unit.id
        if best[-1] is None:
            best[-1] = score
        found[-1].append([unit_id, score])
        return 0
    queries = json.load(open(queries_path, encoding='utf-8'))[:limit]
    lat, cpu = [], []
    for q in queries:
        b = q['text'].encode()
        best.append(None)
        found.append([])
        c = time.thread_time()
        t = time.perf_counter()
        rc = lib.ieum_tm_search(tm, b, len(b), ctypes.byref(opts), cb, None)
        lat.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
        if rc != 0:
            sys.exit(f'search failed: {rc}')
    rss, mapped = memory_kb()
    print(json.dumps({'lat': lat, 'cpu': cpu, 'best': best, 'found': found, 'rss_kb': rss, 'mapped_kb': mapped}))

def worker_ttk(units_path, queries_path, limit, workdir, budget_s):
    from translate.storage import tmdb
    units = json.load(open(units_path, encoding='utf-8'))
    path = os.path.join(workdir, 'ttk.db')
    if os.path.exists(path):
        os.unlink(path)
    t = time.perf_counter()
    db = tmdb.TMDB(path, max_candidates=10, min_similarity=MIN_SCORE, max_length=1000)
    db.add_list(({'source': k, 'target': e, 'context': ''} for k, e in units), 'ko', 'en')
    build = time.perf_counter() - t
    queries = json.load(open(queries_path, encoding='utf-8'))[:limit]
    lat, best = [], []
    for q in queries:
        if sum(lat) > budget_s * 1000:
            break  # translate-toolkit is slow at this size: measure what the time budget allows
        t = time.perf_counter()
        r = db.translate_unit(q['text'], 'ko', 'en')
        lat.append((time.perf_counter() - t) * 1000)
        best.append(r[0]['quality'] if r else None)
    print(json.dumps({'lat': lat, 'best': best, 'build_s': build, 'size': os.path.getsize(path),
                      'rss_kb': memory_kb()[0], 'mapped_kb': memory_kb()[1]}))

def run_worker(argv, python=sys.executable):
    r = subprocess.run([python, os.path.abspath(__file__), '--worker'] + argv, capture_output=True, text=True)
    if r.returncode != 0:
        print(f'  worker {argv[0]} failed: {r.stderr.strip()[-500:]}')
        return None
    return json.loads(r.stdout)

def ttk_python():
    for py in (sys.executable, '/usr/bin/python3'):
        if os.path.exists(py) and subprocess.run([py, '-c', 'import translate.storage.tmdb'],
                                                 capture_output=True).returncode == 0:
            return py
    return None

def disk_size(db):
    return sum(os.path.getsize(db + s) for s in ('', '-wal') if os.path.exists(db + s))

def main():
    if len(sys.argv) > 1 and sys.argv[1] == '--worker':
        a = sys.argv[2:]
        if a[0] == 'ieum':
            worker_ieum(a[1], a[2], a[3], int(a[4]), int(a[5]))
        else:
            worker_ttk(a[1], a[2], int(a[3]), a[4], float(a[5]))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.path.join(REPO, 'build'))
    ap.add_argument('--sizes', default='10000,100000,1000000')
    ap.add_argument('--queries', type=int, default=1000)
    ap.add_argument('--scan-queries', type=int, default=100, help='queries for the exhaustive scan')
    ap.add_argument('--ttk-max', type=int, default=100000, help='largest TM given to translate-toolkit')
    ap.add_argument('--ttk-queries', type=int, default=200, help='queries for translate-toolkit above 10k units')
    ap.add_argument('--ttk-budget', type=float, default=120,
                    help='seconds of translate-toolkit queries per size (it stops early, saying how many ran)')
    ap.add_argument('--workdir', default=None, help='keep the TMs here (default: a temporary folder)')
    ap.add_argument('--reuse', action='store_true',
                    help='search the TM an earlier run left in --workdir instead of importing it again')
    ap.add_argument('--base', default=None,
                    help='another build (its folder) searched on the same TM and queries in the same run: '
                         'latency and CPU beside this build, and every query\'s matches (ids, scores, order) compared')
    args = ap.parse_args()
    ieum = os.path.join(args.build, 'cli', 'ieum')
    lib = os.path.join(args.build, 'libieum.so')
    if not os.path.exists(ieum) or not os.path.exists(lib):
        sys.exit(f'{ieum} or {lib} missing: build first (meson setup {args.build} && ninja -C {args.build})')
    pairs, origin = real_pairs()
    print('sentences:', origin)
    rnd = random.Random(3)
    rnd.shuffle(pairs)
    held, train = pairs[:len(pairs) // 10], pairs[len(pairs) // 10:]
    work = args.workdir or tempfile.mkdtemp(prefix='ieum-bench-')
    os.makedirs(work, exist_ok=True)
    tpy = ttk_python()
    print('translate-toolkit:', f'with {tpy}' if tpy else 'not installed (apt-get install python3-translate)')
    print(f'queries: {args.queries} (edits, number changes, unseen: a third each); min score {MIN_SCORE}; '
          f'host: {os.cpu_count()} cores')
    rows = []
    for n in [int(s) for s in args.sizes.split(',')]:
        units = make_units(train, n)
        queries = make_queries(units, held, args.queries)
        qpath = os.path.join(work, f'q{n}.json')
        json.dump(queries, open(qpath, 'w', encoding='utf-8'), ensure_ascii=False)
        tmx, db = os.path.join(work, f'tm{n}.tmx'), os.path.join(work, f'tm{n}.db')
        if args.reuse and args.workdir and os.path.exists(db):
            build_s = float('nan')
            print(f'\n== {n} units: the TM of an earlier run ({db}), TM on disk {disk_size(db) / 2**20:.1f} MiB')
        else:
            write_tmx(tmx, units)
            for s in ('', '-wal', '-shm'):
                if os.path.exists(db + s):
                    os.unlink(db + s)
            t = time.perf_counter()
            r = subprocess.run([ieum, 'tm', 'import', '--tm', db, tmx], capture_output=True, text=True)
            build_s = time.perf_counter() - t
            if r.returncode != 0:
                sys.exit(r.stderr)
            os.unlink(tmx)
            print(f'\n== {n} units: imported in {build_s:.1f} s ({n / build_s:,.0f} units/s), '
                  f'TM on disk {disk_size(db) / 2**20:.1f} MiB')
        base = None
        if args.base:
            base = run_worker(['ieum', os.path.join(args.base, 'libieum.so'), db, qpath, '0', str(args.queries)])
        res = run_worker(['ieum', lib, db, qpath, '0', str(args.queries)])
        scan = run_worker(['ieum', lib, db, qpath, '1', str(args.scan_queries)]) if args.scan_queries > 0 else None
        ttk = None
        if tpy and n <= args.ttk_max:
            upath = os.path.join(work, f'u{n}.json')
            json.dump(units, open(upath, 'w', encoding='utf-8'), ensure_ascii=False)
            tq = args.queries if n <= 10000 else args.ttk_queries
            ttk = run_worker(['ttk', upath, qpath, str(tq), work, str(args.ttk_budget)], python=tpy)
            os.unlink(upath)
        row = {'n': n, 'build_s': build_s, 'disk': disk_size(db)}
        for name, w in (('base', base), ('ieum', res), ('scan', scan), ('ttk', ttk)):
            if not w:
                continue
            lat = w['lat']
            row[name] = {'q': len(lat), 'p50': pct(lat, 50), 'p95': pct(lat, 95), 'p99': pct(lat, 99),
                         'found': sum(b is not None for b in w['best']) / len(lat), 'rss': w['rss_kb'] / 1024,
                         'mapped': w.get('mapped_kb', 0) / 1024}
            extra = f", built in {w['build_s']:.1f} s, {w['size'] / 2**20:.1f} MiB" if 'build_s' in w else ''
            print(f'  {name:5s} {len(lat):5d} queries  p50 {row[name]["p50"]:8.2f} ms  p95 {row[name]["p95"]:8.2f} ms'
                  f'  p99 {row[name]["p99"]:8.2f} ms  with a match {100 * row[name]["found"]:5.1f}%'
                  f'  peak RSS {row[name]["rss"]:6.1f} MiB ({row[name]["mapped"]:.0f} MiB of it mapped TM pages)'
                  f'{extra}')
            if 'cpu' in w:
                cpu = w['cpu']
                print(f'        CPU per query: mean {sum(cpu) / len(cpu):6.3f} ms  p50 {pct(cpu, 50):6.3f} ms'
                      f'  p99 {pct(cpu, 99):6.3f} ms')
        if res and base:
            same = sum(a == b for a, b in zip(res['found'], base['found']))
            print(f'  base vs ieum: identical matches (ids, scores, order) on {same}/{len(res["found"])} queries'
                  + ('' if same == len(res['found']) else '  RESULTS DIFFER'))
            print(f'  base/ieum: CPU mean x{sum(base["cpu"]) / sum(res["cpu"]):.2f}, '
                  f'p50 x{pct(base["lat"], 50) / pct(res["lat"], 50):.2f}, p99 x{pct(base["lat"], 99) / pct(res["lat"], 99):.2f}')
        if res and scan:
            k = len(scan['best'])
            agree = sum(res['best'][i] == scan['best'][i] for i in range(k))
            row['recall1'] = agree / k
            print(f'  index vs scan: same best score on {agree}/{k} queries ({100 * agree / k:.1f}%)')
        for other in ('ttk', 'scan'):
            if res and row.get(other):
                print(f'  {other}/ieum: p50 x{row[other]["p50"] / row["ieum"]["p50"]:.1f}, '
                      f'p95 x{row[other]["p95"] / row["ieum"]["p95"]:.1f}')
        rows.append(row)
        if not args.workdir:
            for s in ('', '-wal', '-shm'):
                if os.path.exists(db + s):
                    os.unlink(db + s)
    big = [r for r in rows if r['n'] >= 1000000 and 'ieum' in r]
    if big:
        r = big[-1]['ieum']
        print(f'\ngoals at 1M units: p50 {r["p50"]:.2f} ms (goal < 5 ms: {"met" if r["p50"] < 5 else "MISSED"}), '
              f'p99 {r["p99"]:.2f} ms (goal < 50 ms: {"met" if r["p99"] < 50 else "MISSED"})')
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0

if __name__ == '__main__':
    sys.exit(main())
