#!/usr/bin/env python3
"""tests/install.py: `meson install` of the build under test gives a usable program and library.

Usage: install.py BUILD_DIR SOURCE_DIR PREFIX BINDIR LIBDIR INCLUDEDIR MANDIR DATADIR SANITIZE CC...

Installs BUILD_DIR with `meson install --no-rebuild --destdir TMP` into a scratch folder (nothing is
written outside it) and checks, printing TAP:
  - every public header (SOURCE_DIR/include/ieum.h and include/ieum/*.h) is installed;
  - TMP/PREFIX/BINDIR/ieum -V runs with no LD_LIBRARY_PATH, and (where ldd exists) loads the
    libieum.so.0 installed under TMP, not another one;
  - a program that includes <ieum.h> and calls ieum_text_read() and ieum_error_last() compiles and
    links with the flags `pkg-config --cflags --libs ieum` gives (PKG_CONFIG_PATH into TMP,
    PKG_CONFIG_SYSROOT_DIR=TMP since a destdir install's ieum.pc names the real prefix), and runs;
    so does the README's library example, examples/align_texts.c (two texts aligned in one call);
  - the man pages and the bash and zsh completions are installed where man, bash-completion and zsh
    look for them.
CC is the compiler command of the build; SANITIZE is its b_sanitize option ('none' or a list), which
the test program is compiled with too (a sanitized libieum needs the sanitizer runtime).
It does not check the system's own paths, nor a real (non-destdir) install.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

PROGRAM = r'''
#include <ieum.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
  ieum_buf buf = IEUM_BUF_INIT;
  int rc = 1;
  if (argc != 3)
    return 2;
  if (ieum_text_read(&buf, argv[1], 0) != 0 || buf.size != 6 || memcmp(buf.ptr, "hello\n", 6) != 0) {
    fprintf(stderr, "reading %s failed: %s\n", argv[1], ieum_error_last()->message);
    goto done;
  }
  ieum_buf_dispose(&buf);
  if (ieum_text_read(&buf, argv[2], 0) != IEUM_ENOTFOUND || !strstr(ieum_error_last()->message, argv[2])) {
    fprintf(stderr, "no IEUM_ENOTFOUND naming %s\n", argv[2]);
    goto done;
  }
  printf("%s\n", ieum_version());
  rc = 0;
done:
  ieum_buf_dispose(&buf);
  return rc;
}
'''

n = 0
failed = 0


def check(ok, what, detail=''):
    global n, failed
    n += 1
    print(('ok' if ok else 'not ok') + f' {n} - {what}')
    if not ok:
        failed += 1
        for line in detail.splitlines():
            print('# ' + line)


def under(root, path):
    # An absolute install path inside the destdir ROOT.
    return os.path.join(root, path.lstrip('/'))


def main():
    if len(sys.argv) < 11:
        print(__doc__, file=sys.stderr)
        return 2
    build, source, prefix, bindir, libdir, includedir, mandir, datadir, sanitize = sys.argv[1:10]
    cc = sys.argv[10:]
    # Install paths relative to the prefix become absolute (meson gives them relative when inside it).
    bindir, libdir, includedir, mandir, datadir = (os.path.join(prefix, d) for d in
                                                   (bindir, libdir, includedir, mandir, datadir))
    tmp = tempfile.mkdtemp(prefix='ieum-install-')
    try:
        dest = os.path.join(tmp, 'dest')
        r = subprocess.run(['meson', 'install', '-C', build, '--no-rebuild', '--quiet', '--destdir', dest],
                           capture_output=True, text=True)
        check(r.returncode == 0, 'meson install --destdir', r.stdout + r.stderr)
        if r.returncode != 0:
            print(f'1..{n}')
            return 1

        headers = ['ieum.h'] + sorted('ieum/' + os.path.basename(h)
                                      for h in glob.glob(os.path.join(source, 'include', 'ieum', '*.h')))
        missing = [h for h in headers if not os.path.isfile(os.path.join(under(dest, includedir), h))]
        check(len(headers) > 1 and not missing, f'all {len(headers)} public headers installed',
              'missing: ' + ' '.join(missing))

        env = {k: v for k, v in os.environ.items() if k != 'LD_LIBRARY_PATH'}
        ieum = os.path.join(under(dest, bindir), 'ieum')
        r = subprocess.run([ieum, '-V'], capture_output=True, text=True, env=env)
        check(r.returncode == 0 and r.stdout.startswith('ieum '), 'installed ieum -V runs without LD_LIBRARY_PATH',
              f'rc {r.returncode}\n{r.stdout}{r.stderr}')
        if shutil.which('ldd'):
            r = subprocess.run(['ldd', ieum], capture_output=True, text=True, env=env)
            line = next((l for l in r.stdout.splitlines() if 'libieum.so' in l), '')
            want = os.path.realpath(under(dest, libdir))
            got = line.split('=>')[-1].split('(')[0].strip() if '=>' in line else ''
            check(got != '' and os.path.realpath(got).startswith(want + os.sep),
                  'installed ieum loads the installed libieum', f'want it under {want}\n{r.stdout}')

        if not shutil.which('pkg-config'):
            print('# pkg-config not installed: the library program is not compiled')
        else:
            pkgenv = dict(env, PKG_CONFIG_PATH=os.path.join(under(dest, libdir), 'pkgconfig'),
                          PKG_CONFIG_SYSROOT_DIR=dest)
            r = subprocess.run(['pkg-config', '--cflags', '--libs', 'ieum'], capture_output=True, text=True,
                               env=pkgenv)
            check(r.returncode == 0, 'pkg-config --cflags --libs ieum', r.stderr)
            flags = r.stdout.split()
            src = os.path.join(tmp, 'prog.c')
            exe = os.path.join(tmp, 'prog')
            with open(src, 'w', encoding='utf-8') as f:
                f.write(PROGRAM)
            san = ['-fsanitize=' + sanitize] if sanitize not in ('', 'none') else []
            cmd = cc + san + ['-std=c17', '-Wall', '-Werror', src, '-o', exe] + flags + \
                ['-Wl,-rpath,' + under(dest, libdir)]
            r = subprocess.run(cmd, capture_output=True, text=True, env=env)
            check(r.returncode == 0, 'a program including <ieum.h> compiles with pkg-config\'s flags',
                  ' '.join(cmd) + '\n' + r.stderr)
            if r.returncode == 0:
                text = os.path.join(tmp, 'hello.txt')
                with open(text, 'w', encoding='utf-8') as f:
                    f.write('hello\n')
                r = subprocess.run([exe, text, os.path.join(tmp, 'absent.txt')], capture_output=True, text=True,
                                   env=env)
                check(r.returncode == 0 and r.stdout.strip() != '', 'it runs: ieum_text_read(), ieum_error_last()',
                      f'rc {r.returncode}\n{r.stdout}{r.stderr}')
            # the README's library example: one call aligns two texts
            example = os.path.join(source, 'examples', 'align_texts.c')
            exe2 = os.path.join(tmp, 'align_texts')
            cmd = cc + san + ['-std=c17', '-Wall', '-Wextra', '-Werror', example, '-o', exe2] + flags + \
                ['-Wl,-rpath,' + under(dest, libdir)]
            r = subprocess.run(cmd, capture_output=True, text=True, env=env)
            check(r.returncode == 0, 'the library example (examples/align_texts.c) compiles',
                  ' '.join(cmd) + '\n' + r.stderr)
            if r.returncode == 0:
                r = subprocess.run([exe2], capture_output=True, text=True, env=env)
                beads = r.stdout.splitlines()
                check(r.returncode == 0 and len(beads) == 2 and all(b.startswith('1-1\t') for b in beads),
                      'it runs: two 1-1 beads', f'rc {r.returncode}\n{r.stdout}{r.stderr}')

        pages = ['ieum', 'ieum-align', 'ieum-batch', 'ieum-segment', 'ieum-tm', 'ieum-eval', 'ieum-extract', 'ieum-review',
                 'ieum-serve']
        missing = [p for p in pages if not os.path.isfile(os.path.join(under(dest, mandir), 'man1', p + '.1'))]
        check(not missing, 'man pages installed in man1', 'missing: ' + ' '.join(missing))
        comps = [os.path.join(datadir, 'bash-completion', 'completions', 'ieum'),
                 os.path.join(datadir, 'zsh', 'site-functions', '_ieum')]
        missing = [c for c in comps if not os.path.isfile(under(dest, c))]
        check(not missing, 'bash and zsh completions installed', 'missing: ' + ' '.join(missing))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f'1..{n}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
