#!/usr/bin/env python3
"""tests/structure/deb_symbols.py: debian/libieum0.symbols lists exactly the functions the public
headers declare, so that the Debian package builds (dpkg-gensymbols fails when a listed symbol is
gone) and new API gets its version.

Usage: deb_symbols.py INCLUDE_DIR SYMBOLS_FILE VERSION [--update]
Reads the IEUM_API declarations under INCLUDE_DIR (as structure/symbols.py does; that test checks
that the library exports exactly them) and the symbol lines (" name@Base version") of SYMBOLS_FILE.
Prints TAP.  With --update, rewrites SYMBOLS_FILE: symbols no longer declared are dropped (an ABI
break: the soname must change before a release) and new ones are added with VERSION, the project's
version, i.e. the first release that has them.
"""
import os
import re
import sys


def declared(inc):
    names = set()
    for root, _, files in os.walk(inc):
        for name in files:
            if name.endswith('.h'):
                text = open(os.path.join(root, name), encoding='utf-8').read()
                names.update(m.group(1) for m in re.finditer(r'IEUM_API\s+[^;{]*?\b(ieum_\w+)\s*\(', text))
    return names


def main():
    args = [a for a in sys.argv[1:] if a != '--update']
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    inc, path, version = args
    lines = open(path, encoding='utf-8').read().splitlines()
    listed = {}
    for line in lines:
        m = re.match(r'^ (\w+)@Base (\S+)$', line)
        if m:
            listed[m.group(1)] = m.group(2)
    api = declared(inc)
    gone, new = sorted(set(listed) - api), sorted(api - set(listed))
    if '--update' in sys.argv:
        head = [l for l in lines if not l.startswith(' ') or l.startswith(' |')]
        body = {n: v for n, v in listed.items() if n in api}
        body.update({n: version for n in new})
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(head + [f' {n}@Base {body[n]}' for n in sorted(body)]) + '\n')
        print(f'{path}: {len(new)} added, {len(gone)} dropped')
        return 0
    fix = f' (python3 tests/structure/deb_symbols.py include {path} {version} --update)'
    print(('not ok' if gone else 'ok') + ' 1 - every symbol of the symbols file is still declared'
          + ('' if not gone else ': gone: ' + ', '.join(gone) + fix))
    print(('not ok' if new else 'ok') + ' 2 - every declared function is in the symbols file'
          + ('' if not new else ': missing: ' + ', '.join(new) + fix))
    ok3 = len(listed) > 20 and lines[0].startswith('libieum.so.0 libieum0 ')
    print(('ok' if ok3 else 'not ok') + f' 3 - the file describes libieum.so.0 ({len(listed)} symbols)')
    print('1..3')
    return 1 if gone or new or not ok3 else 0


if __name__ == '__main__':
    sys.exit(main())
