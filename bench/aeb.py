#!/usr/bin/env python3
"""bench/aeb.py: article extraction on the Article Extraction Benchmark, scored by its own evaluate.py.

Usage: python3 bench/aeb.py [--ieum build/cli/ieum] [--baseline OTHER/cli/ieum] [--data DIR]
                            [--roles body,...] [--keep DIR] [--n-bootstrap N]

Reads ../shared/data/html/aeb (181 saved pages, html/ID.html.gz, ground-truth.json, evaluate.py; say
--data to read it elsewhere) and stops with a message when it is not there.  The pages are unpacked into a
temporary folder, then:
  - `ieum extract --json PAGE...` runs once over all of them in one process; each page's articleBody is
    its paragraphs whose role is in --roles (default: every paragraph), joined by
    newlines; a page ieum gives no article for gets an empty body (recall 0, as evaluate.py counts it);
  - the same for --baseline; a baseline without `extract` (main before it, c793da5) runs
    `segment --from html --roles` once per page instead (its pages/s then include a process start per
    page and are not comparable: they are printed with that warning);
  - bench/html_parse.c, libxml2's HTML parser alone with the options ieum uses, over the same pages in
    one process (compiled here with cc and pkg-config): the floor the extraction speed is held against.
The prediction files ({"version", "output": {ID: {"articleBody"}}}) go into OUTPUT/ beside a link to
ground-truth.json, and evaluate.py runs there.  Printed: F1, precision, recall (evaluate.py's, with its
bootstrap error), pages without text, pages/s (wall and CPU), peak RSS, per system, and how many pages got a
headline, a byline, a date and a URL (and how many URLs are the benchmark's own); each one-process run is
made --repeat times (default 3) and the fastest counts, as the machine is shared.  --keep DIR keeps the
prediction files.  Published figures on this machine (../shared/data/html/README.md): trafilatura 2.0.0
F1 0.958 at 77 pages/s; ieum 9685eef 0.893 with 17 pages without text.
"""
import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SKIP_ROLES = set()  # every paragraph of the article text (the page's title is metadata, not in it)


def run_measured(cmd, stdout_path, cwd=None):
    """Runs cmd with stdout to a file; returns (rc, wall s, cpu s, peak RSS MB, stderr text)."""
    with open(stdout_path, 'wb') as out, tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.monotonic() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode('utf-8', 'replace')
    return p.returncode, wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, text


def has_extract(ieum):
    r = subprocess.run([ieum, 'extract', '--help'], capture_output=True)
    return r.returncode == 0


def bodies_from_json(path, roles, meta=None):
    """Each page's body; `meta`, when given, gets each page's metadata (title, byline, date, url)."""
    out = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            o = json.loads(line)
            key = os.path.basename(o['file'])[:-len('.html')]
            paras = [p['text'] for p in o['paragraphs'] if roles is None and p['role'] not in SKIP_ROLES
                     or roles is not None and p['role'] in roles]
            out[key] = '\n'.join(paras)
            if meta is not None:
                meta[key] = {k: o.get(k) for k in ('title', 'byline', 'date', 'url')}
    return out


def same_url(a, b):
    """The benchmark's URL and the page's own, but for scheme, "www." and a trailing slash."""
    def norm(u):
        u = re.sub(r'^https?://(www\.)?', '', u.strip()).split('#')[0]
        return u.rstrip('/')
    return bool(a and b) and norm(a) == norm(b)


def metadata_line(tag, meta, truth, n):
    """How many pages got a headline, a byline, a date and a URL (and how many URLs are the benchmark's)."""
    if not meta:
        return f'{tag:<10} metadata: not read (no `extract --json`)'
    count = {k: sum(1 for m in meta.values() if m.get(k)) for k in ('title', 'byline', 'date', 'url')}
    right = sum(1 for k, m in meta.items() if same_url(m.get('url'), truth.get(k, {}).get('url')))
    return (f'{tag:<10} metadata of {n} pages: headline {count["title"]}, byline {count["byline"]}, date '
            f'{count["date"]}, url {count["url"]} ({right} the benchmark\'s own URL)')


