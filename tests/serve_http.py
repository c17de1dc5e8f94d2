#!/usr/bin/env python3
"""tests/serve_http.py: `ieum serve` on a real loopback port, driven over HTTP.

Usage: serve_http.py IEUM [TM]
TM is where the TM lives: a file name made in the test's temporary folder (default), or a
postgresql:// URI (tests/pg_cluster.py gives one; the same checks run on both backends).
Starts the server with a token file (alice write, bob read) on a free port and checks: search
with CAT match percentages and language filters, the tmserver/amaGama shape, concordance, stats,
POST /api/units (added, duplicates, a bad unit adds nothing), TMX import as a streamed upload and
export for a language pair, tokens (missing, wrong, read-only on a write route: 401/403, each
refusal logged without the token), bad JSON, a huge request and a huge upload (413), a client
that disconnects mid-upload (nothing stored, no file left), 30 clients at once, on PostgreSQL the
server's connections ended by pg_terminate_backend (the next searches and a write answer), SIGTERM (exit 0),
and a token file others may read (refused).  Prints TAP.  Writes only in its temporary folder.
"""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

IEUM = sys.argv[1]
TM_ARG = sys.argv[2] if len(sys.argv) > 2 else None
n = 0
failed = 0


def ok(cond, what):
    global n, failed
    n += 1
    if not cond:
        failed += 1
    print(('ok' if cond else 'not ok') + ' %d - %s' % (n, what), flush=True)
    return cond


def skip(what, why):
    global n
    n += 1
    print('ok %d - %s # SKIP %s' % (n, what, why), flush=True)


ALICE = 'alice-0123456789abcdef-write'
BOB = 'bob-fedcba9876543210-read'

UNITS = [
    ('서울시가 내년부터 침수 예측 시스템을 도입한다.', 'Seoul will introduce a flood forecasting system next year.'),
    ('서울시가 내년부터 침수 경보 시스템을 도입한다.', 'Seoul will introduce a flood warning system next year.'),
    ('정부는 3일 새로운 주택 정책을 발표했다.', 'The government announced a new housing policy on the 3rd.'),
    ('이 사업에는 48억 원이 투입된다.', 'The project will cost 4.8 billion won.'),
    ('시민들은 대체로 환영하는 분위기다.', 'Citizens largely welcomed the move.'),
]


def tmx(units, src='ko-KR', tgt='en-US'):
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<tmx version="1.4">',
           '<header creationtool="test" creationtoolversion="1" datatype="plaintext" segtype="sentence"'
           ' adminlang="en" srclang="%s" o-tmf="test"/>' % src, '<body>']
    for s, t in units:
        out.append('<tu><tuv xml:lang="%s"><seg>%s</seg></tuv><tuv xml:lang="%s"><seg>%s</seg></tuv></tu>'
                   % (src, s, tgt, t))
    out += ['</body>', '</tmx>', '']
    return '\n'.join(out).encode()


def request(port, method, path, token=None, body=None, headers=None, timeout=30):
    """(status, body bytes, headers dict) of one request on a fresh connection."""
    h = {'Host': '127.0.0.1:%d' % port, 'Connection': 'close'}
    if token:
        h['Authorization'] = 'Bearer ' + token
    if headers:
        h.update(headers)
    data = body if isinstance(body, bytes) else (body.encode() if body is not None else b'')
    h.setdefault('Content-Length', str(len(data)))
    s = socket.create_connection(('127.0.0.1', port), timeout=timeout)
    try:
        s.sendall(('%s %s HTTP/1.1\r\n' % (method, path)).encode() +
                  b''.join(('%s: %s\r\n' % kv).encode() for kv in h.items()) + b'\r\n' + data)
    except (BrokenPipeError, ConnectionResetError):
        pass
    buf = b''
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
    except (ConnectionResetError, socket.timeout):
        pass
    s.close()
    head, _, rest = buf.partition(b'\r\n\r\n')
    m = re.match(rb'HTTP/1\.\d (\d+)', head)
    hdrs = {}
    for line in head.split(b'\r\n')[1:]:
        k, _, v = line.decode('latin-1').partition(':')
        hdrs[k.strip().lower()] = v.strip()
    return (int(m.group(1)) if m else 0), rest, hdrs


def get_json(port, path, token=ALICE):
    st, body, _ = request(port, 'GET', path, token)
    try:
        return st, json.loads(body)
    except ValueError:
        return st, None


def q(s):
    return urllib.parse.quote(s, safe='')


