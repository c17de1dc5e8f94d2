#!/usr/bin/env python3
"""tests/batch_kill.py: `ieum batch` killed at any moment, resumed, read while it writes.

Usage: batch_kill.py IEUM

Writes PAIRS article pairs of our own (built from tests/data/batch, each made unique by its
number) into a scratch folder and checks, printing TAP:
  - a reference run (--jobs 1, no interruption) stores every pair;
  - runs with --jobs 2 killed with SIGKILL at random moments (seeded) leave a TM that passes
    SQLite's integrity check and in which every document present has exactly the units the
    reference gives it (a document is stored whole or not at all), while `ieum tm stats` and a
    plain SQLite reader run against the TM as it is written (WAL: readers never fail);
  - resuming after the kills skips what is stored (summary "N already in the TM") and ends
    with a TM equal to the reference, row for row;
  - stderr carries the final timing line when not a terminal, and on a terminal (a pty) a
    progress bar with rate and ETA, a bad file's message on a line of its own.
"""
import os
import pty
import random
import re
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

PAIRS = 120           # enough that a batch takes long enough to be killed half-way
REPEATS = 4           # each generated article holds its base sentences this many times
KILL_ROUNDS = 4       # kills before the resume that runs to the end
SEED = 20240611

tests = 0
failed = 0


def ok(cond, what):
    global tests, failed
    tests += 1
    if not cond:
        failed += 1
    print(('ok' if cond else 'not ok') + f' {tests} - {what}', flush=True)
    return cond


def articles(data):
    """(ko lines, en lines) of each pair in tests/data/batch."""
    out = []
    for root, _, files in os.walk(os.path.join(data, 'ko')):
        for f in sorted(files):
            rel = os.path.relpath(os.path.join(root, f), os.path.join(data, 'ko'))
            en = os.path.join(data, 'en', rel.replace('.ko.', '.en.'))
            with open(os.path.join(root, f), encoding='utf-8') as k, open(en, encoding='utf-8') as e:
                out.append((k.read().split('\n'), e.read().split('\n')))
    return sorted(out)


def make_pairs(folder, data):
    base = articles(data)
    for i in range(PAIRS):
        ko, en = [f'기사 {i}번: 이음 통신 특집'], [f'Article {i}: an Ieum News special']
        for r in range(REPEATS):
            k, e = base[(i + r) % len(base)]
            ko += [s for s in k if s.strip()]
            en += [s for s in e if s.strip()]
        sub = f'{i % 7:02d}'
        for side, lines in (('ko', ko), ('en', en)):
            os.makedirs(os.path.join(folder, side, sub), exist_ok=True)
            with open(os.path.join(folder, side, sub, f'a{i:04d}.txt'), 'w', encoding='utf-8') as f:
                f.write('\n'.join(lines) + '\n')


def dump(db):
    c = sqlite3.connect(f'file:{db}?mode=ro', uri=True)
    docs = c.execute('select * from documents order by id').fetchall()
    units = c.execute('select * from units order by id').fetchall()
    c.close()
    return docs, units


def per_document(db):
    """{(src_path, tgt_path, hash): [unit rows without ids]}"""
    c = sqlite3.connect(f'file:{db}?mode=ro', uri=True)
    out = {}
    for doc_id, s, t, h in c.execute('select id, src_path, tgt_path, hash from documents'):
        out[(s, t, h)] = c.execute('select position, src, tgt, score, bead from units where doc_id = ?'
                                   ' order by position', (doc_id,)).fetchall()
    c.close()
    return out


def count_docs(db):
    try:
        c = sqlite3.connect(f'file:{db}?mode=ro', uri=True, timeout=5)
        n = c.execute('select count(*) from documents').fetchone()[0]
        c.close()
        return n
    except sqlite3.Error:
        return 0


