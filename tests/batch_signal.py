#!/usr/bin/env python3
"""tests/batch_signal.py: `ieum batch` stopped by Ctrl-C or SIGTERM, and its progress bar's width.

Usage: batch_signal.py IEUM

Writes PAIRS short article pairs of our own into a scratch folder and checks, printing TAP:
  - SIGINT while pair HELD is in progress (its source is a FIFO the test writes only after the
    signal, so the moment is exact, not a race): no new pair is started, the pair in progress is
    stored, exit 130, stderr and the summary say how many pairs were stored and not tried and give
    the command that resumes; every document in the TM has exactly the units an uninterrupted
    run gives it; that command then stores the rest;
  - SIGTERM the same way: exit 143;
  - on a terminal (a pty) 60 columns wide, every progress-bar line fits in 60 columns; with no
    size from the terminal, $COLUMNS (50) is used; at 30 columns the bar is left out, and at 16
    the rate and ETA too.
"""
import fcntl
import os
import pty
import re
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

PAIRS = 12
HELD = 4          # 0-based index of the pair whose source is a FIFO
tests = 0
failed = 0


def ok(cond, what):
    global tests, failed
    tests += 1
    if not cond:
        failed += 1
    print(('ok' if cond else 'not ok') + f' {tests} - {what}', flush=True)
    return cond


def article(i):
    ko = f'{i}번 기사의 첫 문장이다.\n{i}번 기사는 두 문장을 더 담았다.\n마지막 문장은 {i}번 기사를 끝낸다.\n'
    en = (f'This is the first sentence of article {i}.\nArticle {i} holds two more sentences.\n'
          f'The last sentence ends article {i}.\n')
    return ko, en


def write_pairs(folder):
    os.makedirs(os.path.join(folder, 'ko'), exist_ok=True)
    os.makedirs(os.path.join(folder, 'en'), exist_ok=True)
    with open(os.path.join(folder, 'pairs.tsv'), 'w', encoding='utf-8') as m:
        for i in range(PAIRS):
            ko, en = article(i)
            for side, text in (('ko', ko), ('en', en)):
                with open(os.path.join(folder, side, f'a{i:02d}.txt'), 'w', encoding='utf-8') as f:
                    f.write(text)
            m.write(f'ko/a{i:02d}.txt\ten/a{i:02d}.txt\n')


