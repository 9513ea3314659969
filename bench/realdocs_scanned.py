"""The real documents of ``../shared/testdata/real`` as scans and phone photos, scored like the
born-digital ones.

    .venv/bin/python bench/realdocs_scanned.py --seed 1 [--photo] [--errors]

Each PDF is rendered and given one scanner's defects (``extraction.corpus.scan``: turned, blurred,
noisy; ``--photo``: askew, unevenly lit), saved as the image or image-only PDF a scan makes, and
the whole set is scored by ``../shared/tools/realdocs_score.py`` (``manage.py ingest --json`` in a
fresh embedded database): layouts nobody here wrote, read through OCR. The two oca-edi
« Facture_FR » samples are left out: their fonts are not embedded and pdfium draws other glyphs
than their text layer says (« R5$ubli4ue » for « République »), so a scan of them measures the
renderer, not the reader.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extraction.corpus.scan import scanned_file  # noqa: E402

SHARED = ROOT.parent / "shared"
UNRENDERABLE = {"oca-edi__Facture_FR_BASICWL.pdf", "oca-edi__Facture_FR_EN16931.pdf"}


def build(out: Path, seed: int, photo: bool) -> int:
    """The scanned copies of the real documents under ``out/testdata/real``; how many."""
    made = 0
    for sub in ("documents", "invoices"):
        source, target = SHARED / "testdata" / "real" / sub, out / "testdata" / "real" / sub
        target.mkdir(parents=True, exist_ok=True)
        expected, kept = json.loads((source / "expected.json").read_text(encoding="utf-8")), {}
        for k, (name, entry) in enumerate(sorted(expected.items())):
            if name in UNRENDERABLE:
                continue
            data, kind, _ = scanned_file((source / name).read_bytes(), Random(seed * 100 + k), photo=photo)
            scan = name.rsplit(".", 1)[0] + "." + kind
            (target / scan).write_bytes(data)
            kept[scan] = entry
            made += 1
        (target / "expected.json").write_text(json.dumps(kept, ensure_ascii=False, indent=1), encoding="utf-8")
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--photo", action="store_true", help="phone photos instead of flatbed scans")
    parser.add_argument("--errors", action="store_true", help="list the wrong values")
    args = parser.parse_args()
    scorer = SHARED / "tools" / "realdocs_score.py"
    if not scorer.exists():
        print(f"{scorer} is missing: nothing to score")
        return 1
    with tempfile.TemporaryDirectory(prefix="realdocs-scanned-") as work:
        out = Path(work)
        (out / "tools").mkdir()
        shutil.copy(scorer, out / "tools" / scorer.name)  # it reads the documents beside its own folder
        made = build(out, args.seed, args.photo)
        print(f"{made} real documents as {'phone photos' if args.photo else 'scans'} (seed {args.seed})", flush=True)
        command = [sys.executable, str(out / "tools" / scorer.name), "--python", sys.executable]
        return subprocess.run(command + (["--errors"] if args.errors else []), cwd=ROOT).returncode


if __name__ == "__main__":
    raise SystemExit(main())
