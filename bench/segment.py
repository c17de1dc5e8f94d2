#!/usr/bin/env python3
"""bench/segment.py: one table of sentence-segmentation accuracy, per set and subset, for one or two builds.

Runs ../shared/tools/score_segment.py over every file of ../shared/data/segment (and, for Korean, over
a news set made at run time from the Korean sides of ../shared/data/align/parkdev*_clean: five
consecutive lines per case, joined by one space, each line a gold sentence) and prints, per file and
per subset (the id without its last field: ko-kiwi-blogs, ko-pud, ...), the cases, exact, boundary
P/R/F1 and sentEM of `ieum segment --lang LANG`; with --base, the same figures of another build in
the same run, beside them.  The parkdev lines are the corpus's own line pairing, not a sentence
treebank: a few lines hold two sentences or a glossary entry with no full stop, so its ceiling is
below 1 and it serves to catch regressions on real news, not as a goal.

Usage: python3 bench/segment.py [--ieum build/cli/ieum] [--base OTHER/cli/ieum] [--shared ../shared]
                                [--jobs 2]
Reads ../shared when it is there and says so, exits 0, when it is not.  Never part of `meson test`;
nothing from ../shared is written into the repository (the news set lives in a temporary folder).
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def score(shared, path, ieum, lang, jobs, tmp):
    """Figures of one build on one file: {group: agg} with 'all' and every subset."""
    out = os.path.join(tmp, "score.json")
    cmd = [sys.executable, os.path.join(shared, "tools", "score_segment.py"), path,
           "--cmd", "%s segment --lang %s" % (ieum, lang), "--jobs", str(jobs), "--by-subset",
           "--json", out]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(out, encoding="utf-8") as f:
        entry = json.load(f)["files"][path]
    groups = {"all": entry["all"]}
    if len(entry["by_subset"]) > 1:
        groups.update(entry["by_subset"])
    return groups


def park_set(shared, tmp):
    """The parkdev news set as JSON Lines in tmp; None when ../shared/data/align has none."""
    dirs = sorted(glob.glob(os.path.join(shared, "data", "align", "parkdev*_clean")))
    if not dirs:
        return None
    path = os.path.join(tmp, "ko_parknews.jsonl")
    with open(path, "w", encoding="utf-8") as out:
        for d in dirs:
            with open(os.path.join(d, "ko.txt"), encoding="utf-8") as f:
                lines = [l.strip() for l in f if l.strip()]
            doc = os.path.basename(d)[len("parkdev"):][:2]
            for i in range(0, len(lines), 5):
                g = lines[i:i + 5]
                out.write(json.dumps({"id": "ko-parknews-%s_%d" % (doc, i), "lang": "ko",
                                      "text": " ".join(g), "sentences": g}, ensure_ascii=False) + "\n")
    return path


def cells(a):
    return "%5d %6.3f %6.3f %6.3f %6.3f %6.3f" % (a["cases"], a["exact"], a["precision"], a["recall"],
                                                 a["f1"], a["sent_em"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ieum", default=os.path.join(ROOT, "build", "cli", "ieum"))
    ap.add_argument("--base", help="another build's ieum, scored beside --ieum in the same run")
    ap.add_argument("--shared", default=os.environ.get("IEUM_SHARED", os.path.join(ROOT, "..", "shared")))
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    data = os.path.join(a.shared, "data", "segment")
    if not os.path.isdir(data) or not os.path.exists(os.path.join(a.shared, "tools", "score_segment.py")):
        print("bench/segment.py: %s/data/segment or tools/score_segment.py not found: nothing to measure "
              "(put ../shared beside the repository or pass --shared)" % a.shared)
        return 0
    for exe in [a.ieum] + ([a.base] if a.base else []):
        if not os.access(exe, os.X_OK):
            print("bench/segment.py: %s is not an executable: build first (ninja -C build)" % exe,
                  file=sys.stderr)
            return 2
    builds = [("this", a.ieum)] + ([("base", a.base)] if a.base else [])
    head = "%-26s" % "file / group"
    for name, _ in builds:
        head += " | %-5s %6s %6s %6s %6s %6s" % ("cases", name + ":ex", "P", "R", "F1", "sentEM")
    print("ieum segment, scored by %s/tools/score_segment.py" % a.shared)
    for name, exe in builds:
        print("  %s = %s" % (name, exe))
    print(head)
    with tempfile.TemporaryDirectory() as tmp:
        files = sorted(glob.glob(os.path.join(data, "*.jsonl")))
        park = park_set(a.shared, tmp)
        if park:
            files.append(park)
        for path in files:
            lang = os.path.basename(path).split("_")[0]
            per_build = [score(a.shared, path, exe, lang, a.jobs, tmp) for _, exe in builds]
            for g in per_build[0]:
                label = os.path.basename(path) if g == "all" else "  " + g
                row = "%-26s" % label[:26]
                for figs in per_build:
                    row += " | " + (cells(figs[g]) if g in figs else "%-41s" % "-")
                print(row)
        if not park:
            print("(%s/data/align has no parkdev*_clean folders: the Korean news set was skipped)" % a.shared)
    return 0


if __name__ == "__main__":
    sys.exit(main())
