#!/usr/bin/env python3
"""tests/pg_cluster.py: a throwaway PostgreSQL cluster for the tests of the PostgreSQL TM backend.

Usage:
  pg_cluster.py run -- CMD [ARG...]   start a cluster, run CMD with every '{uri}' in its arguments replaced
                                      by the database's URI (also in $IEUM_PG_URI), stop it; exit as CMD did
  pg_cluster.py start DIR             start a cluster in the empty folder DIR, print the URI (for benchmarks)
  pg_cluster.py stop DIR              stop the cluster in DIR

The cluster lives in a temporary folder (DIR for start): initdb with UTF-8 and the C.UTF-8 locale
(pg_trgm then takes Hangul for letters), listening on 127.0.0.1 at a free port and on a Unix socket in
the folder, trust authentication for the one user 'ieum', fsync off (a test's data need not survive a
power cut).  PostgreSQL refuses to run as root: as root, initdb and the server run as nobody through
setpriv, in a folder nobody owns.  Without PostgreSQL's programs (Debian: the postgresql package) `run`
exits 77, which meson counts as skipped.  Nothing is written outside the folder.
"""
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 77


def pg_bin():
    """The folder of initdb and pg_ctl, newest version first, or None."""
    for d in sorted(glob.glob('/usr/lib/postgresql/*/bin'), key=lambda p: int(p.split('/')[-2]), reverse=True):
        if os.path.exists(os.path.join(d, 'initdb')) and os.path.exists(os.path.join(d, 'pg_ctl')):
            return d
    path = shutil.which('initdb')
    return os.path.dirname(path) if path and shutil.which('pg_ctl') else None


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def as_owner(cmd):
    """cmd run as nobody when we are root (PostgreSQL will not run as root)."""
    if os.geteuid() != 0:
        return cmd
    return ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--'] + cmd


def start(folder):
    bindir = pg_bin()
    if not bindir:
        return None
    data = os.path.join(folder, 'data')
    if os.geteuid() == 0:
        import pwd
        import grp
        nobody = pwd.getpwnam('nobody').pw_uid
        nogroup = grp.getgrnam('nogroup').gr_gid
        os.chown(folder, nobody, nogroup)
    os.chmod(folder, 0o700)
    env = dict(os.environ, LC_ALL='C.UTF-8', HOME=folder)
    r = subprocess.run(as_owner([os.path.join(bindir, 'initdb'), '-D', data, '-U', 'ieum', '-A', 'trust',
                                 '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']),
                       capture_output=True, text=True, env=env, cwd=folder)
    if r.returncode != 0:
        raise RuntimeError('initdb failed: ' + r.stderr.strip())
    port = free_port()
    opts = ("-c listen_addresses=127.0.0.1 -c port=%d -c unix_socket_directories='%s' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
            "-c shared_buffers=128MB" % (port, folder))
    r = subprocess.run(as_owner([os.path.join(bindir, 'pg_ctl'), '-D', data, '-o', opts, '-l',
                                 os.path.join(folder, 'server.log'), '-w', '-t', '60', 'start']),
                       capture_output=True, text=True, env=env, cwd=folder)
    if r.returncode != 0:
        log = open(os.path.join(folder, 'server.log')).read() if os.path.exists(os.path.join(folder, 'server.log')) else ''
        raise RuntimeError('pg_ctl start failed: ' + r.stderr.strip() + ' ' + log[-2000:])
    r = subprocess.run(as_owner([os.path.join(bindir, 'createdb'), '-h', '127.0.0.1', '-p', str(port), '-U', 'ieum',
                                 'ieum']), capture_output=True, text=True, env=env, cwd=folder)
    if r.returncode != 0:
        stop(folder)
        raise RuntimeError('createdb failed: ' + r.stderr.strip())
    return 'postgresql://ieum@127.0.0.1:%d/ieum' % port


def stop(folder):
    bindir = pg_bin()
    subprocess.run(as_owner([os.path.join(bindir, 'pg_ctl'), '-D', os.path.join(folder, 'data'), '-m', 'immediate',
                             '-w', 'stop']), capture_output=True, cwd=folder)


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == 'run' and sys.argv[2] == '--':
        if not pg_bin():
            print('1..0 # SKIP PostgreSQL is not installed (initdb, pg_ctl)')
            return SKIP
        folder = tempfile.mkdtemp(prefix='ieum-pg-')
        try:
            uri = start(folder)
            cmd = [a.replace('{uri}', uri) for a in sys.argv[3:]]
            return subprocess.run(cmd, env=dict(os.environ, IEUM_PG_URI=uri)).returncode
        finally:
            stop(folder)
            shutil.rmtree(folder, ignore_errors=True)
    if len(sys.argv) == 3 and sys.argv[1] == 'start':
        uri = start(os.path.abspath(sys.argv[2]))
        if not uri:
            print('PostgreSQL is not installed', file=sys.stderr)
            return SKIP
        print(uri)
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == 'stop':
        stop(os.path.abspath(sys.argv[2]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main())