def extract_one_process(ieum, pages, work, tag, roles, repeat):
    jsonl = os.path.join(work, tag + '.jsonl')
    runs = [run_measured([ieum, 'extract', '--json'] + pages, jsonl) for _ in range(repeat)]
    meta = {}
    bodies = bodies_from_json(jsonl, roles, meta)
    return bodies, {'wall': min(r[1] for r in runs), 'cpu': min(r[2] for r in runs), 'rss': max(r[3] for r in runs),
                    'errors': runs[-1][4].count('\n'), 'per_page': False, 'meta': meta}


def extract_per_page(ieum, pages, work, tag, roles):
    """A build without `extract`: `segment --from html --roles`, one process per page."""
    bodies, wall, cpu, rss, errors = {}, 0.0, 0.0, 0.0, 0
    out = os.path.join(work, tag + '.txt')
    for page in pages:
        rc, w, c, r, err = run_measured([ieum, 'segment', '--from', 'html', '--roles', '--blank-lines', page], out)
        wall, cpu, rss = wall + w, cpu + c, max(rss, r)
        key = os.path.basename(page)[:-len('.html')]
        if rc != 0:
            errors += 1
            bodies[key] = ''
            continue
        lines = []
        with open(out, encoding='utf-8') as f:
            for n, line in enumerate(f):
                line = line.rstrip('\n')
                if not line:
                    lines.append('')
                    continue
                role, _, text = line.partition('\t')
                if n == 0 and role == 'headline':
                    continue  # the page's title (metadata), which segment puts first; extract leaves it out
                if (roles is None and role not in SKIP_ROLES) or (roles is not None and role in roles):
                    lines.append(text)
        bodies[key] = re.sub(r'\n{2,}', '\n', ' '.join(x if x else '\n' for x in lines)).strip()
    return bodies, {'wall': wall, 'cpu': cpu, 'rss': rss, 'errors': errors, 'per_page': True}


def bare_parse(pages, work, repeat):
    exe = os.path.join(work, 'html_parse')
    flags = subprocess.run(['pkg-config', '--cflags', '--libs', 'libxml-2.0'], capture_output=True,
                           text=True, check=True).stdout.split()
    subprocess.run(['cc', '-O2', '-o', exe, os.path.join(HERE, 'html_parse.c')] + flags, check=True)
    out = os.path.join(work, 'html_parse.out')
    runs = [run_measured([exe] + pages, out) for _ in range(repeat)]
    with open(out) as f:
        inner = float(f.read().split()[-1])
    return {'wall': min(r[1] for r in runs), 'cpu': min(r[2] for r in runs), 'rss': max(r[3] for r in runs),
            'loop_cpu': inner}


