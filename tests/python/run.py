#!/usr/bin/env python3
"""tests/python/run.py: runs the binding's pytest suite (tests/python/test_*.py) against a build.

Usage: run.py PYTHON BUILT PY_BUILD_DIR SOURCE_DIR
PYTHON is the interpreter the module was built for (Debian's /usr/bin/python3: the pyenv python3 on
PATH has no pytest), BUILT is 'true' when the build made the module, PY_BUILD_DIR the folder holding
the built package (put on PYTHONPATH).  Exits 77 (skipped) when the module was not built (no Python
headers, -Dpython=disabled, a sanitized build) or PYTHON has no pytest.  pytest runs in a scratch
folder, with no cache and no bytecode written, so nothing lands outside it.  Not here: the tests of
`pip install` (pip_install.py).
"""
import os
import subprocess
import sys
import tempfile


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    python, built, build_dir, source = sys.argv[1:]
    if built != 'true' or not python:
        print('skipped: the Python binding was not built (needs python3-dev; not in sanitized builds)')
        return 77
    if subprocess.run([python, '-c', 'import pytest'], capture_output=True).returncode != 0:
        print(f'skipped: {python} has no pytest (apt-get install python3-pytest)')
        return 77
    env = dict(os.environ, PYTHONPATH=build_dir, PYTHONDONTWRITEBYTECODE='1', IEUM_SOURCE_ROOT=source)
    tests = os.path.join(source, 'tests', 'python')
    with tempfile.TemporaryDirectory(prefix='ieum-pytest-') as tmp:
        env['TMPDIR'] = tmp
        return subprocess.run([python, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--rootdir', tests,
                               '--basetemp', os.path.join(tmp, 'pytest'), tests], cwd=tmp, env=env).returncode


if __name__ == '__main__':
    sys.exit(main())
