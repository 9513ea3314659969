"""The document stage registry: stage classes register themselves; the runner asks for the chain.

Stages are found by importing the modules listed in ``STAGE_MODULES``; adding a stage is
writing one module with one ``@register``-ed class and listing it here.
"""
from __future__ import annotations

import importlib

from .base import DOCUMENT, Stage

STAGE_MODULES = (
    "extraction.pipeline.text",
    "extraction.pipeline.ocr",
    "extraction.pipeline.split",
    "extraction.pipeline.classify",
    "extraction.pipeline.extract",
)

_registry: dict[str, type[Stage]] = {}
_loaded = False


def register(cls: type[Stage]) -> type[Stage]:
    """Class decorator: add ``cls`` to the registry under ``cls.name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    if cls.scope != DOCUMENT:
        raise ValueError(f"{cls.__name__}.scope must be {DOCUMENT!r} (the dossier chain is dossiers.workflow.chain)")
    _registry[cls.name] = cls
    return cls


def _load() -> None:
    global _loaded
    if not _loaded:
        for module in STAGE_MODULES:
            importlib.import_module(module)
        _loaded = True


def stage_class(name: str) -> type[Stage]:
    _load()
    return _registry[name]


def stages(scope: str) -> list[Stage]:
    """Fresh instances of the stages of ``scope``, in chain order."""
    _load()
    return [cls() for cls in sorted(_registry.values(), key=lambda c: (c.order, c.name)) if cls.scope == scope]


def document_stages() -> list[Stage]:
    return stages(DOCUMENT)
