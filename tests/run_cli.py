#!/usr/bin/env python3
"""tests/run_cli.py: run one golden test of the ieum command line.

Usage: run_cli.py IEUM CASE_DIR

CASE_DIR holds:
  cmd           the commands, one per line, run in order in a scratch copy of CASE_DIR:
                  `ieum ARGS...`  runs the ieum under test (ARGS split like a shell would);
                  `sh SCRIPT`     runs SCRIPT with bash -o pipefail (to make inputs or inspect
                                  outputs); a SCRIPT that exits 77 skips the case (exit 77);
                lines starting with # are comments.  $EXAMPLES is the repository's examples/
                folder, $SHARED the ../shared folder beside the repository (a case that uses
                $SHARED is skipped, exit 77, when it is absent).
  expected.out  what the commands print on stdout, all of them in order
  expected.err  what they print on stderr (optional: not compared when absent)
  expected.rc   their exit codes, one per line
The test passes when all three match; otherwise a unified diff of each mismatch is printed.
Output is compared after replacing the scratch folder's path with "<dir>", and the shared and
examples folders' paths with $SHARED and $EXAMPLES.
"""
import difflib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    ieum, case = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    repo = os.path.dirname(os.path.dirname(os.path.dirname(case)))
    examples = os.path.join(repo, 'examples')
    shared = os.environ.get('IEUM_SHARED') or os.path.join(os.path.dirname(repo), 'shared')
    with open(os.path.join(case, 'cmd'), encoding='utf-8') as f:
        lines = [l.rstrip('\n') for l in f if l.strip() and not l.startswith('#')]
    if any('$SHARED' in l for l in lines) and not os.path.isdir(shared):
        print(f'skipped: {shared} is absent')
        return 77
    out, err, rcs = [], [], []
    with tempfile.TemporaryDirectory(prefix='ieum-cli-') as tmp:
        work = os.path.join(tmp, 'case')
        shutil.copytree(case, work)
        os.environ.update(EXAMPLES=examples, SHARED=shared)
        env = dict(os.environ, EXAMPLES=examples, SHARED=shared, LC_ALL='C.UTF-8',
                   SOURCE_DATE_EPOCH='1782000000', IEUM_USER='tester', PATH=os.path.dirname(ieum) + ':' + os.environ['PATH'])
        for line in lines:
            if line.startswith('sh '):
                argv = ['bash', '-o', 'pipefail', '-c', line[3:]]
            else:
                argv = [os.path.expandvars(a) for a in shlex.split(line)]
                if argv[0] == 'ieum':
                    argv[0] = ieum
            try:
                run = subprocess.run(argv, cwd=work, env=env, capture_output=True, timeout=120)
            except subprocess.TimeoutExpired:
                print(f'TIMEOUT: {line}')
                return 1
            if line.startswith('sh ') and run.returncode == 77:
                print('skipped: ' + run.stdout.decode('utf-8', 'replace').strip())
                return 77
            out.append(run.stdout.decode('utf-8', 'replace'))
            err.append(run.stderr.decode('utf-8', 'replace'))
            rcs.append(str(run.returncode))
        got = {'expected.out': ''.join(out), 'expected.err': ''.join(err), 'expected.rc': '\n'.join(rcs) + '\n'}
        got = {k: v.replace(work, '<dir>').replace(shared, '$SHARED').replace(examples, '$EXAMPLES')
               for k, v in got.items()}
    failed = False
    for name, text in got.items():
        path = os.path.join(case, name)
        if not os.path.exists(path):
            if name == 'expected.err':
                continue
            want = ''
        else:
            with open(path, encoding='utf-8') as f:
                want = f.read()
        if text != want:
            failed = True
            sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), text.splitlines(True),
                                                       name, name + ' (got)'))
            if not text.endswith('\n'):
                print()
    if os.environ.get('IEUM_REGOLD') and failed:
        for name, text in got.items():
            with open(os.path.join(case, name), 'w', encoding='utf-8') as f:
                f.write(text)
        print('re-golded', case)
        return 0
    print('ok' if not failed else 'FAILED: ' + case)
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main())
