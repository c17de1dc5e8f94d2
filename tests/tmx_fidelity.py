#!/usr/bin/env python3
"""tests/tmx_fidelity.py: TMX round trips through `ieum tm` lose nothing (TAP).

Usage: tmx_fidelity.py IEUM DATA_DIR

For each of our fixtures in DATA_DIR (tests/data/tmx: fidelity_meta.tmx, fidelity_multi.tmx,
props_notes.tmx, inline.tmx, target_first.tmx) it imports the file into a fresh TM (--tags keep),
exports it (one file per language pair: -o DIR/), and checks every export:
  - valid against the TMX 1.4 DTD (DATA_DIR/tmx14_test.dtd, with xmllint);
  - as Trados Studio wants it: one srclang (the header's, on every <tu> that names one), one target
    language, region-coded tags;
  - against the fixture: every <tu> attribute (creationdate, creationid, changedate, changeid,
    usagecount, lastusagedate, tuid), prop, note, every <tuv> attribute, prop and note, and every
    segment (as markup) is there, on the same element; an empty target stays an empty <seg>;
    x-document is the base name of the file it named;
  - then re-imports the export into a second TM, exports again and compares the two exports unit for
    unit (everything but the header's creationdate).
Inline codes in the three modes: --tags drop leaves no stray space, --tags text gives the codes' text;
where translate-toolkit is installed (Debian's python3-translate under /usr/bin/python3), its
reading of each single-pair fixture equals ieum's --tags text import pair for pair (but for a <tuv>
of two <seg>s, of which translate-toolkit reads the first and ieum both, joined by a space).
The fixtures are our own; ../shared is not used.  Every file is written in a temporary folder.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

XML_LANG = '{http://www.w3.org/XML/1998/namespace}lang'
FIXTURES = ['fidelity_meta.tmx', 'fidelity_multi.tmx', 'props_notes.tmx', 'inline.tmx', 'target_first.tmx']
# <tu> attributes ieum writes itself when the fixture has none; compared only where the fixture has them.
OWN_TU_ATTRS = {'creationtool', 'creationtoolversion', 'creationdate', 'tuid', 'srclang'}

n_test = 0
failed = 0


def ok(cond, name, diag=None):
    global n_test, failed
    n_test += 1
    print(f'{"ok" if cond else "not ok"} {n_test} - {name}')
    if not cond:
        failed += 1
        if diag:
            for line in str(diag).splitlines():
                print(f'#   {line}')
    return cond


def run(argv, cwd):
    p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def lang_key(tag):
    """ko, ko-KR and KO_kr as one language (primary subtag), for matching a fixture's <tuv> to an export's."""
    return (tag or '').replace('_', '-').split('-')[0].lower()


def seg_xml(tuv):
    """A <tuv>'s segment(s) as markup: text and inline elements, attributes sorted."""
    segs = tuv.findall('seg')

    def inner(e):
        out = [e.text or '']
        for c in e:
            attrs = ''.join(f' {k}="{v}"' for k, v in sorted(c.attrib.items()))
            out.append(f'<{c.tag}{attrs}>{inner(c)}</{c.tag}>{c.tail or ""}')
        return ''.join(out)
    return ' '.join(inner(s) for s in segs)


def meta(elem):
    """(attributes but xml:lang/lang, props as (type, lang, text), notes as (lang, text)) of a <tu> or <tuv>."""
    attrs = {k: v for k, v in elem.attrib.items() if k not in (XML_LANG, 'lang')}
    props = [(p.get('type'), p.get(XML_LANG), p.text or '') for p in elem.findall('prop')]
    notes = [(n.get(XML_LANG), n.text or '') for n in elem.findall('note')]
    return attrs, props, notes


def tus(path):
    return ET.parse(path).getroot().find('body').findall('tu')


def tuv_of(tu, lang):
    for v in tu.findall('tuv'):
        if lang_key(v.get(XML_LANG) or v.get('lang')) == lang_key(lang):
            return v
    return None


def check_trados(path, name):
    root = ET.parse(path).getroot()
    src = root.find('header').get('srclang')
    tgts, srclangs, bare = set(), set(), []
    for tu in root.find('body').findall('tu'):
        if tu.get('srclang'):
            srclangs.add(tu.get('srclang'))
        for v in tu.findall('tuv'):
            lang = v.get(XML_LANG)
            if '-' not in lang:
                bare.append(lang)
            if lang != src:
                tgts.add(lang)
    ok(srclangs <= {src} and len(tgts) == 1 and not bare and '-' in src,
       f'{name}: one srclang ({src}), one target language, region-coded',
       f'tu srclangs {srclangs}, targets {tgts}, tags without region {bare}')


