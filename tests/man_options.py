#!/usr/bin/env python3
"""tests/man_options.py: each manual page documents every option its command's --help lists.

Usage: man_options.py IEUM MAN_DIR

For ieum itself and each command (and each `ieum tm` subcommand, all in ieum-tm.1), takes the long
options from the option lines of `IEUM ... --help` (lines starting with spaces then '-') and checks,
printing TAP, that each appears in the page's roff source (with '\\-' read as '-').  It keeps the pages
from falling behind the program; it does not check their wording, nor options the page has and --help lacks.
"""
import os
import re
import subprocess
import sys

PAGES = [([], 'ieum'), (['align'], 'ieum-align'), (['batch'], 'ieum-batch'), (['segment'], 'ieum-segment'),
         (['eval'], 'ieum-eval'), (['extract'], 'ieum-extract'), (['review'], 'ieum-review'),
         (['serve'], 'ieum-serve')] + \
        [(['tm', s], 'ieum-tm') for s in ('import', 'export', 'stats', 'search', 'concordance', 'merge',
                                          'dedupe', 'delete', 'learn', 'report', 'copy')]


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    ieum, mandir = sys.argv[1:]
    n = failed = 0
    for args, page in PAGES:
        n += 1
        r = subprocess.run([ieum] + args + ['--help'], capture_output=True, text=True)
        opts = sorted({o for line in r.stdout.splitlines() if re.match(r' +-', line)
                       for o in re.findall(r'--[a-z][a-z-]*', line)})
        with open(os.path.join(mandir, page + '.1'), encoding='utf-8') as f:
            roff = f.read().replace('\\-', '-')
        missing = [o for o in opts if not re.search(re.escape(o) + r'(?![a-z-])', roff)]
        what = f"{page}(1) has every option of 'ieum {' '.join(args + ['--help'])}'"
        if r.returncode != 0 or not opts or missing:
            failed += 1
            print(f'not ok {n} - {what}')
            print(f'# rc {r.returncode}, options {len(opts)}, missing: {" ".join(missing)}')
        else:
            print(f'ok {n} - {what} ({len(opts)})')
    print(f'1..{n}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