def main():
    ieum = os.path.abspath(sys.argv[1])
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, LC_ALL='C.UTF-8', SOURCE_DATE_EPOCH='1782000000')
    rnd = random.Random(SEED)
    with tempfile.TemporaryDirectory(prefix='ieum-batch-kill-') as tmp:
        make_pairs(tmp, os.path.join(here, 'data', 'batch'))
        ref = os.path.join(tmp, 'ref.db')
        run = subprocess.run([ieum, 'batch', '--jobs', '1', '--tm', ref, 'ko', 'en'], cwd=tmp, env=env,
                             capture_output=True, text=True)
        ok(run.returncode == 0, f'reference run succeeds (rc {run.returncode}) {run.stderr[-300:]!r}')
        ok(f'document pairs: {PAIRS} ({PAIRS} stored' in run.stdout, 'reference stores every pair')
        ok(re.search(r'^ieum batch: \d+ pairs in [\d.]+ s: [\d.]+ pairs/s, [\d.]+ sentences/s aligned; TM writes: [\d.]+ s of CPU$',
                     run.stderr, re.M) is not None, 'stderr ends with the timing line (not a terminal)')
        want = per_document(ref)
        ok(len(want) == PAIRS, f'reference holds {len(want)} documents')

        db = os.path.join(tmp, 'kill.db')
        stored_before = 0
        for rnd_i in range(KILL_ROUNDS):
            proc = subprocess.Popen([ieum, 'batch', '--jobs', '2', '--tm', db, 'ko', 'en'], cwd=tmp, env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            # wait until this round stored something new, then a random moment more
            deadline = time.monotonic() + 120
            while proc.poll() is None and count_docs(db) <= stored_before and time.monotonic() < deadline:
                if count_docs(db) > 0:  # the TM exists with its schema: a reader must never fail now
                    stats = subprocess.run([ieum, 'tm', 'stats', '--tm', db], env=env, capture_output=True)
                    if stats.returncode != 0:
                        ok(False, f'tm stats fails while the batch writes: {stats.stderr!r}')
                time.sleep(0.005)
            time.sleep(rnd.uniform(0, 0.05))
            killed = proc.poll() is None
            if killed:
                proc.send_signal(signal.SIGKILL)
            proc.communicate()
            check = sqlite3.connect(f'file:{db}?mode=ro', uri=True)
            integrity = check.execute('pragma integrity_check').fetchone()[0]
            check.close()
            ok(integrity == 'ok', f'round {rnd_i + 1} ({"killed" if killed else "finished"}): integrity {integrity}')
            got = per_document(db)
            whole = all(k in want and want[k] == v for k, v in got.items())
            ok(whole, f'round {rnd_i + 1}: each of the {len(got)} documents has exactly its reference units')
            ok(len(got) >= stored_before, f'round {rnd_i + 1}: nothing stored before was lost')
            stored_before = len(got)

        run = subprocess.run([ieum, 'batch', '--jobs', '2', '--tm', db, 'ko', 'en'], cwd=tmp, env=env,
                             capture_output=True, text=True)
        ok(run.returncode == 0, f'the resumed run succeeds (rc {run.returncode})')
        m = re.search(r'document pairs: (\d+) \((\d+) stored, (\d+) already in the TM, (\d+) failed', run.stdout)
        ok(m is not None and int(m.group(3)) == stored_before and int(m.group(2)) == PAIRS - stored_before,
           f'the resume skips the {stored_before} pairs stored before: {m.group(0) if m else run.stdout!r}')
        ok(dump(db) == dump(ref), 'the resumed TM equals the reference, row for row')

        # A concurrent reader during a whole run: counts only grow, never an error.
        db2 = os.path.join(tmp, 'read.db')
        proc = subprocess.Popen([ieum, 'batch', '-q', '--jobs', '2', '--tm', db2, 'ko', 'en'], cwd=tmp, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seen, errors, grew = [], [], True
        while proc.poll() is None:
            if os.path.exists(db2):
                try:
                    c = sqlite3.connect(f'file:{db2}?mode=ro', uri=True, timeout=5)
                    n = c.execute('select count(*) from documents').fetchone()[0]
                    u = c.execute('select count(*) from units').fetchone()[0]
                    c.close()
                    if seen and (n, u) < seen[-1]:
                        grew = False
                    seen.append((n, u))
                except sqlite3.Error as e:
                    if 'no such table' not in str(e):  # the schema is being created
                        errors.append(str(e))
            time.sleep(0.002)
        ok(proc.returncode == 0 and not errors and grew,
           f'a reader during the batch: {len(seen)} reads, no error {errors[:1]}, counts only grow')

        # On a terminal: a progress bar with rate and ETA, cleared lines for messages.
        db3 = os.path.join(tmp, 'tty.db')
        for side, data in (('ko', b'caf\xe9 \xff news.\n'), ('en', b'A bad pair.\n')):
            os.makedirs(os.path.join(tmp, side, 'zz'), exist_ok=True)
            with open(os.path.join(tmp, side, 'zz', 'bad.txt'), 'wb') as f:
                f.write(data)
        master, slave = pty.openpty()
        proc = subprocess.Popen([ieum, 'batch', '--jobs', '2', '--tm', db3, 'ko', 'en'], cwd=tmp, env=env,
                                stdout=subprocess.DEVNULL, stderr=slave)
        os.close(slave)
        chunks = []
        while True:
            r, _, _ = select.select([master], [], [], 0.1)
            if r:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        proc.wait()
        os.close(master)
        tty = b''.join(chunks).decode('utf-8', 'replace')
        ok(proc.returncode == 1 and re.search(r'\[[#.]{30}\] \d+/\d+ pairs  [\d.]+ pairs/s  ETA ', tty) is not None,
           f'on a terminal: a progress bar with rate and ETA, exit 1 for the bad pair ({len(tty)} bytes)')
        ok(f'[{"#" * 30}] {PAIRS + 1}/{PAIRS + 1} pairs' in tty, 'the bar ends full')
        m = re.search(r'(^|\n|\r\x1b\[K)ieum: zz/bad.txt: invalid UTF-8 at byte 3[^\r\n\x1b]*\r\n', tty.replace('ko/zz', 'zz'))
        ok(m is not None, 'a worker\'s message gets a line of its own, not glued to the bar')
    print(f'1..{tests}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
