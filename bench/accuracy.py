"""Benchmark: classification and extraction accuracy on a freshly generated corpus (not a test).

    CEE_VAR_DIR=/tmp/cee_x .venv/bin/python bench/accuracy.py --seed 4242 --dossiers 30 \
        [--scanned-ratio 0.3] [--multi-doc-ratio 0.2] [--engine pdfplumber|pdfium] [--scanned-limit N] \
        [--out DIR] [--errors 20] [--via-ingest] [--family classic|letters|software|office|network|platform|retail|both|all] [--installers N]

Generates a corpus with a seed the extractor was never developed or tested on (seeds in
``extraction.corpus.evaluate.SEEN_SEEDS`` are refused), reads every file the way the pipeline
does — born-digital PDFs through the text layer (the pipeline's engine, CEE_TEXT_LAYER_ENGINE: pdfium
unless configured otherwise), scans through
Tesseract — classifies each true document, extracts its fields with the fixture schemas, and
prints: classification accuracy, segmentation of multi-document files, micro precision /
recall / F1 for born-digital and scanned files separately, the weakest fields, and the
confidence of right versus wrong values. Targets (issue 3): accuracy ≥ 0.98, F1 ≥ 0.95
born-digital and ≥ 0.85 scanned.

``--family letters`` draws the held-out layouts of issue 13 (letters with a letterhead and an
unlabelled recipient block, datelines, values in sentences, several products per document,
ink signatures, DGFiP-like avis, Qualibat / Qualit'EnR / Qualifelec / Certibat certificates,
phone photos among the scans); ``both`` runs each family on the seed and prints them side by
side. Seeds of that family: develop on ``HELDOUT_DEV_SEEDS`` (1300–1349), report figures from
``HELDOUT_MEASUREMENT_SEEDS`` (7300–7399); ``--errors`` is refused on a measurement seed, so that
nobody tunes on what the figures come from (see ``extraction/corpus/heldout_facts.py``).
``--family software`` draws the third held-out family (artisans' estimating and invoicing
software, the regulatory attestation, obligés' partnership forms, Qualibat / Qualit'EnR sheets,
the tax office's situation page: ``extraction/corpus/software_facts.py``), with the same rule on
its own seeds: dev 1350–1399, measurement 7400–7499. ``--family office`` draws the fourth
(documents small companies type in Word or Excel: framed grids, parties side by side or in a
sentence, totals in a sentence, « Fait à …, le … » at the end; a Cerfa-like attestation with comb
fields and typewriter values; conventions in articles and obligés' e-mails; Qualifelec / Certibat
/ Cequami certificates; the avis d'impôt's first page: ``extraction/corpus/office_facts.py``):
dev 1400–1449, measurement 7500–7599. ``--family network`` draws the fifth (dossiers of CEE networks,
délégataires and small artisans: quotes and invoices over two or three pages with lots, « À reporter »
and general terms of sale, the délégataire's CEE block and engagement letter, the France Rénov'
directory printed as RGE proof, attestations filled in by hand, the avis de situation déclarative:
``extraction/corpus/network_facts.py``): dev 1450–1499, measurement 7600–7699. ``--family platform`` draws the
sixth (documents of online invoicing tools and e-signature platforms: a dark band with the legal mentions
sideways in the margin, a coloured sidebar or a bare page, zebra tables, the prime as a negative line, deposits,
the 2026 e-invoicing mentions, « Signé électroniquement par … » boxes and the signing service's certificate page,
the attestation filled in online, the délégataire platform's « Simulation de prime » and engagement summary, the RGE body's web space
and e-mail, the avis downloaded from impots.gouv or seen on a phone: ``extraction/corpus/platform_facts.py``): dev 1500–1549,
measurement 7700–7799. ``--family retail`` draws the seventh (documents of home-improvement retailers' installation
services, energy suppliers' CEE programmes and franchise networks: quotes and invoices crowded with order, customer,
store, loyalty-card and PDL / PCE numbers, eight-column item tables with EAN codes and discounts, amounts as « 1.234,56
EUR » or « EUR 1 234,56 », the prime as a negative « Prime CEE / Coup de pouce » line and a « Reste à charge », a
spreadsheet export in A4 landscape, headers repeated on two-page documents, the attestation as a fillable PDF form or
typed and signed in ink, the supplier's « Coup de pouce » offer and partner contract summary, multi-row RGE
certificates with a QR-code block, the avis d'impôt on one or two pages, faded scans:
``extraction/corpus/retail_facts.py``): dev 1550–1599, measurement 7800–7899; ``all`` runs the seven families.
Every run also prints the figures of the signature and multi-valued fields (marque,
reference_produit, the certificate domaines) and the classification confusions (true type →
predicted type). ``--installers N`` draws the dossiers from N installers that reuse their
templates (``extraction/corpus/issuers.py``).

``--via-ingest`` runs ``manage.py ingest FILE --json`` (the whole pipeline: split, text, OCR,
classify, extract) on every file instead and scores its JSON output, on a new instance of its
own (a migrated SQLite database under ``OUT/instance``, nothing learned): what a held-out check
measures, OCR of scans at their own resolution included.
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

from bench.learning import fresh_instance  # noqa: E402  (after the path is set)

TARGET_ACCURACY = 0.98
TARGET_F1 = {"born-digital": 0.95, "scanned": 0.85}


def _print_report(title: str, report, seconds: float, pages: int, weakest: int) -> None:
    micro = report.micro
    target = TARGET_F1.get(title.split(" ")[0], 0)
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
    _print_new_fields(report)
    if report.confusions:
        print("misclassified:", ", ".join(f"{f} {t}→{p}" for f, t, p in report.confusions))


NEW_FIELDS = ("signature_beneficiaire", "signature_installateur", "marque", "reference_produit", "domaines")


def _print_new_fields(report) -> None:
    """The fields issue 13 adds or makes multi-valued, over every document type."""
    parts = []
    for name in NEW_FIELDS:
        counts = report.field_totals(name)
        if counts.tp + counts.fp + counts.fn:
            parts.append(f"{name} F1={counts.f1:.2f} (tp={counts.tp} fp={counts.fp} fn={counts.fn})")
    if parts:
        print("signature and multi-valued fields: " + "; ".join(parts))


def _print_confusion(report) -> None:
    wrong = {pair: n for pair, n in report.type_pairs.items() if pair[0] != pair[1]}
    by_type: dict[str, list[int]] = {}
    for (true, predicted), n in report.type_pairs.items():
        counts = by_type.setdefault(true, [0, 0])
        counts[0] += n if true == predicted else 0
        counts[1] += n
    print("classification by true type: " + ", ".join(f"{t} {r}/{n}" for t, (r, n) in sorted(by_type.items())))
    if wrong:
        print("confusions: " + ", ".join(f"{t} → {p} ×{n}" for (t, p), n in sorted(wrong.items(), key=lambda i: -i[1])))


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


def _run_ingest(paths: list[Path], env: dict, chunk: int = 25) -> dict[str, list[dict]]:
    """``manage.py ingest FILE... --json`` (the whole pipeline) on the instance of ``env``,
    documents per input path."""
    outputs: dict[str, list[dict]] = {}
    for start in range(0, len(paths), chunk):
        batch = [str(p) for p in paths[start:start + chunk]]
        completed = subprocess.run([sys.executable, "manage.py", "ingest", *batch, "--json"], capture_output=True,
                                   text=True, timeout=3600, cwd=ROOT, env=env)
        results = [json.loads(line) for line in map(str.strip, completed.stdout.splitlines()) if line.startswith("{")]
        if completed.returncode != 0 and not results:
            raise SystemExit(f"ingest failed: {completed.stderr[-3000:]}")
        for result in results:
            if result.get("error"):  # a file the pipeline refused or failed on scores as read wrong; the run goes on
                print(f"  ingest: {result['file']}: {result['error']}")
            outputs[str(Path(result["file"]).resolve())] = result.get("documents") or []
            outputs[result["file"]] = result.get("documents") or []
    return outputs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, required=True, help="a seed the tests never used")
    parser.add_argument("--dossiers", type=int, default=30)
    parser.add_argument("--scanned-ratio", type=float, default=0.3)
    parser.add_argument("--multi-doc-ratio", type=float, default=0.2)
    parser.add_argument("--engine", default=None, choices=["pdfplumber", "pdfium"],
                        help="text-layer reader (default: the pipeline's, CEE_TEXT_LAYER_ENGINE)")
    parser.add_argument("--scanned-limit", type=int, default=None, help="read at most N scanned files (CPU time)")
    parser.add_argument("--out", default=None, help="keep the corpus in this folder")
    parser.add_argument("--weakest", type=int, default=10)
    parser.add_argument("--errors", type=int, default=0, help="print the first N wrong values")
    parser.add_argument("--via-ingest", action="store_true", help="score the output of `manage.py ingest --json`")
    parser.add_argument("--installers", type=int, default=0, help="dossiers from N installers reusing their templates")
    parser.add_argument("--no-ink", action="store_true", help="signatures from the words only (no ink detector)")
    parser.add_argument("--family", default="classic", choices=["classic", "letters", "software", "office", "network", "platform", "retail",
                                                                 "both", "all"],
                        help="the generator's layouts: classic, the held-out letters of issue 13, the held-out "
                             "software, office, network, platform and retail families, both (classic and letters) or all seven")
    args = parser.parse_args()

    import django

    django.setup()
    from extraction.engines.text_layer import text_layer_engine_name

    args.engine = args.engine or text_layer_engine_name()
    from extraction.corpus import CorpusOptions, generate_corpus
    from extraction.corpus.evaluate import SEEN_SEEDS, Report, evaluate_corpus, evaluate_ingest_output, load_hints, load_specs
    from extraction.corpus.reading import ink_sources, read_pages, tesseract_available

    from extraction.corpus.heldout_facts import FAMILY_SEEDS

    families = {"both": ["classic", "letters"],
                "all": ["classic", "letters", "software", "office", "network", "platform", "retail"]}.get(args.family, [args.family])
    if "classic" in families and args.seed in SEEN_SEEDS:
        parser.error(f"seed {args.seed} was used to develop or test the extractor; pick another ({sorted(SEEN_SEEDS)})")
    for family in families:
        if family not in FAMILY_SEEDS:
            continue
        dev, measurement = FAMILY_SEEDS[family]
        if args.seed in measurement and args.errors:
            parser.error(f"seed {args.seed} is a measurement seed of the {family} family: its errors are not to be read "
                         f"(develop on {min(dev)}–{max(s for s in dev if s < min(measurement))})")
        if args.seed in dev:
            print(f"note: seed {args.seed} is a DEV seed of the {family} family: these figures are not a measurement")
        elif args.seed not in measurement:
            print(f"note: seed {args.seed} is neither a dev nor a measurement seed of the {family} family")
    base = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="cee-accuracy-"))
    specs, hints = load_specs(), load_hints()
    totals = Report()
    summary = []
    instance = None
    for family in families:
        root = base / family if len(families) > 1 else base
        started = time.perf_counter()
        manifest = generate_corpus(root, CorpusOptions(dossiers=args.dossiers, seed=args.seed, family=family,
                                                       scanned_ratio=args.scanned_ratio,
                                                       multi_doc_ratio=args.multi_doc_ratio,
                                                       installers=args.installers))
        files = manifest["files"]
        print(f"\n#### family {family}: seed {args.seed}, {args.dossiers} dossiers, {len(files)} files "
              f"({sum(f['scanned'] for f in files)} scanned), {sum(len(f['documents']) for f in files)} documents, "
              f"generated in {time.perf_counter() - started:.1f} s in {root}")
        family_report = Report()
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
                # a new instance (its own migrated SQLite database, nothing learned), as a held-out
                # check runs it; created once, beside the corpus
                instance = instance or fresh_instance(base / "instance")
                report = evaluate_ingest_output(root, selected, partial(_run_ingest, env=instance), specs)
            else:
                report = evaluate_corpus(root, partial(read_pages, engine=args.engine), scanned=scanned, specs=specs,
                                         hints=hints, limit=args.scanned_limit if scanned else None,
                                         ink=None if args.no_ink else ink_sources)
            _print_report(f"{title}" if len(families) == 1 else f"{title} ({family})", report,
                          time.perf_counter() - started, pages, args.weakest)
            summary.append((family, title, report))
            family_report.merge(report)
        _print_confusion(family_report)
        totals.merge(family_report)
    if len(families) > 1:
        print("\n== per family")
        for family, title, report in summary:
            print(f"  {family:8s} {title:13s} classification {report.classification_accuracy:.3f}  "
                  f"micro-F1 {report.micro.f1:.3f}  ({report.documents} documents)")
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
