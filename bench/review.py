#!/usr/bin/env python3
"""bench/review.py: how fast `ieum review` answers, on a TM of many documents.

Builds a TM in a scratch folder: one real alignment (`ieum align --tm` of tests/browser/data, our
own Korean-English article, 8 rows) copied --docs times by SQL (each copy its own document and
hash, its units and unaligned sentences, the search index rebuilt), so the TM holds
--docs * 8 units.  No ../shared data is needed.  Then starts `ieum review --no-browser` on it and
times, over --rounds HTTP requests each (loopback, one connection per request, p50/p95 ms):
  list        GET /api/documents (every document with its counts, most doubtful first)
  search      GET /api/documents?q=WORD (a word of one document only: a scan of the units' texts)
  document    GET /api/documents/ID (one document's rows)  -- the read baseline of an operation
  confirm     POST .../ops confirm (one transaction: read the rows twice, write one, log before/after)
  merge+undo  POST .../ops merge then POST .../undo (two transactions, rows renumbered)
and, as baselines: `ieum tm stats` on the same TM (wall time of the process), and the list and search
SQL alone (python's sqlite3, p50 ms) as tm/review.c runs it beside the first way it was written
(the search reading every unit's texts), interleaved round by round on the same TM in the same run.

Usage: python3 bench/review.py [--ieum build/cli/ieum] [--docs 2000] [--rounds 50]
"""
import argparse, json, os, re, sqlite3, statistics, subprocess, sys, tempfile, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def build_tm(ieum, db, docs):
    data = os.path.join(REPO, 'tests', 'browser', 'data')
    subprocess.run([ieum, 'align', '--tm', db, os.path.join(data, 'ko.txt'), os.path.join(data, 'en.txt')],
                   check=True, stdout=subprocess.DEVNULL)
    c = sqlite3.connect(db)
    cols_u = [r[1] for r in c.execute("PRAGMA table_info(units)") if r[1] not in ('id', 'doc_id')]
    cols_a = [r[1] for r in c.execute("PRAGMA table_info(unaligned)") if r[1] not in ('id', 'doc_id')]
    for k in range(2, docs + 1):
        c.execute("INSERT INTO documents(kind, src_path, tgt_path, src_lang, tgt_lang, hash, added)"
                  " SELECT kind, 'news/%d.ko.txt', 'news/%d.en.txt', src_lang, tgt_lang, printf('%%032d', %d), added"
                  " FROM documents WHERE id = 1" % (k, k, k))
        d = c.execute("SELECT last_insert_rowid()").fetchone()[0]
        c.execute("INSERT INTO units(doc_id, %s) SELECT ?, %s FROM units WHERE doc_id = 1"
                  % (', '.join(cols_u), ', '.join(cols_u)), (d,))
        c.execute("INSERT INTO unaligned(doc_id, %s) SELECT ?, %s FROM unaligned WHERE doc_id = 1"
                  % (', '.join(cols_a), ', '.join(cols_a)), (d,))
    # one document holds a word no other has (the search's target)
    c.execute("UPDATE units SET tgt = tgt || ' Gwangalli' WHERE id = (SELECT max(id) FROM units)")
    c.execute("INSERT INTO units_src_fts(units_src_fts) VALUES('rebuild')")
    c.execute("INSERT INTO units_tgt_fts(units_tgt_fts) VALUES('rebuild')")
    c.execute("DELETE FROM units_unindexed")
    c.commit()
    n = c.execute("SELECT count(*) FROM units").fetchone()[0]
    c.close()
    return n


# The documents list as first written (tm/review.c before the GROUP BY join and the trigram search).
OLD_SQL = """SELECT id, src_path, tgt_path, src_lang, tgt_lang, added, units, doubtful, reviewed, unaligned, min_score FROM (
 SELECT d.id, ieum_name(d.src_path) AS src_path, ieum_name(d.tgt_path) AS tgt_path, d.src_lang, d.tgt_lang, d.added,
  (SELECT count(*) FROM main.units WHERE doc_id = d.id) AS units,
  (SELECT count(*) FROM main.units WHERE doc_id = d.id AND review_status IS NULL AND score < ?1) AS doubtful,
  (SELECT count(*) FROM main.units WHERE doc_id = d.id AND review_status IS NOT NULL) AS reviewed,
  (SELECT count(*) FROM unaligned WHERE doc_id = d.id AND no_counterpart = 0) AS unaligned,
  (SELECT min(score) FROM main.units WHERE doc_id = d.id) AS min_score
 FROM documents AS d WHERE d.kind = 'pair' AND (?2 IS NULL
  OR instr(lower(d.src_path), ?2) OR instr(lower(d.tgt_path), ?2)
  OR EXISTS (SELECT 1 FROM main.units AS u WHERE u.doc_id = d.id AND (instr(lower(u.src), ?2) OR instr(lower(u.tgt), ?2)))
  OR EXISTS (SELECT 1 FROM unaligned AS a WHERE a.doc_id = d.id AND instr(lower(a.text), ?2)))
) ORDER BY (doubtful + unaligned) * 1.0 / max(units + unaligned, 1) DESC, doubtful + unaligned DESC, id"""


