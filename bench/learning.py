"""Benchmark: what corrections imported with ``import_feedback`` teach (not a test).

    nice .venv/bin/python bench/learning.py --seed 7301 --dossiers 16 [--family letters|software|office|network|platform|retail] [--scanned-ratio 0.3]
        [--out DIR] [--ranker] [--installers N | --templates N]

Generates a corpus with the seed, and runs the whole pipeline twice on fresh databases
(SQLite files under a private CEE_VAR_DIR each, migrated and loaded with the reference data):

- WITH: ``ingest --json`` the first half of the dossiers, write the verdicts of the ground truth
  for those documents as a feedback file (one line per schema field of each document whose type
  was recognised: the true value, or null when the document does not carry the field), import
  it with ``import_feedback --validator``, then ``ingest --json`` the second half;
  (with ``--ranker``, ``train_ranker`` runs between the import and the second half, as the
  nightly schedule would: the learned ranking of candidates is then used where it chose better);
- WITHOUT: ``ingest --json`` the second half only.

It prints micro precision / recall / F1 of the second half, born-digital and scanned, with
and without the feedback (issue 13 targets: ≥ 0.98 born-digital, ≥ 0.92 scanned, ≥ 0.03 above
without), and what was learned (layouts, field locations, label phrases).

``--installers N`` draws the dossiers from N installers that each reuse one template (with their
obligé's cadre and their body's certificate, ``extraction/corpus/issuers.py``), as real
installers do: the second half then holds layouts the first half's corrections taught. The
bench prints how many installers each half has and how many second-half dossiers come from an
installer of the first half.

``--templates N`` gives each document type N templates that any installer prints (software sold
to many companies): the second half meets the first half's layouts with other issuers and values.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cee.settings")

VALIDATOR = "import-bench@cee.local"
TARGETS = {"born-digital": 0.98, "scanned": 0.92}


def _manage(env: dict, *args: str, stdin: str | None = None) -> str:
    completed = subprocess.run([sys.executable, "manage.py", *args], capture_output=True, text=True, cwd=ROOT, env=env,
                               input=stdin, timeout=7200)
    if completed.returncode != 0:
        raise SystemExit(f"manage.py {args[0]} failed: {completed.stderr[-3000:]}")
    return completed.stdout


def fresh_instance(var_dir: Path) -> dict:
    """Environment of a new instance on its own SQLite database, migrated, reference data loaded,
    with a validator account."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(CEE_VAR_DIR=str(var_dir))
    var_dir.mkdir(parents=True, exist_ok=True)
    _manage(env, "migrate", "--no-input")
    _manage(env, "load_reference_data")
    _manage(env, "shell", "-c",
            "from django.contrib.auth import get_user_model as g; from accounts.models import Role; "
            f"g().objects.filter(email='{VALIDATOR}').exists() or g().objects.create_user(email='{VALIDATOR}', "
            "password='bench-learning-2026', is_staff=True, role=Role.VALIDATOR)")
    return env


def ingest(env: dict, paths: list[Path], chunk: int = 20) -> dict[str, list[dict]]:
    outputs: dict[str, list[dict]] = {}
    for start in range(0, len(paths), chunk):
        out = _manage(env, "ingest", *[str(p) for p in paths[start:start + chunk]], "--json")
        for line in out.splitlines():
            if line.strip().startswith("{"):
                result = json.loads(line)
                outputs[result["file"]] = result.get("documents") or []
    return outputs


def _import_value(data_type: str, value: str):
    if data_type == "cee_code":
        return json.loads(value)
    if data_type == "boolean":
        return value == "true"
    return value


def feedback_lines(root: Path, files: list[dict], outputs: dict[str, list[dict]], specs) -> list[str]:
    """The ground truth of the ingested documents as import_feedback lines: a backlog validated
    elsewhere gives each document the fields of its true type, also where the classifier took it
    for another (the import then gives it that type)."""
    lines = []
    for truth in files:
        documents = outputs.get(str(root / truth["file"]), [])
        for doc in truth["documents"]:
            found = [d for d in documents if list(d.get("pages") or []) == doc["pages"]]
            if not found:
                continue  # cut elsewhere: no document of the instance is this one
            ambiguous = set(doc.get("ambiguous", []))
            for spec in specs.get(doc["type"], []):
                if spec.name in ambiguous:
                    continue
                value = doc["fields"].get(spec.name)
                lines.append(json.dumps({"document": found[0]["id"], "field": spec.name,
                                         "value": None if value is None else _import_value(spec.data_type, value)},
                                        ensure_ascii=False))
    return lines


def score(root: Path, files: list[dict], outputs: dict[str, list[dict]], specs) -> dict[str, object]:
    from extraction.corpus.evaluate import evaluate_ingest_output

    def run(paths):
        return {str(p): outputs.get(str(p), []) for p in paths}

    return {title: evaluate_ingest_output(root, [f for f in files if f["scanned"] == scanned], run, specs)
            for title, scanned in (("born-digital", False), ("scanned", True))}


def installers_summary(first: list[dict], second: list[dict]) -> str:
    """How many installers each half holds, and how many second-half dossiers have one the first
    half taught (the corpus writes each file's installer SIRET with ``installers``)."""
    def by_dossier(files):
        return {f["dossier"]: f.get("installer") for f in files}

    taught = set(by_dossier(first).values())
    later = by_dossier(second)
    return (f"installers: {len(taught)} in the first half, {len(set(later.values()))} in the second; "
            f"{sum(i in taught for i in later.values())} of {len(later)} second-half dossiers have an installer "
            "of the first half")


