#!/usr/bin/env python3
"""tests/python/pip_install.py: `pip install --no-build-isolation --target DIR .` works offline from
the source tree, and the installed package imports and aligns.

Usage: pip_install.py PYTHON SOURCE_DIR
Copies the source tree (git's files when it is a clone, else the folder without build folders) into
a scratch folder, since meson-python writes into the tree it builds, and runs PYTHON -m pip there with
no index, no cache and HOME and TMPDIR inside the scratch folder: nothing is written outside it.
Prints TAP.  Exits 77 (skipped) when PYTHON lacks pip or mesonpy (Debian: python3-pip, python3-mesonpy).
Not here: the tests of the binding itself (run.py runs test_*.py).
"""
import os
import shutil
import subprocess
import sys
import tempfile

CHECK = r'''
import ieum, sys
assert ieum.__file__.startswith(sys.argv[1]), ieum.__file__
beads = ieum.align("서울시가 새 도서관을 연다.\n도서관은 24시간 문을 연다.\n",
                   "Seoul is opening a new library.\nThe library will be open around the clock.\n")
assert [b.kind for b in beads] == ["1-1", "1-1"], beads
print(ieum.__version__)
'''


def copy_tree(source, dest):
    files = None
    if os.path.isdir(os.path.join(source, '.git')):
        r = subprocess.run(['git', '-C', source, 'ls-files', '-z', '-co', '--exclude-standard'], capture_output=True)
        if r.returncode == 0:
            files = [f for f in r.stdout.decode('utf-8', 'surrogateescape').split('\0') if f]
    if files is None:
        shutil.copytree(source, dest, symlinks=True,
                        ignore=shutil.ignore_patterns('build*', '.git', '.mesonpy-*', '__pycache__'))
        return
    for f in files:
        src = os.path.join(source, f)
        if not os.path.lexists(src):
            continue  # deleted in the working tree
        os.makedirs(os.path.dirname(os.path.join(dest, f)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, f), follow_symlinks=False)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    python, source = sys.argv[1:]
    for mod, pkg in (('pip', 'python3-pip'), ('mesonpy', 'python3-mesonpy')):
        if not python or subprocess.run([python or 'python3', '-c', 'import ' + mod], capture_output=True).returncode:
            print(f'1..0 # SKIP {python or "no Python"} has no {mod} ({pkg})')
            return 77
    failed = 0
    with tempfile.TemporaryDirectory(prefix='ieum-pip-') as tmp:
        tree, target, home, scratch = (os.path.join(tmp, d) for d in ('ieum', 'site', 'home', 'tmp'))
        copy_tree(source, tree)
        os.makedirs(home)
        os.makedirs(scratch)
        env = dict(os.environ, HOME=home, TMPDIR=scratch, PIP_NO_CACHE_DIR='1', PIP_NO_INDEX='1',
                   PIP_DISABLE_PIP_VERSION_CHECK='1', PYTHONDONTWRITEBYTECODE='1')
        env.pop('PYTHONPATH', None)
        r = subprocess.run([python, '-m', 'pip', 'install', '--no-build-isolation', '--no-index', '--no-deps',
                            '--target', target, '.'], cwd=tree, env=env, capture_output=True, text=True)
        ok = r.returncode == 0 and os.path.isdir(os.path.join(target, 'ieum'))
        print(('ok' if ok else 'not ok') + ' 1 - pip install --no-build-isolation --target DIR . (offline)')
        if not ok:
            failed += 1
            for line in (r.stdout + r.stderr).splitlines()[-40:]:
                print('# ' + line)
        installed = sorted(os.listdir(os.path.join(target, 'ieum'))) if ok else []
        ok = any(n.startswith('_ieum.') and n.endswith('.so') for n in installed) and '__init__.py' in installed
        print(('ok' if ok else 'not ok') + ' 2 - the wheel holds the package and its extension module'
              + ('' if ok else ' (got: %s)' % ', '.join(installed)))
        failed += not ok
        leaked = [n for n in os.listdir(target) if n not in ('ieum',) and not n.endswith('.dist-info')]
        print(('ok' if not leaked else 'not ok') + ' 3 - nothing but the package is installed'
              + ('' if not leaked else ' (also: %s)' % ', '.join(sorted(leaked))))
        failed += bool(leaked)
        env['PYTHONPATH'] = target
        r = subprocess.run([python, '-c', CHECK, target], cwd=scratch, env=env, capture_output=True, text=True)
        ok = r.returncode == 0 and r.stdout.strip() != ''
        print(('ok' if ok else 'not ok') + ' 4 - the installed ieum imports (from the target) and aligns')
        if not ok:
            failed += 1
            for line in (r.stdout + r.stderr).splitlines()[-20:]:
                print('# ' + line)
    print('1..4')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
