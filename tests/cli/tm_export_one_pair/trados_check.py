"""A Trados-style check of one TMX export: one srclang equal to the header's, one target language, region-coded tags."""
import re, sys, xml.etree.ElementTree as ET
XL = '{http://www.w3.org/XML/1998/namespace}lang'
for path in sys.argv[1:]:
    root = ET.parse(path).getroot()
    src = root.find('header').get('srclang')
    srcs, tgts, n = set(), set(), 0
    for tu in root.iter('tu'):
        n += 1
        if tu.get('srclang') not in (None, src):
            srcs.add(tu.get('srclang'))
        langs = [tuv.get(XL) for tuv in tu.iter('tuv')]
        srcs.update(l for l in langs if l == src)
        tgts.update(l for l in langs if l != src)
    regional = all(re.fullmatch(r'[a-z]{2,3}(-[A-Z][a-z]{3})?-[A-Z]{2}', t) for t in srcs | tgts)
    ok = srcs == {src} and len(tgts) == 1 and regional
    print(f"{path}: {n} units, srclang {src}, targets {','.join(sorted(tgts))}: {'ok' if ok else 'NOT trados-ready'}")