def evaluate(data, work, predictions, n_bootstrap):
    ev = os.path.join(work, 'eval')
    os.makedirs(os.path.join(ev, 'output'), exist_ok=True)
    os.symlink(os.path.join(data, 'ground-truth.json'), os.path.join(ev, 'ground-truth.json'))
    for name, bodies in predictions.items():
        with open(os.path.join(ev, 'output', name + '.json'), 'w', encoding='utf-8') as f:
            json.dump({'version': name, 'output': {k: {'articleBody': v} for k, v in bodies.items()}}, f,
                      ensure_ascii=False)
    r = subprocess.run([sys.executable, os.path.join(data, 'evaluate.py'), '--n-bootstrap', str(n_bootstrap),
                        '--output', os.path.join(ev, 'metrics.json')], cwd=ev, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit('evaluate.py failed:\n' + r.stderr)
    with open(os.path.join(ev, 'metrics.json')) as f:
        return json.load(f), ev


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--ieum', default=os.path.join(ROOT, 'build', 'cli', 'ieum'))
    ap.add_argument('--baseline', help='another ieum binary, e.g. c793da5 built elsewhere')
    ap.add_argument('--data', default=os.path.join(ROOT, '..', 'shared', 'data', 'html', 'aeb'))
    ap.add_argument('--roles', help='comma-separated paragraph roles kept in the body (default: every '
                    'paragraph)')
    ap.add_argument('--keep', help='keep the prediction files in this folder')
    ap.add_argument('--n-bootstrap', type=int, default=200)
    ap.add_argument('--repeat', type=int, default=3, help='runs of each one-process measurement; the fastest '
                    'counts (the machine is shared)')
    args = ap.parse_args()
    data = os.path.abspath(args.data)
    if not os.path.isfile(os.path.join(data, 'ground-truth.json')):
        print(f'aeb.py: {data} is not there (../shared/data/html/aeb): nothing to measure')
        return 0
    roles = set(args.roles.split(',')) if args.roles else None
    work = tempfile.mkdtemp(prefix='ieum-aeb-')
    try:
        pages_dir = os.path.join(work, 'pages')
        os.mkdir(pages_dir)
        pages, total = [], 0
        for name in sorted(os.listdir(os.path.join(data, 'html'))):
            if not name.endswith('.html.gz'):
                continue
            with gzip.open(os.path.join(data, 'html', name), 'rb') as f:
                raw = f.read()
            path = os.path.join(pages_dir, name[:-3])
            with open(path, 'wb') as f:
                f.write(raw)
            pages.append(path)
            total += len(raw)
        print(f'{len(pages)} pages, {total / 1e6:.1f} MB of HTML, from {data}')
        systems = [('ieum', args.ieum)] + ([('baseline', args.baseline)] if args.baseline else [])
        predictions, runs = {}, {}
        for tag, exe in systems:
            exe = os.path.abspath(exe)
            if has_extract(exe):
                bodies, run = extract_one_process(exe, pages, work, tag, roles, args.repeat)
            else:
                bodies, run = extract_per_page(exe, pages, work, tag, roles)
            for p in pages:
                bodies.setdefault(os.path.basename(p)[:-len('.html')], '')
            predictions[tag] = bodies
            runs[tag] = run
        parse = bare_parse(pages, work, args.repeat)
        metrics, ev = evaluate(data, work, predictions, args.n_bootstrap)
        print(f'{"system":<10} {"F1":>13} {"precision":>13} {"recall":>13} {"no text":>8} {"pages/s":>8} '
              f'{"CPU s":>6} {"pages/CPU s":>11} {"peak MB":>8}')
        for tag, _ in systems:
            m, r = metrics[tag], runs[tag]
            empty = sum(1 for v in predictions[tag].values() if not v.strip())
            note = '  (one process per page: speed not comparable)' if r['per_page'] else ''
            print(f'{tag:<10} {m["f1"]:.3f} ± {m["f1_std"]:.3f} {m["precision"]:.3f} ± {m["precision_std"]:.3f} '
                  f'{m["recall"]:.3f} ± {m["recall_std"]:.3f} {empty:>8} {len(pages) / r["wall"]:>8.0f} '
                  f'{r["cpu"]:>6.2f} {len(pages) / r["cpu"]:>11.0f} {r["rss"]:>8.1f}{note}')
        print(f'{"libxml2":<10} {"(parse only: bench/html_parse.c)":<41} {"":>8} {len(pages) / parse["wall"]:>8.0f} '
              f'{parse["cpu"]:>6.2f} {len(pages) / parse["cpu"]:>11.0f} {parse["rss"]:>8.1f}')
        with open(os.path.join(data, 'ground-truth.json'), encoding='utf-8') as f:
            truth = json.load(f)
        for tag, _ in systems:
            print(metadata_line(tag, runs[tag].get('meta'), truth, len(pages)))
        r = runs['ieum']
        print(f'ieum: {len(pages) / r["wall"] / 77:.1f}x trafilatura 2.0.0\'s 77 pages/s (published here) by wall '
              f'time, {len(pages) / r["cpu"] / 77:.1f}x by CPU time; {r["cpu"] / parse["cpu"]:.2f}x the CPU of the '
              f'bare parse (the machine is shared: CPU time is the steadier figure)')
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            for name in os.listdir(os.path.join(ev, 'output')):
                shutil.copy(os.path.join(ev, 'output', name), args.keep)
    finally:
        shutil.rmtree(work)
    return 0


if __name__ == '__main__':
    sys.exit(main())