def check_against_fixture(fixture, export, src, tgt, name):
    """Every unit of the fixture having both languages is in the export with all its data."""
    fx = {}
    for tu in tus(fixture):
        s, t = tuv_of(tu, src), tuv_of(tu, tgt)
        if s is not None and t is not None:
            fx[seg_xml(s)] = (tu, s, t)
    got = {}
    for tu in tus(export):
        got[seg_xml(tu.findall('tuv')[0])] = tu
    missing = [k for k in fx if k not in got]
    ok(not missing, f'{name}: every unit of the fixture is in the export ({len(fx)})', f'missing: {missing}')
    problems = []
    for key, (ftu, fs, ft) in fx.items():
        etu = got.get(key)
        if etu is None:
            continue
        fa, fp, fn = meta(ftu)
        ea, ep, en = meta(etu)
        for k, v in fa.items():
            if k == 'srclang':
                continue
            if ea.get(k) != v:
                problems.append(f'{key[:30]}: <tu {k}="{v}"> became {ea.get(k)!r}')
        for p in fp:
            if p[0] == 'x-document':
                want = ('x-document', None, os.path.basename(p[2]))
                if want not in ep:
                    problems.append(f'{key[:30]}: x-document {p[2]!r} not exported as its base name')
            elif p not in ep:
                problems.append(f'{key[:30]}: <tu> prop {p} lost')
        for n in fn:
            if n not in en:
                problems.append(f'{key[:30]}: <tu> note {n} lost')
        etuvs = etu.findall('tuv')
        if len(etuvs) != 2:
            problems.append(f'{key[:30]}: {len(etuvs)} <tuv>s in the export')
            continue
        for side, fv, ev in (('source', fs, etuvs[0]), ('target', ft, etuvs[1])):
            if meta(fv) != meta(ev):
                problems.append(f'{key[:30]}: {side} <tuv> metadata {meta(fv)} became {meta(ev)}')
            if seg_xml(fv) != seg_xml(ev):
                problems.append(f'{key[:30]}: {side} segment {seg_xml(fv)!r} became {seg_xml(ev)!r}')
        extra = [k for k in ea if k not in fa and k not in OWN_TU_ATTRS]
        if extra:
            problems.append(f'{key[:30]}: attributes {extra} added')
    ok(not problems, f'{name}: <tu> and <tuv> attributes, props, notes and segments as in the fixture',
       '\n'.join(problems[:20]))


def units_of_export(path):
    out = []
    for tu in tus(path):
        a, p, n = meta(tu)
        tuvs = [(v.get(XML_LANG), meta(v), seg_xml(v)) for v in tu.findall('tuv')]
        out.append((sorted(a.items()), p, n, tuvs))
    return out


def exports_of(ieum, db, folder, work):
    rc, out, err = run([ieum, 'tm', 'export', '--tm', db, '--roles', 'all', '-o', folder + '/'], work)
    files = sorted(os.listdir(os.path.join(work, folder))) if rc == 0 else []
    return rc, err, files


def ttk_pairs(path):
    """translate-toolkit's (source, target) pairs of a TMX, or None when it is not installed."""
    code = ('import sys\nfrom translate.storage import tmx\n'
            'for u in tmx.tmxfile.parsefile(sys.argv[1]).units:\n'
            '    print(repr((u.source or "", u.target or "")))\n')
    if not os.access('/usr/bin/python3', os.X_OK):
        return None
    p = subprocess.run(['/usr/bin/python3', '-c', code, path], capture_output=True, text=True)
    if p.returncode != 0:
        return None
    import ast
    return [ast.literal_eval(line) for line in p.stdout.splitlines()]


