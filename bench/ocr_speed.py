"""Benchmark: seconds per scanned A4 page with Tesseract and with EasyOCR; peak memory.

    .venv/bin/python bench/ocr_speed.py [--pages 6] [--easyocr-pages 1] [--threads 1]

Pages: born-digital documents of the test corpus (``extraction.corpus``) rendered at
300 dpi and degraded like a scanner (``extraction.corpus.scan.degrade``: 1–3° skew, blur,
noise, grey paper). Each page is read the way the OCR stage reads it
(``extraction.pipeline.ocr.read_upright``: one reading, plus orientation detection and a
second reading only when the first looks wrong); Tesseract reads a scan denser than
``CEE_OCR_DPI`` (250) scaled down to it (``CEE_OCR_DPI=300`` gives the former reading at
300 dpi, for comparison). Also timed: the same pages scanned at 200 dpi
(phone/fax quality: the OCR stage reads a scanned PDF page at its scan's own
resolution), and EasyOCR — on the GPU when torch sees one, else on the CPU
(reported as such; about 30 s a page here, so one page by default). Peak RSS is given for
this process (the worker: Django, EasyOCR's models) and for the Tesseract subprocesses.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pages_at(dpi: int, count: int, work: Path):
    from extraction.corpus import CorpusOptions, generate_corpus
    from extraction.corpus.scan import degrade, render_pages

    manifest = generate_corpus(work / "corpus", CorpusOptions(dossiers=max(2, count // 4 + 1), seed=21, scanned_ratio=0.0))
    rng = Random(5)
    images = []
    for entry in manifest["files"]:
        data = (work / "corpus" / entry["file"]).read_bytes()
        for page in render_pages(data, dpi):
            images.append(degrade(page, rng).convert("RGB"))
            if len(images) == count:
                return images
    return images


def _cpu_seconds() -> float:
    """CPU of this process and of its finished children (the Tesseract subprocesses)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_engine(engine, images, dpi):
    from extraction.pipeline.ocr import read_upright

    durations, cpu, words = [], 0.0, 0
    for image in images:
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        result, _ = read_upright(engine, image, dpi)
        durations.append(time.perf_counter() - started)
        cpu += _cpu_seconds() - cpu_started
        words += len(result.words)
    return durations, cpu, words


def report(label, durations, cpu, words):
    print(f"{label}: {statistics.fmean(durations):.2f} s/page wall (median {statistics.median(durations):.2f}, "
          f"max {max(durations):.2f}), {cpu / len(durations):.2f} s/page CPU, over {len(durations)} page(s); "
          f"{words / len(durations):.0f} words/page")


def tesseract_peak_rss_mb(image) -> float:
    """Peak RSS of one Tesseract run, measured from a tiny parent (a fork of this process
    would count this worker's memory as the child's)."""
    import io
    import subprocess

    from extraction.engines.tesseract import tesseract_command

    buffer = io.BytesIO()
    image.convert("L").save(buffer, format="PPM")
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], input=sys.stdin.buffer.read(), capture_output=True,"
        " env={'OMP_THREAD_LIMIT': '1'})\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    output = subprocess.run(
        [sys.executable, "-S", "-c", probe, tesseract_command(), "stdin", "stdout", "-l", "fra", "--psm", "3", "tsv"],
        input=buffer.getvalue(), capture_output=True, check=True,
    )
    return int(output.stdout.decode().strip().splitlines()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--easyocr-pages", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1, help="Tesseract OMP_THREAD_LIMIT")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cee-bench-ocr-"))
    os.environ.setdefault("CEE_VAR_DIR", str(work / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cee.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from extraction.engines import get_ocr_engine
    from extraction.engines.easyocr_engine import cuda_available

    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times stretch with it; CPU times less)")
    a4_300 = pages_at(300, args.pages, work)
    a4_200 = pages_at(200, args.pages, work / "200")
    print(f"pages: {len(a4_300)} A4 scans at 300 dpi ({a4_300[0].width}×{a4_300[0].height} px) and at 200 dpi, degraded")

    tesseract = get_ocr_engine("tesseract", {"threads": args.threads})
    print(f"engine: {tesseract.label}, lang {tesseract._options()[0]}, threads {args.threads}, "
          f"reads at most {tesseract.reading_resolution(a4_300[0], 300)[1]} dpi")
    report("Tesseract, 300-dpi scan (target ≤ 1.5 s)", *time_engine(tesseract, a4_300, 300))
    report("Tesseract, 200-dpi scan", *time_engine(tesseract, a4_200, 200))
    print(f"peak RSS: worker {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
          f"one tesseract run on a 300-dpi page {tesseract_peak_rss_mb(a4_300[0]):.0f} MB")

    if args.easyocr_pages:
        device = "GPU (CUDA)" if cuda_available() else "CPU"
        easyocr = get_ocr_engine("easyocr", {})
        started = time.perf_counter()
        easyocr.warm_up()
        print(f"EasyOCR on the {device}: reader built in {time.perf_counter() - started:.1f} s ({easyocr.label})")
        target = " (target ≤ 0.3 s on a GPU)" if device != "CPU" else " (CPU: not the production set-up)"
        report(f"EasyOCR, 300 dpi{target}", *time_engine(easyocr, a4_300[: args.easyocr_pages], 300))
        print(f"peak RSS with EasyOCR loaded: worker {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
