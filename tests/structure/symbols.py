#!/usr/bin/env python3
"""tests/structure/symbols.py: libieum exports exactly the functions its public headers declare.

Usage: symbols.py LIBIEUM_SO INCLUDE_DIR
Every function declared with IEUM_API under INCLUDE_DIR must be a defined dynamic symbol of the
library, and the library must define no other (hidden internals stay hidden).  Prints TAP.
"""
import os
import re
import subprocess
import sys

lib, inc = sys.argv[1], sys.argv[2]
declared = set()
for root, _, files in os.walk(inc):
    for name in files:
        if name.endswith('.h'):
            text = open(os.path.join(root, name), encoding='utf-8').read()
            for m in re.finditer(r'IEUM_API\s+[^;{]*?\b(ieum_\w+)\s*\(', text):
                declared.add(m.group(1))
nm = subprocess.run(['nm', '-D', '--defined-only', lib], capture_output=True, text=True, check=True)
exported = {l.split()[-1] for l in nm.stdout.splitlines() if re.search(r' [TDBRV] ', l)}
exported = {s for s in exported if not s.startswith('_')}
missing, extra = sorted(declared - exported), sorted(exported - declared)
print('%s 1 - every IEUM_API function is exported%s' % ('not ok' if missing else 'ok',
      ('' if not missing else ' (missing: %s)' % ', '.join(missing))))
print('%s 2 - nothing else is exported%s' % ('not ok' if extra else 'ok',
      ('' if not extra else ' (extra: %s)' % ', '.join(extra))))
print('%s 3 - the headers declare an API (%d functions)' % ('ok' if len(declared) > 20 else 'not ok', len(declared)))
print('1..3')
sys.exit(1 if missing or extra or len(declared) <= 20 else 0)