def main():
    if len(sys.argv) != 3:
        print(__doc__.split('\n')[2], file=sys.stderr)
        return 2
    ieum, data = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    dtd = os.path.join(data, 'tmx14_test.dtd')
    xmllint = shutil.which('xmllint')
    work = tempfile.mkdtemp(prefix='ieum-fidelity-')
    env_user = dict(os.environ, IEUM_USER='tester', SOURCE_DATE_EPOCH='1782000000')
    os.environ.update(env_user)
    try:
        for fx in FIXTURES:
            src_path = os.path.join(data, fx)
            shutil.copy(src_path, os.path.join(work, fx))
            db1, db2 = fx + '.1.db', fx + '.2.db'
            rc, _, err = run([ieum, 'tm', 'import', '--tm', db1, '--tags', 'keep', fx], work)
            if not ok(rc == 0, f'{fx}: imports', err):
                continue
            rc, err, files = exports_of(ieum, db1, fx + '.e1', work)
            if not ok(rc == 0 and files, f'{fx}: exports, one file per pair ({", ".join(files)})', err):
                continue
            for f in files:
                e1 = os.path.join(work, fx + '.e1', f)
                name = f'{fx} {f}'
                if xmllint:
                    p = subprocess.run([xmllint, '--noout', '--nonet', '--dtdvalid', dtd, e1], capture_output=True,
                                       text=True)
                    ok(p.returncode == 0, f'{name}: valid against the TMX 1.4 DTD', p.stderr)
                check_trados(e1, name)
                src, tgt = f[:-4].split('_')
                check_against_fixture(os.path.join(work, fx), e1, src, tgt, name)
                # The export read again and written again: the same units, the same data.
                shutil.copy(e1, os.path.join(work, 'again.tmx'))
                for p in (db2, db2 + '-wal', db2 + '-shm'):
                    if os.path.exists(os.path.join(work, p)):
                        os.unlink(os.path.join(work, p))
                rc, _, err = run([ieum, 'tm', 'import', '--tm', db2, '--tags', 'keep', 'again.tmx'], work)
                ok(rc == 0, f'{name}: the export imports again', err)
                rc, _, err = run([ieum, 'tm', 'export', '--tm', db2, '--roles', 'all', '-o', 'again.out.tmx'], work)
                a, b = units_of_export(e1), units_of_export(os.path.join(work, 'again.out.tmx'))
                ok(rc == 0 and a == b, f'{name}: re-imported and exported again, unit for unit the same ({len(a)})',
                   err + '\n'.join(f'{x}\n  vs {y}' for x, y in zip(a, b) if x != y)[:3000])
        # fidelity_meta.tmx: the empty target, both times.
        e1 = os.path.join(work, 'fidelity_meta.tmx.e1', 'ko-KR_en-US.tmx')
        if os.path.exists(e1):
            empty = [tu for tu in tus(e1) if tu.get('tuid') == '102']
            ok(empty and seg_xml(empty[0].findall('tuv')[1]) == '', 'an empty target stays an empty <seg>')
            rc, _, err = run([ieum, 'tm', 'export', '--tm', 'fidelity_meta.tmx.1.db', '--full-paths', '-o', 'full.tmx'],
                             work)
            ok(rc == 0 and '/home/kim/news/2024/ko-seoul.txt' in open(os.path.join(work, 'full.tmx')).read(),
               '--full-paths writes the path as stored', err)
        # fidelity_multi.tmx: every pair imported and said.
        rc, _, err = run([ieum, 'tm', 'import', '--tm', 'multi.db', 'fidelity_multi.tmx'], work)
        ok(rc == 0 and 'imported 5 units (ko-KR -> en-US: 2, ko-KR -> ja-JP: 1, ko-KR -> zh-CN: 2)' in err,
           'a unit of four languages: every pair imported, each counted', err)
        # Inline codes in the three modes.
        for mode, want in (('drop', 'cannot open file'), ('text', 'cannot open file %s'),
                           ('keep', 'cannot open file <ph x="1">%s</ph>')):
            db = f'tags_{mode}.db'
            rc, _, err = run([ieum, 'tm', 'import', '--tm', db, '--tags', mode, 'fidelity_meta.tmx'], work)
            rc2, out, err2 = run([ieum, 'tm', 'export', '--tm', db, '-f', 'jsonl'], work)
            import json
            tgts = [json.loads(line)['tgt'] for line in out.splitlines()]
            ok(rc == 0 and rc2 == 0 and want in tgts, f'--tags {mode}: "{want}"', err + err2 + repr(tgts))
            if mode == 'drop':
                bad = [t for t in tgts if t != t.strip() or '  ' in t]
                ok(not bad, '--tags drop: no stray or doubled space', repr(bad))
        # translate-toolkit reads the single-pair fixtures as --tags text does.
        for fx in ('fidelity_meta.tmx', 'props_notes.tmx', 'inline.tmx'):
            ttk = ttk_pairs(os.path.join(work, fx))
            if ttk is None:
                print(f'ok {n_test + 1} - # SKIP translate-toolkit not installed ({fx})')
                globals()['n_test'] += 1
                continue
            db = fx + '.text.db'
            run([ieum, 'tm', 'import', '--tm', db, '--tags', 'text', fx], work)
            rc, out, err = run([ieum, 'tm', 'export', '--tm', db, '-f', 'jsonl', '--roles', 'all'], work)
            import json
            ours = [(j['src'], j['tgt']) for j in map(json.loads, out.splitlines())]
            # translate-toolkit reads only the first of two <seg>s in a <tuv>; ieum joins them: such units aside.
            two = {tuv.find('seg').text for tu in tus(os.path.join(work, fx)) for tuv in tu.findall('tuv')
                   if len(tuv.findall('seg')) > 1}
            theirs = [p for p in ttk if (p[0] or p[1]) and p[0] not in two]
            ours = [p for p in ours if not any(p[0].startswith(t + ' ') for t in two)]
            ok(sorted(ours) == sorted(theirs), f'{fx}: --tags text gives translate-toolkit\'s pairs ({len(ours)})',
               f'ours {ours}\ntheirs {theirs}')
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f'1..{n_test}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