def templates_summary(first: list[dict], second: list[dict]) -> str:
    """How many second-half documents were printed from a shared template a first-half document
    of their type was printed from (the corpus writes each file's templates with ``templates``)."""
    taught = {(doc_type, k) for f in first for doc_type, k in f.get("templates", {}).items()}
    later = [(doc_type, k) for f in second for doc_type, k in f.get("templates", {}).items()]
    return (f"shared templates: {len(taught)} taught by the first half; "
            f"{sum(pick in taught for pick in later)} of {len(later)} second-half documents printed from one of them")


def learned_summary(env: dict) -> str:
    return _manage(env, "shell", "-c",
                   "from extraction.models import LayoutFingerprint as L, LearnedFieldLocation as F, LearnedLabelPhrase as P; "
                   "print(f'{L.objects.count()} layouts, {F.objects.count()} field locations, "
                   "{P.objects.count()} label phrases ({P.objects.filter(count__gte=2).count()} seen twice or more)')").strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--dossiers", type=int, default=16)
    parser.add_argument("--scanned-ratio", type=float, default=0.3)
    parser.add_argument("--multi-doc-ratio", type=float, default=0.2)
    parser.add_argument("--family", default=None, help="the generator's layout family, when it has several")
    parser.add_argument("--out", default=None, help="work folder (corpus, databases, feedback file)")
    parser.add_argument("--errors", type=int, default=0, help="print the first N wrong values of the WITH run")
    parser.add_argument("--ranker", action="store_true", help="train the learned ranking after the import")
    parser.add_argument("--installers", type=int, default=0,
                        help="draw the dossiers from N installers reusing their templates (0: a layout per document)")
    parser.add_argument("--templates", type=int, default=0,
                        help="N shared templates per document type, printed by any installer (exclusive with --installers)")
    args = parser.parse_args()

    import django

    django.setup()
    from extraction.corpus import CorpusOptions, generate_corpus
    from extraction.corpus.evaluate import load_specs

    base = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="cee-learning-"))
    options = dict(dossiers=args.dossiers, seed=args.seed, scanned_ratio=args.scanned_ratio,
                   multi_doc_ratio=args.multi_doc_ratio)
    if args.family:
        if "family" not in {f.name for f in dataclasses.fields(CorpusOptions)}:
            parser.error("this generator has a single layout family")
        options["family"] = args.family
    if args.installers:
        options["installers"] = args.installers
    if args.templates:
        if args.installers:
            parser.error("--templates and --installers are exclusive")
        options["templates"] = args.templates
    root = base / "corpus"
    manifest = generate_corpus(root, CorpusOptions(**options))
    files = manifest["files"]
    dossiers = sorted({f["dossier"] for f in files})
    first_dossiers = set(dossiers[: len(dossiers) // 2])
    first = [f for f in files if f["dossier"] in first_dossiers]
    second = [f for f in files if f["dossier"] not in first_dossiers]
    specs = load_specs()
    print(f"seed {args.seed}: {len(dossiers)} dossiers, first half {len(first)} files, second half {len(second)} files "
          f"({sum(f['scanned'] for f in second)} scanned), in {base}")
    if args.installers:
        print(installers_summary(first, second))
    if args.templates:
        print(templates_summary(first, second))

    started = time.perf_counter()
    with_env = fresh_instance(base / "with")
    first_out = ingest(with_env, [root / f["file"] for f in first])
    lines = feedback_lines(root, first, first_out, specs)
    feedback_file = base / "feedback.jsonl"
    feedback_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    imported = _manage(with_env, "import_feedback", str(feedback_file), "--validator", VALIDATOR).strip()
    print(f"import_feedback: {imported}")
    print(f"learned: {learned_summary(with_env).splitlines()[-1]}")
    if args.ranker:
        trained = _manage(with_env, "train_ranker").strip().splitlines()
        print("train_ranker: " + "\n  ".join(line for line in trained if not line.startswith("Lecture")))
    with_out = ingest(with_env, [root / f["file"] for f in second])
    (base / "second_half_with.json").write_text(json.dumps(with_out, ensure_ascii=False, indent=1), encoding="utf-8")
    with_scores = score(root, second, with_out, specs)
    print(f"WITH run: {time.perf_counter() - started:.0f} s")

    started = time.perf_counter()
    without_env = fresh_instance(base / "without")
    without_out = ingest(without_env, [root / f["file"] for f in second])
    (base / "second_half_without.json").write_text(json.dumps(without_out, ensure_ascii=False, indent=1), encoding="utf-8")
    without_scores = score(root, second, without_out, specs)
    print(f"WITHOUT run: {time.perf_counter() - started:.0f} s")

    print("\nsecond half, micro figures    without feedback            with feedback")
    for title in ("born-digital", "scanned"):
        w, wo = with_scores[title].micro, without_scores[title].micro
        print(f"  {title:12s}  P {wo.precision:.3f} R {wo.recall:.3f} F1 {wo.f1:.3f}    "
              f"P {w.precision:.3f} R {w.recall:.3f} F1 {w.f1:.3f}   lift {w.f1 - wo.f1:+.3f}  "
              f"(target ≥ {TARGETS[title]}, lift ≥ 0.03)")
    if args.errors:
        for title in ("born-digital", "scanned"):
            for error in with_scores[title].errors[: args.errors]:
                print(f"  [{title}] {error}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
