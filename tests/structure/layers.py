#!/usr/bin/env python3
"""tests/structure/layers.py: the library's layers use only the layers below them.

Usage: layers.py SOURCE_DIR
The layering (include/ieum/pipeline.h documents it):
    util/      nothing of the others
    formats/   util/            align/   util/            tm/   util/
    pipeline/  util/, formats/, align/, tm/
    cli/       the public API (include/ieum.h) and util/outpath.h, compiled in; server/serve.h
               (starting `ieum serve`)
    server/    the public API, util/http_int.h and itself: a front end beside cli/
For every .c and .h file of a layer two things are checked:
  - each #include "..." names a header of the layer itself or of a layer it may use
    (config.h and the public headers, include/, are open to all);
  - each function it calls that the library defines (public ieum_* or internal ieum_*__*; the
    public headers are included everywhere through util.h, so the includes alone prove little)
    is defined in the layer itself or in one it may use.
Comments and string literals are ignored.  Prints TAP.  Not here: what is exported (symbols.py).
"""
import os
import re
import sys

src = sys.argv[1]
ALLOWED = {
    'util': {'util'},
    'formats': {'formats', 'util'},
    'align': {'align', 'util'},
    'tm': {'tm', 'util'},
    'pipeline': {'pipeline', 'align', 'tm', 'formats', 'util'},
}
LAYERS = list(ALLOWED)


def strip(text):
    """The code of a C file without comments and string or character literals."""
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    text = re.sub(r'//[^\n]*', ' ', text)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    return re.sub(r"'(?:\\.|[^'\\\n])*'", "''", text)


def files_of(layer):
    d = os.path.join(src, layer)
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(('.c', '.h')))


def layer_of_header(path, name):
    """The layer of header `name` included from `path`, '' for config.h and the public headers."""
    if name == 'config.h' or name.startswith('ieum'):
        if os.path.isfile(os.path.join(src, 'include', name)) or name == 'config.h':
            return ''
    for base in (os.path.dirname(path), src, os.path.join(src, 'include'), os.path.join(src, 'util')):
        full = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(full):
            rel = os.path.relpath(full, src)
            top = rel.split(os.sep)[0]
            return '' if top == 'include' else top
    return None


# Where each library function is defined: name -> layer.
defined = {}
for layer in LAYERS:
    for path in files_of(layer):
        if not path.endswith('.c'):
            continue
        code = strip(open(path, encoding='utf-8').read())
        for m in re.finditer(r'^(?!static\b)[A-Za-z_][\w \t\*]*?\b(ieum_\w+)\s*\([^;{]*\)\s*\{', code, re.M):
            defined[m.group(1)] = layer

n = 0
failed = 0


def check(cond, what):
    global n, failed
    n += 1
    if not cond:
        failed += 1
    print('%s %d - %s' % ('ok' if cond else 'not ok', n, what))


for layer in LAYERS:
    bad_includes, bad_calls = [], []
    for path in files_of(layer):
        text = open(path, encoding='utf-8').read()
        rel = os.path.relpath(path, src)
        for m in re.finditer(r'^\s*#\s*include\s+"([^"]+)"', text, re.M):
            owner = layer_of_header(path, m.group(1))
            if owner is None:
                bad_includes.append('%s: "%s" (not found)' % (rel, m.group(1)))
            elif owner and owner not in ALLOWED[layer]:
                bad_includes.append('%s: "%s" (%s/)' % (rel, m.group(1), owner))
        for m in re.finditer(r'\b(ieum_\w+)\s*\(', strip(text)):
            owner = defined.get(m.group(1))
            if owner and owner not in ALLOWED[layer]:
                bad_calls.append('%s: %s() (%s/)' % (rel, m.group(1), owner))
    uses = ', '.join(sorted(ALLOWED[layer] - {layer})) or 'nothing'
    check(not bad_includes, '%s/ includes only %s/ and itself%s' % (layer, uses.replace(', ', '/, '),
          '' if not bad_includes else ': ' + '; '.join(sorted(set(bad_includes)))))
    check(not bad_calls, '%s/ calls only %s/ and itself%s' % (layer, uses.replace(', ', '/, '),
          '' if not bad_calls else ': ' + '; '.join(sorted(set(bad_calls)))))

# cli/: the public API only (plus the util/ file compiled into it).
bad = []
for f in sorted(os.listdir(os.path.join(src, 'cli'))):
    if f.endswith(('.c', '.h')):
        text = open(os.path.join(src, 'cli', f), encoding='utf-8').read()
        for m in re.finditer(r'^\s*#\s*include\s+"([^"]+)"', text, re.M):
            if m.group(1) not in ('cli.h', 'outpath.h', 'serve.h') and not (
                    f == 'cmd_review.c' and m.group(1) in ('server.h', 'report.h')):
                bad.append('cli/%s: "%s"' % (f, m.group(1)))
        for m in re.finditer(r'\b(ieum_\w+__\w+)\s*\(', strip(text)):
            # cmd_review.c runs the review app's server (review/server.c over util/http.c, compiled in);
            # cmd_serve.c the TM server's (server/).
            if not m.group(1).startswith(('ieum__outpath_', 'ieum_serve__')) and not (
                    f == 'cmd_review.c' and m.group(1).startswith(('ieum_http__', 'ieum_review__'))):
                bad.append('cli/%s: %s()' % (f, m.group(1)))
check(not bad, 'cli/ uses the public API only' + ('' if not bad else ': ' + '; '.join(sorted(set(bad)))))
# server/: a front end like cli/: the public API, util/http.c's header and its own files.
bad = []
sdir = os.path.join(src, 'server')
for f in sorted(os.listdir(sdir)) if os.path.isdir(sdir) else []:
    if f.endswith(('.c', '.h')):
        text = open(os.path.join(sdir, f), encoding='utf-8').read()
        for m in re.finditer(r'^\s*#\s*include\s+"([^"]+)"', text, re.M):
            if m.group(1) != 'http_int.h' and not os.path.isfile(os.path.join(sdir, m.group(1))):
                bad.append('server/%s: "%s"' % (f, m.group(1)))
        for m in re.finditer(r'\b(ieum_\w+__\w+)\s*\(', strip(text)):
            if not m.group(1).startswith(('ieum_http__', 'ieum_serve__')):
                bad.append('server/%s: %s()' % (f, m.group(1)))
check(not bad, 'server/ uses the public API and util/http_int.h only' +
      ('' if not bad else ': ' + '; '.join(sorted(set(bad)))))
check(len(defined) > 100, 'the library defines functions the check can see (%d)' % len(defined))
print('1..%d' % n)
sys.exit(1 if failed else 0)
