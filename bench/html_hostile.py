#!/usr/bin/env python3
"""bench/html_hostile.py: hostile and huge web pages through `ieum segment`, two builds side by side.

Usage: bench/html_hostile.py [--ieum build/cli/ieum] [--base OTHER/cli/ieum] [--timeout 150] [--keep DIR]

Generates pages that break naive HTML handling (made up here, nothing read from ../shared for
them) and runs `ieum segment PAGE` on each with the build under test and, when --base is given,
a baseline build (e.g. one of commit 7b606df), in the same session, one after the other:
  - attrs-200k: one <p> with 200,000 distinct attributes inside an article (libxml2 2.9.14 is
    quadratic in a tag's attributes);
  - attrs-worst: 16 MB of <p> tags with 256 attributes each, the most a tag keeps after the cut;
  - minified: a 16 MB article on a single line (more than the 16 MiB line limit of text files);
  - deep-N: N nested <div>s (N = 300, 1,000, 10,000, 100,000) with paragraphs before, inside
    and after, and fonts-100k: 100,000 unclosed <font>s (libxml2 stops at 256 levels by
    default, and the text after that point was lost);
  - stray: 100,000 open <span>s then 100,000 end tags that close nothing (quadratic stack
    scans once the depth limit is lifted).
For each run it prints wall seconds, peak RSS, the exit code, the number of sentences written
and whether the paragraphs the page holds all came out (a run past --timeout is killed and shown
as "> T s").  When ../shared/data/html is there, its real pages (*.html.gz) are also run through
both builds, and the script counts pages whose output is identical.  Never part of `meson test`.
"""
import argparse
import glob
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time

P = ('<p>The committee met on Monday and agreed to publish its report, which runs to forty pages, '
     'next week.</p>')
DEEP = '<p>The deep paragraph is still part of the article, every word of it.</p>'
LAST = '<p>The last paragraph comes after the deep part, at the top level again.</p>'
HEAD = '<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body><article>'
TAIL = '</article></body></html>'
MB16 = 16 * 1024 * 1024


def pages():
    """(name, html, sentences that must all come out) for every generated case."""
    yield ('attrs-200k', HEAD + P + '<p' + ''.join(f' a{i}="v"' for i in range(200000)) +
           '>The paragraph of the absurd tag keeps its text.</p>' + LAST + TAIL,
           ['The committee met', 'The paragraph of the absurd tag', 'The last paragraph'])
    tag = '<p' + ''.join(f' a{i}' for i in range(256)) + '>Some text of a paragraph here.</p>'
    yield ('attrs-worst', HEAD + P + tag * (MB16 // len(tag)) + LAST + TAIL, ['The last paragraph'])
    yield ('minified', HEAD + P * (MB16 // len(P) + 1) + LAST + TAIL,
           ['The committee met', 'The last paragraph'])
    for n in (300, 1000, 10000, 100000):
        yield (f'deep-{n}', HEAD + P + '<div>' * n + DEEP + '</div>' * n + LAST + TAIL,
               ['The committee met', 'The deep paragraph', 'The last paragraph'])
    yield ('fonts-100k', HEAD + '<font>' * 100000 + DEEP + LAST + TAIL,
           ['The deep paragraph', 'The last paragraph'])
    yield ('stray', HEAD + P + '<span>' * 100000 + '</b>' * 100000 + LAST + TAIL, [])


def run(argv, timeout):
    """Runs argv; returns (seconds or None on timeout, peak RSS MiB, rc, stdout, stderr)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(argv, stdout=out, stderr=err)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                p.kill()
                os.wait4(p.pid, 0)
                return None, 0.0, None, '', ''
            time.sleep(0.02)
        elapsed = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        return (elapsed, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status),
                out.read().decode('utf-8', 'replace'), err.read().decode('utf-8', 'replace'))


def cell(result, want, timeout):
    secs, rss, rc, out, err = result
    if secs is None:
        return f'> {timeout:.0f} s (killed)'
    lines = out.count('\n')
    kept = all(w in out for w in want) if rc == 0 else False
    what = f'{lines} sentences, {"all paragraphs" if kept else "TEXT LOST"}' if rc == 0 else \
        err.strip().splitlines()[0][:90] if err.strip() else 'no message'
    return f'{secs:.2f} s, {rss:.0f} MiB, rc {rc}: {what}'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument('--ieum', default=os.path.join(here, '..', 'build', 'cli', 'ieum'))
    ap.add_argument('--base', help='a baseline ieum to run beside it')
    ap.add_argument('--timeout', type=float, default=150.0)
    ap.add_argument('--keep', help='write the pages here and keep them')
    args = ap.parse_args()
    builds = [('new', os.path.abspath(args.ieum))]
    if args.base:
        builds.insert(0, ('base', os.path.abspath(args.base)))
    tmp = args.keep or tempfile.mkdtemp(prefix='ieum-html-hostile-')
    os.makedirs(tmp, exist_ok=True)
    try:
        print('| case | bytes | ' + ' | '.join(b for b, _ in builds) + ' |')
        print('| --- | --- | ' + ' | '.join('---' for _ in builds) + ' |')
        for name, html, want in pages():
            path = os.path.join(tmp, name + '.html')
            with open(path, 'w', encoding='utf-8') as f:
                f.write(html)
            cells = [cell(run([exe, 'segment', path], args.timeout), want, args.timeout)
                     for _, exe in builds]
            print(f'| {name} | {len(html.encode()):,} | ' + ' | '.join(cells) + ' |', flush=True)
        real = sorted(glob.glob(os.path.join(here, '..', '..', 'shared', 'data', 'html', '**',
                                             '*.html.gz'), recursive=True))
        if not real:
            print('\n../shared/data/html is absent: real pages not run')
            return 0
        total = {b: 0.0 for b, _ in builds}
        outputs = {b: [] for b, _ in builds}
        for g in real:
            path = os.path.join(tmp, 'real.html')
            with gzip.open(g, 'rb') as f, open(path, 'wb') as o:
                o.write(f.read())
            for b, exe in builds:
                secs, _, rc, out, err = run([exe, 'segment', path], args.timeout)
                total[b] += secs or args.timeout
                outputs[b].append((rc, out))
        print(f'\n{len(real)} real pages of ../shared/data/html: ' +
              ', '.join(f'{b} {total[b]:.2f} s in all' for b, _ in builds))
        if len(builds) == 2:
            same = sum(1 for x, y in zip(outputs['base'], outputs['new']) if x == y)
            print(f'identical output (text and exit code) on {same} of {len(real)} pages')
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