def c_literals(src, name):
    """The SQL of C definition `name` in tm/review.c (a static string or a macro), its literals joined."""
    m = re.search(r'(?:static const char %s\[\] =|#define %s)(.*?)(?:;\n|\n\n|\n/\*)' % (name, name), src, re.S)
    body = re.sub(r'/\*.*?\*/', '', m.group(1), flags=re.S)
    out = ''
    for tok in re.findall(r'"((?:[^"\\]|\\.)*)"|\b(SQL_[A-Z_]+)\b', body):
        out += tok[0] if tok[0] or not tok[1] else c_literals(src, tok[1])
    return out


def current_sql():
    """The list and the search (3 characters or more) SQL as tm/review.c builds them."""
    src = open(os.path.join(REPO, 'tm', 'review.c'), encoding='utf-8').read()
    head, tail = c_literals(src, 'sql_documents_head'), c_literals(src, 'sql_documents_tail')
    return head + tail, head + c_literals(src, 'sql_documents_fts') + tail


def sql_times(db, rounds):
    """p50/p95 ms of the list and search SQL, first and current, interleaved round by round."""
    c = sqlite3.connect(db)
    c.create_function('ieum_name', 1, lambda x: x)
    new_list, new_search = current_sql()
    cases = (('list (first SQL)', OLD_SQL, (0.5, None)), ('list (SQL)', new_list, (0.5,)),
             ('search (first)', OLD_SQL, (0.5, 'gwangalli')),
             ('search (SQL)', new_search, (0.5, 'gwangalli', '%gwangalli%')))
    times = {name: [] for name, _, _ in cases}
    for _ in range(rounds):
        for name, sql, args in cases:
            t = time.perf_counter()
            c.execute(sql, args).fetchall()
            times[name].append((time.perf_counter() - t) * 1000)
    c.close()
    return {k: (statistics.median(v), pct(v, 95)) for k, v in times.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ieum', default=os.path.join(REPO, 'build', 'cli', 'ieum'))
    ap.add_argument('--docs', type=int, default=2000)
    ap.add_argument('--rounds', type=int, default=50)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix='ieum-bench-review-')
    db = os.path.join(tmp, 'bench.db')
    t0 = time.perf_counter()
    units = build_tm(a.ieum, db, a.docs)
    print(f'TM: {a.docs} documents, {units} units ({time.perf_counter() - t0:.1f} s to build), '
          f'{os.path.getsize(db) / 1e6:.1f} MB')
    t0 = time.perf_counter()
    subprocess.run([a.ieum, 'tm', 'stats', '--tm', db], check=True, stdout=subprocess.DEVNULL)
    stats_ms = (time.perf_counter() - t0) * 1000
    srv = subprocess.Popen([a.ieum, 'review', '--tm', db, '--no-browser', '--user', 'bench'],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = srv.stdout.readline().strip()
    m = re.match(r'http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]+)', url)
    base, token = f'http://127.0.0.1:{m.group(1)}', m.group(2)

    def call(method, path, body=None):
        req = urllib.request.Request(base + path, method=method, headers={'X-Ieum-Token': token},
                                     data=json.dumps(body).encode() if body is not None else None)
        t = time.perf_counter()
        with urllib.request.urlopen(req) as r:
            data = json.loads(r.read())
        return (time.perf_counter() - t) * 1000, data

    rows = {}
    try:
        def timed(name, fn):
            v = [fn() for _ in range(a.rounds)]
            rows[name] = (statistics.median(v), pct(v, 95))

        timed('list', lambda: call('GET', '/api/documents')[0])
        timed('search', lambda: call('GET', '/api/documents?q=gwangalli')[0])
        _, doc = call('GET', '/api/documents/1')
        timed('document', lambda: call('GET', '/api/documents/1')[0])
        first = doc['rows'][0]['key']
        timed('confirm', lambda: call('POST', '/api/documents/1/ops', {'op': 'confirm', 'row': first})[0])
        second = doc['rows'][2]['key']

        def merge_undo():
            t1, _ = call('POST', '/api/documents/1/ops', {'op': 'merge', 'row': second, 'direction': -1})
            t2, _ = call('POST', '/api/documents/1/undo')
            return t1 + t2
        timed('merge+undo', merge_undo)
    finally:
        srv.terminate()
        srv.wait()
    print(f'{"request":14} {"p50 ms":>8} {"p95 ms":>8}')
    for k, (p50, p95) in rows.items():
        print(f'{k:14} {p50:8.2f} {p95:8.2f}')
    print(f'{"tm stats":14} {stats_ms:8.2f} {"":>8}  (baseline: one `ieum tm stats` process on the same TM)')
    for k, (p50, p95) in sql_times(db, a.rounds).items():
        print(f'{k:14} {p50:8.2f} {p95:8.2f}  (the SQL alone, python sqlite3)')
    subprocess.run(['rm', '-rf', tmp])


if __name__ == '__main__':
    sys.exit(main())
