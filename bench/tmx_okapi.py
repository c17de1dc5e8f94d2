#!/usr/bin/env python3
"""bench/tmx_okapi.py: the Okapi Framework's test TMX files through `ieum tm`, each checked end to end.

Usage: bench/tmx_okapi.py [--ieum build/cli/ieum] [--dir ../shared/data/tmx/okapi] [--base OTHER_IEUM] [-v]

For every *.tmx of the folder (the 37 files of ../shared/data/tmx/okapi; the script says so and stops
when ../shared is absent) it:
  1. imports the file into a fresh TM (--tags keep; every language pair of a unit);
  2. compares the units with translate-toolkit's reading of the same file (../shared/tools/ttk_check.py,
     with Debian's /usr/bin/python3 where python3-translate is installed): translate-toolkit pairs the
     first two <tuv>s of a unit, so its unit count is compared with ieum's units of the first pair;
  3. exports the TM with -o DIR/ (one file per language pair), validates each file against
     ../shared/data/tmx/tmx14.dtd (xmllint) and checks it as Trados would (one srclang, one target
     language, region-coded tags);
  4. re-imports each export into a second TM and compares the two TMs' exports unit for unit
     (text, attributes, props, notes, <tuv> metadata; the header's creationdate aside);
  5. counts what of the file's <tu>/<tuv> metadata (attributes, props, notes, each on its element, of
     the units imported) is in the exports, and names some of what is lost (with -v).
It prints one line per file and a summary; with --base another build (main's) is run over the same files
and its import result, pair count and kept metadata are printed beside.  Never part of `meson test`.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'


def run(argv, cwd):
    p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def parse(path):
    try:
        return ET.parse(path).getroot()
    except ET.ParseError:
        return None


def lang_key(tag):
    return (tag or '').replace('_', '-').split('-')[0].lower()


def meta_items(root):
    """The <tu>/<tuv> metadata of a file as a set: (source text, 'tu' or the <tuv>'s language, kind, name, value);
    attributes but tuid, srclang and xml:lang; props; notes.  The source text is the first <tuv>'s."""
    items = set()
    if root is None or root.find('body') is None:
        return items
    for tu in root.find('body').iter('tu'):
        tuvs = tu.findall('tuv')
        if not tuvs:
            continue
        key = ''.join(tuvs[0].find('seg').itertext()) if tuvs[0].find('seg') is not None else ''
        for scope, e in [('tu', tu)] + [(lang_key(v.get(XML_LANG) or v.get('lang')), v) for v in tuvs]:
            for k, v in e.attrib.items():
                if k not in ('tuid', 'srclang', XML_LANG, 'lang') and not (scope == 'tu' and k.startswith('creationtool')):
                    items.add((key, scope, 'attr', k, v))
            for p in e.findall('prop'):
                items.add((key, scope, 'prop', p.get('type'), p.text or ''))
            for n in e.findall('note'):
                items.add((key, scope, 'note', '', n.text or ''))
    return items


def unit_list(path):
    root = parse(path)
    out = []
    for tu in root.find('body').findall('tu'):
        a = sorted((k, v) for k, v in tu.attrib.items())
        props = [(p.get('type'), p.text or '') for p in tu.findall('prop')]
        notes = [n.text or '' for n in tu.findall('note')]
        tuvs = [(v.get(XML_LANG), sorted(v.attrib.items()), [(p.get('type'), p.text) for p in v.findall('prop')],
                 ET.tostring(v.find('seg'), encoding='unicode')) for v in tu.findall('tuv')]
        out.append((a, props, notes, tuvs))
    return out


def trados_ok(path):
    root = parse(path)
    if root is None:
        return False
    src = root.find('header').get('srclang')
    tgts = set()
    for tu in root.find('body').findall('tu'):
        if tu.get('srclang') not in (None, src):
            return False
        for v in tu.findall('tuv'):
            lang = v.get(XML_LANG)
            if '-' not in lang:
                return False
            if lang != src:
                tgts.add(lang)
    return len(tgts) <= 1 and '-' in (src or '')


def ttk_units(ttk_check, path):
    if not ttk_check or not os.access('/usr/bin/python3', os.X_OK):
        return None
    p = subprocess.run(['/usr/bin/python3', ttk_check, '-n', '0', path], capture_output=True, text=True)
    m = re.search(r'ttk_check: units=(\d+)', p.stdout)
    return int(m.group(1)) if m else None


def one_build(ieum, tmx, work, dtd, xmllint):
    """Runs the checks for one file with one build; returns a dict of results."""
    r = {'import': 'fail', 'pairs': 0, 'units': 0, 'first_pair_units': 0, 'dtd': 0, 'trados': 0, 'files': 0,
         'roundtrip': 0, 'meta_in': 0, 'meta_out': 0, 'err': ''}
    fixture = meta_items(parse(tmx))
    # x-document props name files: exports write their base names; ieum's x-* props are its own.
    fixture = {i for i in fixture if not (i[2] == 'prop' and i[3] == 'x-document')}
    r['meta_in'] = len(fixture)
    exported = set()
    os.makedirs(work)
    rc, _, err = run([ieum, 'tm', 'import', '--tm', 't.db', '--tags', 'keep', tmx], work)
    r['err'] = err.strip().splitlines()[-1] if err.strip() else ''
    if rc:
        return r
    r['import'] = 'ok'
    m = re.search(r'imported (\d+) units \((.*)\)', err)
    if m:
        r['units'] = int(m.group(1))
        first = re.match(r'[^:]*: (\d+)', m.group(2))
        r['first_pair_units'] = int(first.group(1)) if first and ':' in m.group(2) else r['units']
    rc, _, err = run([ieum, 'tm', 'export', '--tm', 't.db', '--roles', 'all', '-o', 'out/'], work)
    if rc:
        # An older build without -o DIR/: the most frequent pair only.
        os.makedirs(os.path.join(work, 'out'), exist_ok=True)
        rc, _, err = run([ieum, 'tm', 'export', '--tm', 't.db', '--roles', 'all', '-o', 'out/only.tmx'], work)
    files = sorted(glob.glob(os.path.join(work, 'out', '*.tmx')))
    r['files'] = len(files)
    r['pairs'] = len(files)
    for i, f in enumerate(files):
        if xmllint and subprocess.run([xmllint, '--noout', '--nonet', '--dtdvalid', dtd, f],
                                      capture_output=True).returncode == 0:
            r['dtd'] += 1
        r['trados'] += trados_ok(f)
        exported |= meta_items(parse(f))
        db2 = f'again{i}.db'
        rc1, _, _ = run([ieum, 'tm', 'import', '--tm', db2, '--tags', 'keep', f], work)
        rc2, _, _ = run([ieum, 'tm', 'export', '--tm', db2, '--roles', 'all', '-o', f'again{i}.tmx'], work)
        if rc1 == 0 and rc2 == 0 and unit_list(f) == unit_list(os.path.join(work, f'again{i}.tmx')):
            r['roundtrip'] += 1
    r['meta_out'] = len(fixture & exported)
    if r['meta_out'] < r['meta_in']:
        lost = sorted(fixture - exported)[:3]
        r['err'] += f' | metadata lost, e.g. {lost}'
    return r


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    shared = os.path.join(here, '..', '..', 'shared')
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--ieum', default=os.path.join(here, '..', 'build', 'cli', 'ieum'))
    ap.add_argument('--base', help='another build to run over the same files, printed beside')
    ap.add_argument('--dir', default=os.path.join(shared, 'data', 'tmx', 'okapi'))
    ap.add_argument('-v', '--verbose', action='store_true')
    a = ap.parse_args()
    if not os.path.isdir(a.dir):
        print(f'bench/tmx_okapi.py: {a.dir} is absent (../shared not beside the repository): nothing to check')
        return 0
    dtd = os.path.join(shared, 'data', 'tmx', 'tmx14.dtd')
    xmllint = shutil.which('xmllint') if os.path.exists(dtd) else None
    ttk_check = os.path.join(shared, 'tools', 'ttk_check.py')
    ttk_check = ttk_check if os.path.exists(ttk_check) else None
    builds = [('this', os.path.abspath(a.ieum))] + ([('base', os.path.abspath(a.base))] if a.base else [])
    files = sorted(glob.glob(os.path.join(a.dir, '*.tmx')))
    print(f'# {len(files)} files of {a.dir}; DTD check: {"yes" if xmllint else "no (xmllint or tmx14.dtd missing)"}; '
          f'translate-toolkit: {"yes" if ttk_units(ttk_check, files[0]) is not None else "no"}')
    work = tempfile.mkdtemp(prefix='ieum-okapi-')
    totals = {b: {'ok': 0, 'units': 0, 'meta_in': 0, 'meta_out': 0, 'files': 0, 'dtd': 0, 'trados': 0,
                  'roundtrip': 0, 'ttk_same': 0, 'ttk_n': 0} for b, _ in builds}
    try:
        print(f'{"file":<48} {"build":<5} {"import":<6} {"units":>6} {"ttk":>5} {"pairs":>5} {"dtd":>4} {"trados":>6} '
              f'{"again":>5} {"metadata kept":>13}')
        for i, tmx in enumerate(files):
            ttk = ttk_units(ttk_check, tmx)
            for name, exe in builds:
                r = one_build(exe, tmx, os.path.join(work, f'{i}.{name}'), dtd, xmllint)
                t = totals[name]
                t['ok'] += r['import'] == 'ok'
                t['units'] += r['units']
                t['meta_in'] += r['meta_in']
                t['meta_out'] += r['meta_out']
                for k in ('files', 'dtd', 'trados', 'roundtrip'):
                    t[k] += r[k]
                if ttk is not None and r['import'] == 'ok':
                    t['ttk_n'] += 1
                    t['ttk_same'] += ttk == r['first_pair_units']
                print(f'{os.path.basename(tmx)[:48]:<48} {name:<5} {r["import"]:<6} {r["units"]:>6} '
                      f'{"-" if ttk is None else ttk:>5} {r["pairs"]:>5} {r["dtd"]:>4} {r["trados"]:>6} '
                      f'{r["roundtrip"]:>5} {r["meta_out"]:>6}/{r["meta_in"]:<6}')
                if a.verbose and r['err']:
                    print(f'#   {r["err"]}')
        for name, _ in builds:
            t = totals[name]
            print(f'# {name}: {t["ok"]}/{len(files)} imported, {t["units"]} units; {t["files"]} exports, '
                  f'{t["dtd"]} DTD-valid, {t["trados"]} Trados-style, {t["roundtrip"]} identical after re-import; '
                  f'unit count = translate-toolkit\'s (first pair) in {t["ttk_same"]}/{t["ttk_n"]} files; '
                  f'<tu>/<tuv> metadata items of the files kept in the exports: {t["meta_out"]}/{t["meta_in"]}')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