def per_document(db):
    c = sqlite3.connect(f'file:{db}?mode=ro', uri=True)
    out = {}
    for doc_id, s, t in c.execute('select id, src_path, tgt_path from documents'):
        out[(s, t)] = c.execute('select position, src, tgt, score, bead from units where doc_id = ?'
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


def interrupted_run(ieum, tmp, env, db, sig):
    """A batch over the manifest whose pair HELD reads a FIFO; `sig` comes while it waits there."""
    held = os.path.join(tmp, 'ko', f'a{HELD:02d}.txt')
    with open(held, encoding='utf-8') as f:
        text = f.read()
    os.unlink(held)
    os.mkfifo(held)
    cmd = [ieum, 'batch', '-q', '--jobs', '1', '--tm', db, '--manifest', 'pairs.tsv']
    proc = subprocess.Popen(cmd, cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while proc.poll() is None and count_docs(db) < HELD and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # the worker is now blocked opening the FIFO
    proc.send_signal(sig)
    time.sleep(0.5)  # the writer notices the signal (it looks every 200 ms)
    try:  # the pair in progress can now finish (no reader, ENXIO: the batch is gone already)
        fd = os.open(held, os.O_WRONLY | os.O_NONBLOCK)
        os.write(fd, text.encode('utf-8'))
        os.close(fd)
    except OSError:
        pass
    out, err = proc.communicate(timeout=60)
    os.unlink(held)
    with open(held, 'w', encoding='utf-8') as f:
        f.write(text)
    return proc.returncode, out, err, cmd


def bar_lines(ieum, tmp, env, db, cols, columns_env=None):
    """Runs a batch with stderr on a pty `cols` wide (0: the pty gives no size); its bar lines."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 24, cols, 0, 0))
    e = dict(env)
    e.pop('COLUMNS', None)
    if columns_env:
        e['COLUMNS'] = columns_env
    proc = subprocess.Popen([ieum, 'batch', '--jobs', '1', '--tm', db, '--manifest', 'pairs.tsv'], cwd=tmp,
                            env=e, stdout=subprocess.DEVNULL, stderr=slave)
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
    tty = b''.join(chunks).decode('utf-8', 'replace').replace('\x1b[K', '')
    return [p for p in re.split(r'[\r\n]', tty) if 'pairs' in p and not p.startswith('ieum')], proc.returncode


def main():
    ieum = os.path.abspath(sys.argv[1])
    env = dict(os.environ, LC_ALL='C.UTF-8', SOURCE_DATE_EPOCH='1782000000')
    with tempfile.TemporaryDirectory(prefix='ieum-batch-signal-') as tmp:
        write_pairs(tmp)
        ref = os.path.join(tmp, 'ref.db')
        run = subprocess.run([ieum, 'batch', '-q', '--jobs', '1', '--tm', ref, '--manifest', 'pairs.tsv'], cwd=tmp,
                             env=env, capture_output=True, text=True)
        ok(run.returncode == 0, f'reference run succeeds (rc {run.returncode}) {run.stderr[-300:]!r}')
        want = per_document(ref)

        for sig, name, code in ((signal.SIGINT, 'SIGINT', 130), (signal.SIGTERM, 'SIGTERM', 143)):
            db = os.path.join(tmp, f'{name}.db')
            rc, out, err, cmd = interrupted_run(ieum, tmp, env, db, sig)
            ok(rc == code, f'{name}: exit {code} (got {rc}) {err[-300:]!r}')
            got = per_document(db)
            ok(len(got) == HELD + 1, f'{name}: the {HELD} pairs before and the pair in progress are stored '
               f'(got {len(got)}), no new pair was started')
            ok(all(k in want and want[k] == v for k, v in got.items()),
               f'{name}: each stored document has exactly its reference units')
            not_tried = PAIRS - HELD - 1
            ok(f'document pairs: {PAIRS} ({HELD + 1} stored, 0 already in the TM, 0 failed, {not_tried} not tried)'
               in out, f'{name}: the summary counts the pairs not tried {out!r}')
            ok(f'stopped: interrupted by {name}; {not_tried} pairs not tried' in out and
               f'to resume (pairs stored are skipped), run: ieum batch -q --jobs 1 --tm {db} --manifest pairs.tsv'
               in out, f'{name}: the summary says how to resume')
            ok(re.search(rf'^ieum: interrupted by {name}: storing the 1 pair in progress, then stopping', err, re.M)
               is not None, f'{name}: stderr says at once that the batch stops')
            ok(re.search(rf'^ieum: interrupted by {name}: {HELD + 1} pairs stored, {not_tried} not tried; to resume, '
                         r'run: ieum batch ', err, re.M) is not None, f'{name}: stderr ends with what was stored')
            resume = subprocess.run([ieum, 'batch', '-q', '--jobs', '1', '--tm', db, '--manifest', 'pairs.tsv'],
                                    cwd=tmp, env=env, capture_output=True, text=True)
            ok(resume.returncode == 0 and f'({not_tried} stored, {HELD + 1} already in the TM' in resume.stdout,
               f'{name}: the resume command stores the rest {resume.stdout[:80]!r}')
            ok(per_document(db) == want, f'{name}: the resumed TM holds what the reference does')

        lines, rc = bar_lines(ieum, tmp, env, os.path.join(tmp, 'bar60.db'), 60)
        ok(rc == 0 and lines and all(len(l) <= 60 for l in lines),
           f'60 columns: {len(lines)} bar lines, the longest {max(map(len, lines), default=0)} columns')
        ok(any(re.match(r'\[[#.]{10,}\] \d+/\d+ pairs  [\d.]+ pairs/s  ETA ', l) for l in lines),
           f'60 columns: the bar is drawn {lines[-1:]!r}')
        ok(any(l.startswith(f'[') and f'] {PAIRS}/{PAIRS} pairs' in l and '.' not in l.split(']')[0] for l in lines),
           'the bar ends full')
        lines, rc = bar_lines(ieum, tmp, env, os.path.join(tmp, 'bar50.db'), 0, '50')
        ok(rc == 0 and lines and all(len(l) <= 50 for l in lines),
           f'no size from the terminal, COLUMNS=50: longest {max(map(len, lines), default=0)} columns')
        lines, rc = bar_lines(ieum, tmp, env, os.path.join(tmp, 'bar30.db'), 30)
        ok(rc == 0 and lines and all(len(l) <= 30 for l in lines) and not any('[' in l for l in lines),
           f'30 columns: no bar, the counts {lines[-1:]!r}')
        lines, rc = bar_lines(ieum, tmp, env, os.path.join(tmp, 'bar16.db'), 16)
        ok(rc == 0 and lines and all(len(l) <= 16 for l in lines) and f'{PAIRS}/{PAIRS} pairs' in lines,
           f'16 columns: only the pairs done {lines[-1:]!r}')
    print(f'1..{tests}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
