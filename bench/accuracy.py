"""Benchmark: classification and extraction accuracy on a freshly generated corpus (not a test).

    CEE_VAR_DIR=/tmp/cee_x .venv/bin/python bench/accuracy.py --seed 4242 --dossiers 30 \
        [--scanned-ratio 0.3] [--multi-doc-ratio 0.2] [--engine pdfplumber|pdfium] [--scanned-limit N] \
        [--out DIR] [--errors 20] [--via-ingest]

Generates a corpus with a seed the extractor was never developed or tested on (seeds in
``extraction.corpus.evaluate.SEEN_SEEDS`` are refused), reads every file the way the pipeline
does — born-digital PDFs through the text layer (pdfplumber by default), scans through
Tesseract — classifies each true document, extracts its fields with the fixture schemas, and
prints: classification accuracy, segmentation of multi-document files, micro precision /
recall / F1 for born-digital and scanned files separately, the weakest fields, and the
confidence of right versus wrong values. Targets (issue 3): accuracy ≥ 0.98, F1 ≥ 0.95
born-digital and ≥ 0.85 scanned.

``--via-ingest`` runs ``manage.py ingest FILE --json`` (the whole pipeline: split, text, OCR,
classify, extract) on every file instead and scores its JSON output; it needs that command.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cee.settings")

TARGET_ACCURACY = 0.98
TARGET_F1 = {"born-digital": 0.95, "scanned": 0.85}


def _print_report(title: str, report, seconds: float, pages: int, weakest: int) -> None:
    micro = report.micro
    target = TARGET_F1.get(title, 0)
    print(f"\n== {title}: {report.documents} documents, {pages} pages, {seconds:.1f} s "
          f"({pages / seconds if seconds else 0:.1f} pages/s read + classify + extract)")
    print(f"classification accuracy  {report.classification_accuracy:.3f}  (target ≥ {TARGET_ACCURACY})")
    if report.multi_files:
        print(f"multi-document files split right  {report.correct_segmentation}/{report.multi_files}")
    print(f"fields  precision {micro.precision:.3f}  recall {micro.recall:.3f}  micro-F1 {micro.f1:.3f}  "
          f"(target ≥ {target}; tp={micro.tp} fp={micro.fp} fn={micro.fn})")
    print("weakest fields:")
    for name, counts in report.weakest(weakest):
        print(f"  {name:48s} P={counts.precision:.2f} R={counts.recall:.2f} F1={counts.f1:.2f}  "
              f"(tp={counts.tp} fp={counts.fp} fn={counts.fn})")
    if report.confusions:
        print("misclassified:", ", ".join(f"{f} {t}→{p}" for f, t, p in report.confusions))


def _confidence_summary(report) -> None:
    right = report.confidences_right
    wrong = report.confidences_wrong
    if not right:
        return
    mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")  # noqa: E731
    print(f"\nconfidence of right values: mean {mean(right):.3f}; of wrong values: mean {mean(wrong):.3f} "
          f"({len(wrong)} wrong)")
    for low, high in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)):
        r = sum(1 for c in right if low <= c < high)
        w = sum(1 for c in wrong if low <= c < high)
        if r + w:
            print(f"  confidence {low:.1f}–{min(high, 1):.1f}: {r + w:4d} values, {r / (r + w):.3f} right")


def _run_ingest(paths: list[Path], chunk: int = 25) -> dict[str, list[dict]]:
    """``manage.py ingest FILE... --json`` (the whole pipeline), documents per input path."""
    outputs: dict[str, list[dict]] = {}
    for start in range(0, len(paths), chunk):
        batch = [str(p) for p in paths[start:start + chunk]]
        completed = subprocess.run([sys.executable, "manage.py", "ingest", *batch, "--json"], capture_output=True,
                                   text=True, timeout=3600, cwd=ROOT)
        if completed.returncode != 0:
            raise SystemExit(f"ingest failed: {completed.stderr[-3000:]}")
        for line in completed.stdout.splitlines():
            line = line.strip()
            if line.startswith("{"):
                result = json.loads(line)
                outputs[str(Path(result["file"]).resolve())] = result.get("documents") or []
                outputs[result["file"]] = result.get("documents") or []
    return outputs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, required=True, help="a seed the tests never used")
    parser.add_argument("--dossiers", type=int, default=30)
    parser.add_argument("--scanned-ratio", type=float, default=0.3)
    parser.add_argument("--multi-doc-ratio", type=float, default=0.2)
    parser.add_argument("--engine", default="pdfplumber", choices=["pdfplumber", "pdfium"], help="text-layer reader")
    parser.add_argument("--scanned-limit", type=int, default=None, help="read at most N scanned files (CPU time)")
    parser.add_argument("--out", default=None, help="keep the corpus in this folder")
    parser.add_argument("--weakest", type=int, default=10)
    parser.add_argument("--errors", type=int, default=0, help="print the first N wrong values")
    parser.add_argument("--via-ingest", action="store_true", help="score the output of `manage.py ingest --json`")
    args = parser.parse_args()

    import django

    django.setup()
    from extraction.corpus import CorpusOptions, generate_corpus
    from extraction.corpus.evaluate import SEEN_SEEDS, Report, evaluate_corpus, evaluate_ingest_output, load_hints, load_specs
    from extraction.corpus.reading import read_pages, tesseract_available

    if args.seed in SEEN_SEEDS:
        parser.error(f"seed {args.seed} was used to develop or test the extractor; pick another ({sorted(SEEN_SEEDS)})")
    root = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="cee-accuracy-"))
    started = time.perf_counter()
    manifest = generate_corpus(root, CorpusOptions(dossiers=args.dossiers, seed=args.seed,
                                                   scanned_ratio=args.scanned_ratio, multi_doc_ratio=args.multi_doc_ratio))
    files = manifest["files"]
    print(f"corpus: seed {args.seed}, {args.dossiers} dossiers, {len(files)} files "
          f"({sum(f['scanned'] for f in files)} scanned), {sum(len(f['documents']) for f in files)} documents, "
          f"generated in {time.perf_counter() - started:.1f} s in {root}")
    specs, hints = load_specs(), load_hints()
    totals = Report()
    for title, scanned in (("born-digital", False), ("scanned", True)):
        if scanned and not args.via_ingest and not tesseract_available():
            print("\n== scanned: skipped (Tesseract is not installed)")
            continue
        selected = [f for f in files if f["scanned"] == scanned]
        if scanned and args.scanned_limit is not None:
            selected = selected[: args.scanned_limit]
        pages = sum(len(d["pages"]) for f in selected for d in f["documents"])
        started = time.perf_counter()
        if args.via_ingest:
            report = evaluate_ingest_output(root, selected, _run_ingest, specs)
        else:
            report = evaluate_corpus(root, partial(read_pages, engine=args.engine), scanned=scanned, specs=specs,
                                     hints=hints, limit=args.scanned_limit if scanned else None)
        _print_report(title, report, time.perf_counter() - started, pages, args.weakest)
        totals.merge(report)
    print(f"\n== all files: classification accuracy {totals.classification_accuracy:.3f}, "
          f"micro-F1 {totals.micro.f1:.3f} over {totals.documents} documents")
    _confidence_summary(totals)
    if args.errors:
        print("\nfirst wrong values:")
        for error in totals.errors[: args.errors]:
            print(" ", json.dumps(error, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
