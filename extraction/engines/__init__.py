"""OCR engines behind one interface (``base.OcrEngine``) and the choice of the one that runs.

The active ``EngineConfig`` row of task ``ocr`` with the lowest priority names the engine
(``tesseract``, ``easyocr`` or ``auto``) and its parameters; without one,
``settings.CEE_OCR_ENGINE`` does. ``auto`` means EasyOCR when torch sees a CUDA GPU,
Tesseract otherwise; it then takes the parameters of that engine's own row, if any.
"""
from __future__ import annotations

import json
import threading

from django.conf import settings

from .base import OcrEngine, OcrEngineError, OcrEngineUnavailable, OcrResult

ENGINE_CLASSES: dict[str, str] = {
    "tesseract": "extraction.engines.tesseract.TesseractEngine",
    "easyocr": "extraction.engines.easyocr_engine.EasyOcrEngine",
}
AUTO = "auto"

_instances: dict[tuple[str, str], OcrEngine] = {}
_lock = threading.Lock()

__all__ = [
    "OcrEngine", "OcrEngineError", "OcrEngineUnavailable", "OcrResult",
    "configured_ocr_engine", "get_ocr_engine", "resolve_engine_name",
]


def resolve_engine_name(name: str, *, probe_cuda: bool = True) -> str:
    """The concrete engine ``name`` stands for (``auto`` looks for a GPU). ``probe_cuda=False``
    (screens of the web process) answers from the NVIDIA driver's presence alone, without
    importing PyTorch."""
    if name == AUTO:
        from .easyocr_engine import cuda_available, nvidia_device_present

        gpu = cuda_available() if probe_cuda else nvidia_device_present()
        return "easyocr" if gpu else "tesseract"
    if name not in ENGINE_CLASSES:
        raise OcrEngineUnavailable(f"Moteur OCR inconnu : « {name} » (auto, tesseract, easyocr).")
    return name


def configured_ocr_engine() -> tuple[str, dict]:
    """(engine name, parameters) from the admin's EngineConfig, falling back to settings."""
    from extraction.models import EngineConfig

    rows = list(EngineConfig.objects.filter(task=EngineConfig.Task.OCR).order_by("priority", "pk"))
    active = next((row for row in rows if row.is_active), None)
    name = active.engine if active else settings.CEE_OCR_ENGINE
    parameters = dict(active.parameters or {}) if active else {}
    resolved = resolve_engine_name(name)
    if name == AUTO:
        own = next((row for row in rows if row.engine == resolved), None)
        parameters = {**(own.parameters if own else {}), **parameters}
    return resolved, parameters


def get_ocr_engine(name: str | None = None, parameters: dict | None = None) -> OcrEngine:
    """The engine instance to use (cached per process: EasyOCR loads its models once)."""
    if name is None:
        name, configured = configured_ocr_engine()
        parameters = {**configured, **(parameters or {})}
    name = resolve_engine_name(name)
    parameters = parameters or {}
    key = (name, json.dumps(parameters, sort_keys=True, default=str))
    with _lock:
        engine = _instances.get(key)
        if engine is None:
            module_name, class_name = ENGINE_CLASSES[name].rsplit(".", 1)
            module = __import__(module_name, fromlist=[class_name])
            engine = getattr(module, class_name)(**parameters)
            _instances[key] = engine
    return engine
