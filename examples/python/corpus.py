#!/usr/bin/env python3
"""examples/python/corpus.py: a parallel corpus (JSONL) from a folder of Korean/English article pairs.

    python3 corpus.py FOLDER [-o corpus.jsonl] [--jobs N] [--min-score 0.5]

FOLDER holds pairs NAME.ko.txt + NAME.en.txt (or .html: saved pages, whose article is extracted).
Every pair is aligned by ieum in a pool of worker processes (each alignment single-threaded), and
each sentence pair that has both sides and a confidence of at least --min-score becomes one JSON
line: {"id", "doc", "ko", "en", "score", "bead", "role"}, in the order of the pairs' names whatever
order the workers finish in. A pair ieum refuses (not a translation pair, unreadable) is reported
on standard error and left out; the exit status is then 1.

The work of one pair is the plain function `sentence_pairs(doc, ko, en)`, which is all a
distributed framework needs:
  - Hugging Face datasets:  ds.map(lambda ex: {"pairs": sentence_pairs(ex["id"], ex["ko"], ex["en"])},
                                   num_proc=8)
  - Spark:                  rdd.flatMap(lambda r: sentence_pairs(r.id, r.ko, r.en))
  - Ray / Beam:             the same function in a task / a FlatMap.
ieum releases the GIL while it aligns, so a thread pool works too (threads=1 in each call).
"""
import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor

import ieum


def sentence_pairs(doc, ko, en, min_score=0.5):
    """The sentence pairs of one article pair (texts or HTML pages, str or bytes) as JSON-ready dicts."""
    rows = []
    for bead in ieum.align(ko, en, threads=1, min_score=min_score, src_name=f'{doc}.ko', tgt_name=f'{doc}.en'):
        if bead.src and bead.tgt and bead.role in ('body', 'headline'):
            rows.append({'id': f'{doc}:{bead.src_indices[0]}', 'doc': doc, 'ko': bead.src, 'en': bead.tgt,
                         'score': round(bead.score, 4), 'bead': bead.kind, 'role': bead.role})
    return rows


def find_pairs(folder):
    """(name, ko_path, en_path) for every NAME.ko.EXT with a NAME.en.EXT beside it, by name."""
    pairs = []
    for entry in sorted(os.listdir(folder)):
        for ext in ('.txt', '.html'):
            if entry.endswith('.ko' + ext):
                name = entry[:-len('.ko' + ext)]
                en = os.path.join(folder, name + '.en' + ext)
                if os.path.exists(en):
                    pairs.append((name, os.path.join(folder, entry), en))
    return pairs


def align_files(job):
    """Worker: read one pair's bytes (ieum detects their encoding) and align them; (rows, error)."""
    name, ko_path, en_path, min_score = job
    try:
        with open(ko_path, 'rb') as k, open(en_path, 'rb') as e:
            return sentence_pairs(name, k.read(), e.read(), min_score), None
    except (ieum.Error, OSError) as err:
        return [], f'{name}: {err}'


def main():
    ap = argparse.ArgumentParser(description='Align a folder of NAME.ko.txt/NAME.en.txt pairs into JSONL.')
    ap.add_argument('folder')
    ap.add_argument('-o', '--output', help='JSONL file (default: standard output)')
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 1)
    ap.add_argument('--min-score', type=float, default=0.5)
    args = ap.parse_args()
    pairs = find_pairs(args.folder)
    if not pairs:
        print(f'{args.folder}: no NAME.ko.txt + NAME.en.txt pairs', file=sys.stderr)
        return 1
    out = open(args.output, 'w', encoding='utf-8') if args.output else sys.stdout
    failed = written = 0
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for rows, error in pool.map(align_files, [(n, k, e, args.min_score) for n, k, e in pairs]):
            if error:
                print(error, file=sys.stderr)
                failed += 1
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + '\n')
            written += len(rows)
    if out is not sys.stdout:
        out.close()
    print(f'{written} sentence pairs from {len(pairs) - failed} of {len(pairs)} article pairs', file=sys.stderr)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