class Server:
    def __init__(self, tm, tokens, tmpdir, extra=()):
        self.log_path = os.path.join(tmpdir, 'serve-%d.log' % time.monotonic_ns())
        self.log = open(self.log_path, 'w')
        env = dict(os.environ, TMPDIR=os.path.join(tmpdir, 'spool'))
        self.p = subprocess.Popen([IEUM, 'serve', '--tm', tm, '--port', '0', '--tokens', tokens] + list(extra),
                                  stdout=subprocess.DEVNULL, stderr=self.log, env=env)
        self.port = None
        for _ in range(200):
            m = re.search(r'on http://127\.0\.0\.1:(\d+)/', open(self.log_path).read())
            if m:
                self.port = int(m.group(1))
                break
            if self.p.poll() is not None:
                break
            time.sleep(0.05)

    def text(self):
        return open(self.log_path).read()

    def stop(self):
        self.p.terminate()
        try:
            rc = self.p.wait(20)
        except subprocess.TimeoutExpired:
            self.p.kill()
            rc = self.p.wait()
        self.log.close()
        return rc


def main():
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, 'spool'))
        tm = TM_ARG or os.path.join(tmp, 'team.db')
        seed = os.path.join(tmp, 'seed.tmx')
        open(seed, 'wb').write(tmx(UNITS))
        r = subprocess.run([IEUM, 'tm', 'import', '--tm', tm, seed], capture_output=True, text=True)
        ok(r.returncode == 0, 'the seed TMX imports (%s)' % r.stderr.strip())
        tokens = os.path.join(tmp, 'tokens')
        with open(tokens, 'w') as f:
            f.write('# team tokens\nalice write %s\n\nbob read %s\n' % (ALICE, BOB))
        os.chmod(tokens, 0o600)

        srv = Server(tm, tokens, tmp, ['--max-upload', '1'])
        if not ok(srv.port, 'the server starts on a free port'):
            print(srv.text(), file=sys.stderr)
            srv.stop()
            print('1..%d' % n)
            return 1
        port = srv.port

        # search
        st, js = get_json(port, '/api/search?q=' + q(UNITS[0][0]))
        ok(st == 200 and js and js['matches'][0]['match'] == 100 and js['matches'][0]['target'] == UNITS[0][1],
           'an exact source scores 100 and comes first')
        ok(js and len(js['matches']) >= 2 and 70 <= js['matches'][1]['match'] < 100 and
           js['matches'][1]['source'] == UNITS[1][0], 'a near source gets its fuzzy match percentage (%s)'
           % (js and [m['match'] for m in js['matches']]))
        st, js = get_json(port, '/api/search?q=' + q(UNITS[0][0]) + '&n=1')
        ok(st == 200 and len(js['matches']) == 1, 'n limits the matches')
        st, js = get_json(port, '/api/search?q=' + q(UNITS[0][0]) + '&src_lang=ko&tgt_lang=fr')
        ok(st == 200 and js['matches'] == [], 'a language pair the TM lacks finds nothing')
        st, js = get_json(port, '/api/search?q=' + q(UNITS[0][0]) + '&min=101')
        ok(st == 400 and 'min' in js['error']['message'], 'a bad min is a 400 naming it')
        st, js = get_json(port, '/api/search')
        ok(st == 400, 'a search without q is a 400')
        st, body, _ = request(port, 'GET', '/api/search?q=' + q('시속 60km/h 이하 </b>'), BOB)
        ok(st == 200 and '"query":"시속 60km/h 이하 </b>"'.encode() in body and b'\\/' not in body,
           'a slash in an answer is written as is, not escaped as \\/ (%s)' % body[:120])
        # the search is the CLI's: same matches, same percentages
        r = subprocess.run([IEUM, 'tm', 'search', '--tm', tm, '--json', UNITS[1][0]], capture_output=True, text=True)
        cli = [(o['score'], o['source']) for o in map(json.loads, r.stdout.split('\n')[:-1])]
        st, js = get_json(port, '/api/search?q=' + q(UNITS[1][0]))
        ok(cli and cli == [(m['match'], m['source']) for m in js['matches']], 'the server and ieum tm search agree')

        # tmserver / amaGama
        st, body, hdrs = request(port, 'GET', '/tmserver/ko/en/unit/' + q(UNITS[1][0]), ALICE)
        js = json.loads(body) if st == 200 else None
        ok(isinstance(js, list) and js and set(js[0]) == {'source', 'target', 'context', 'quality', 'rank'} and
           js[0]['quality'] == 100 and len(js) <= 3, 'tmserver answers a list of {source, target, context, quality}')
        st, body, _ = request(port, 'GET', '/tmserver/ko_KR/en_US/unit/' + q(UNITS[1][0]) + '?token=' + BOB)
        ok(st == 200 and len(json.loads(body)) >= 1, 'tmserver language codes with underscores, token in the query')
        st, body, _ = request(port, 'GET', '/tmserver/ko/de/unit/' + q(UNITS[1][0]), BOB)
        ok(st == 200 and json.loads(body) == [], 'tmserver: another target language, an empty list')
        st, body, _ = request(port, 'GET', '/tmserver/ko/en/' + q(UNITS[1][0]), BOB)
        ok(st == 404, 'tmserver: a malformed path is a 404')

        # concordance and stats
        st, js = get_json(port, '/api/concordance?q=' + q('시스템') + '&q=' + q('flood'), BOB)
        ok(st == 200 and len(js['units']) == 2, 'concordance finds the units holding every word')
        st, js = get_json(port, '/api/stats', BOB)
        ok(st == 200 and js['units'] == len(UNITS) and js['languages'][0]['units'] == len(UNITS), 'stats count the units')

        # tokens
        st, body, _ = request(port, 'GET', '/api/stats')
        ok(st == 401, 'no token: 401')
        st, body, _ = request(port, 'GET', '/api/stats', 'not-a-token-at-all-0000')
        ok(st == 401, 'a wrong token: 401')
        unit = {'source': '도시 홍수 대책이 시급하다.', 'target': 'Urban flood measures are urgent.',
                'src_lang': 'ko', 'tgt_lang': 'en'}
        st, body, _ = request(port, 'POST', '/api/units', BOB, json.dumps(unit))
        ok(st == 403, 'a read token cannot write: 403')
        log = srv.text()
        ok(log.count('refused 401') >= 2 and 'refused 403 POST /api/units' in log and ALICE not in log and
           BOB not in log and 'not-a-token' not in log, 'refusals are logged, tokens never')

        # units
        st, body, _ = request(port, 'POST', '/api/units', ALICE, json.dumps({'units': [unit]}))
        js = json.loads(body)
        ok(st == 201 and js['added'] == 1 and js['duplicates'] == 0, 'POST /api/units adds a unit')
        st, body, _ = request(port, 'POST', '/api/units', ALICE, json.dumps(unit))
        ok(st == 201 and json.loads(body)['duplicates'] == 1, 'the same unit again is a duplicate, not added')
        st, js = get_json(port, '/api/search?q=' + q(unit['source']), BOB)
        ok(st == 200 and js['matches'][0]['match'] == 100 and js['matches'][0]['target'] == unit['target'],
           'an added unit is found at once by another thread\'s handle')
        ok('alice added 1 units' in srv.text(), 'writes are logged with the user')
        st, body, _ = request(port, 'POST', '/api/units', ALICE, '{"units": [{"source": "가"')
        ok(st == 400 and b'not JSON' in body, 'bad JSON: 400 saying so')
        st, body, _ = request(port, 'POST', '/api/units', ALICE, '[1, 2]')
        ok(st == 400, 'JSON that is not an object: 400')
        bad = [dict(unit, source='새 문장 하나.', target='One new sentence.'), {'source': '타깃 없음', 'src_lang': 'ko',
                                                                              'tgt_lang': 'en'}]
        st, body, _ = request(port, 'POST', '/api/units', ALICE, json.dumps({'units': bad}))
        st2, js = get_json(port, '/api/stats')
        ok(st == 400 and b'units[1]' in body and js['units'] == len(UNITS) + 1,
           'a unit without target: 400 naming it, and the good unit beside it is not added either')
        st, body, _ = request(port, 'POST', '/api/units', ALICE, 'x', {'Content-Length': str(64 << 20)})
        ok(st == 413, 'a huge request (Content-Length 64 MiB): 413 before the body is read')
        big = json.dumps({'units': [dict(unit, note='x' * (9 << 20))]})
        st, body, _ = request(port, 'POST', '/api/units', ALICE, big, {'Content-Length': str(len(big))})
        ok(st in (413, 0), 'a 9 MiB body: 413 (or the connection closed)')
        st, body, _ = request(port, 'DELETE', '/api/units', ALICE)
        ok(st == 405, 'a wrong method: 405')
        st, body, _ = request(port, 'GET', '/nothing', BOB)
        ok(st == 404, 'an unknown route: 404')

        # import (streamed) and export
        more = [('경찰은 사고 원인을 조사하고 있다.', 'Police are investigating the cause of the accident.'),
                ('행사는 오는 10일까지 열린다.', 'The event runs until the 10th.'), UNITS[2]]
        st, body, _ = request(port, 'POST', '/api/import?name=more.tmx', ALICE, tmx(more))
        js = json.loads(body) if st == 201 else {}
        ok(st == 201 and js.get('imported') == 2 and js.get('merged') == 1, 'a TMX upload imports, merging a unit '
           'already there (%s)' % body[:200])
        st, body, _ = request(port, 'POST', '/api/import?name=more.tmx', ALICE, tmx(more))
        ok(st == 409, 'the same file again: 409 already imported')
        st, body, _ = request(port, 'POST', '/api/import', ALICE, b'<tmx><body><tu>')
        ok(st == 400 and b'upload.tmx' in body and b'/proc' not in body, 'a broken TMX: 400 naming the upload')
        st, body, _ = request(port, 'POST', '/api/import', ALICE, b'<' * (2 << 20))
        ok(st in (413, 0), 'an upload over --max-upload: 413')
        # a client that goes away mid-upload
        s = socket.create_connection(('127.0.0.1', port))
        s.sendall(('POST /api/import?name=gone.tmx HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n'
                   'Content-Length: 900000\r\n\r\n' % (port, ALICE)).encode() + tmx(more * 50)[:20000])
        time.sleep(0.3)
        s.close()
        # a client that asks and leaves without reading
        s = socket.create_connection(('127.0.0.1', port))
        s.sendall(('GET /api/export HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nAuthorization: Bearer %s\r\n\r\n'
                   % (port, BOB)).encode())
        s.close()
        time.sleep(0.5)
        st, js = get_json(port, '/api/stats')
        ok(st == 200 and js['units'] == len(UNITS) + 3 and js['documents'] == 3,
           'after clients that disconnect the server answers, and nothing of the broken upload is stored')
        ok(os.listdir(os.path.join(tmp, 'spool')) == [], 'no upload or export file is left in TMPDIR')
        st, body, hdrs = request(port, 'GET', '/api/export?src_lang=ko&tgt_lang=en', BOB)
        try:
            root = ET.fromstring(body)
            tus = root.findall('./body/tu')
        except ET.ParseError:
            tus = []
        ok(st == 200 and 'tmx' in hdrs.get('content-type', '') and len(tus) == len(UNITS) + 3,
           'export: a TMX of every unit of the pair (%d)' % len(tus))
        st, body, _ = request(port, 'GET', '/api/export?format=tsv', BOB)
        ok(st == 200 and body.decode().count('\n') == len(UNITS) + 3, 'export as TSV')
        st, body, _ = request(port, 'GET', '/api/export?format=doc', BOB)
        ok(st == 400, 'an unknown export format: 400')

        # many clients at once
        results = []

        def client(i):
            for _ in range(5):
                st, js = get_json(port, '/api/search?q=' + q(UNITS[i % len(UNITS)][0]), BOB)
                results.append(st == 200 and js['matches'][0]['match'] == 100)
        ts = [threading.Thread(target=client, args=(i,)) for i in range(30)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        ok(len(results) == 150 and all(results), '30 clients at once, 150 searches, every answer right')

        # PostgreSQL: the server's connections are ended from another one (as a restart or an
        # administrator would); every read handle is opened again before its next request
        if TM_ARG:
            r = subprocess.run(['psql', TM_ARG, '-Atc', "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                " WHERE application_name = 'ieum' AND pid <> pg_backend_pid()"],
                               capture_output=True, text=True)
            killed = int(r.stdout.strip() or 0) if r.returncode == 0 else 0
            time.sleep(0.3)
            answers = []
            for _ in range(12):
                st, js = get_json(port, '/api/search?q=' + q(UNITS[2][0]), BOB)
                answers.append(st == 200 and js['matches'][0]['target'] == UNITS[2][1])
            ok(killed >= 2 and all(answers) and 'reopened a read handle' in srv.text(),
               'connections terminated by pg_terminate_backend: the next searches still answer (%d ended, %s)'
               % (killed, answers))
            # the write handle's connection was ended too: the next write opens a new one
            fresh = {'source': '연결이 끊긴 뒤에도 쓸 수 있다.', 'target': 'Writes work after the connection is lost.',
                     'src_lang': 'ko', 'tgt_lang': 'en'}
            st, body, _ = request(port, 'POST', '/api/units', ALICE, json.dumps({'units': [fresh]}))
            st2, js2 = get_json(port, '/api/search?q=' + q(fresh['source']), BOB)
            ok(st == 201 and json.loads(body)['added'] == 1 and st2 == 200 and
               js2['matches'] and js2['matches'][0]['target'] == fresh['target'] and
               'reopened the write handle' in srv.text(),
               'after pg_terminate_backend a write still succeeds: the write handle is opened again (%d %s)'
               % (st, body[:200]))
        else:
            skip('connections terminated by pg_terminate_backend', 'not a PostgreSQL TM')
            skip('a write after pg_terminate_backend', 'not a PostgreSQL TM')
        rc = srv.stop()
        ok(rc == 0 and 'SIGTERM: stopping' in srv.text(), 'SIGTERM stops the server, exit 0')

        # users kept in the TM itself: the token is shown once, only its hash is stored
        r = subprocess.run([IEUM, 'serve', '--tm', tm, '--add-token', 'carol', '--scope', 'write'],
                           capture_output=True, text=True)
        carol = r.stdout.strip()
        r2 = subprocess.run([IEUM, 'serve', '--tm', tm, '--add-token', 'dave'], capture_output=True, text=True)
        dave = r2.stdout.strip()
        lst = subprocess.run([IEUM, 'serve', '--tm', tm, '--list-tokens'], capture_output=True, text=True).stdout
        ok(r.returncode == 0 and re.fullmatch(r'[0-9a-f]{32}', carol) and r2.returncode == 0 and
           lst == 'carol\twrite\ndave\tread\n', '--add-token prints a token, --list-tokens lists the users')
        dump = subprocess.run([IEUM, 'tm', 'export', '--tm', tm, '-f', 'jsonl'], capture_output=True, text=True).stdout
        ok(carol not in dump and carol not in lst, 'the token itself is not stored')
        srv2 = Server.__new__(Server)
        srv2.log_path = os.path.join(tmp, 'serve-tm.log')
        srv2.log = open(srv2.log_path, 'w')
        srv2.p = subprocess.Popen([IEUM, 'serve', '--tm', tm, '--port', '0'], stdout=subprocess.DEVNULL, stderr=srv2.log)
        srv2.port = None
        for _ in range(200):
            m = re.search(r'on http://127\.0\.0\.1:(\d+)/', open(srv2.log_path).read())
            if m:
                srv2.port = int(m.group(1))
                break
            time.sleep(0.05)
        p2 = srv2.port
        st1, _, _ = request(p2, 'GET', '/api/stats', dave)
        st2, _, _ = request(p2, 'POST', '/api/units', dave, json.dumps(unit))
        st3, body3, _ = request(p2, 'POST', '/api/units', carol, json.dumps(dict(unit, source='새 사용자의 문장이다.')))
        st4, _, _ = request(p2, 'GET', '/api/stats', ALICE)
        ok(st1 == 200 and st2 == 403 and st3 == 201 and st4 == 401 and 'token (write scope' not in srv2.text(),
           'without --tokens the users kept in the TM are the users (%s %s %s %s)' % (st1, st2, st3, st4))
        srv2.stop()
        r = subprocess.run([IEUM, 'serve', '--tm', tm, '--remove-token', 'carol'], capture_output=True, text=True)
        r2 = subprocess.run([IEUM, 'serve', '--tm', tm, '--remove-token', 'carol'], capture_output=True, text=True)
        lst = subprocess.run([IEUM, 'serve', '--tm', tm, '--list-tokens'], capture_output=True, text=True).stdout
        ok(r.returncode == 0 and r2.returncode == 1 and 'no user' in r2.stderr and lst == 'dave\tread\n',
           '--remove-token forgets a user, once')
        r = subprocess.run([IEUM, 'serve', '--tm', tm, '--add-token', 'a b'], capture_output=True, text=True)
        ok(r.returncode == 2 and r.stderr.count('\n') == 1, 'a bad user name: a usage error in one line')

        os.chmod(tokens, 0o644)
        r = subprocess.run([IEUM, 'serve', '--tm', tm, '--port', '0', '--tokens', tokens], capture_output=True,
                           text=True, timeout=30)
        ok(r.returncode == 1 and 'readable by others' in r.stderr and r.stderr.count('\n') == 1,
           'a token file others may read is refused in one line')
        os.chmod(tokens, 0o600)
        with open(tokens, 'a') as f:
            f.write('carol admin short\n')
        r = subprocess.run([IEUM, 'serve', '--tm', tm, '--port', '0', '--tokens', tokens], capture_output=True,
                           text=True, timeout=30)
        ok(r.returncode == 1 and re.search(r'tokens:5: scope', r.stderr), 'a bad token line is named FILE:LINE')
    print('1..%d' % n)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
