"""The document pipeline: small stages with one contract (``base.Stage``), a registry and a runner.

Per document:  text → ocr → split → classify → extract
Per dossier:   detect → complete → rules

Splitting comes after text and OCR (SPEC lists it first) because its boundaries come
from each page's classification, which needs the page's text; the split parts receive
the pages already read, so no page is read twice.
"""
from .base import DOCUMENT, DOSSIER, DocumentContext, DossierContext, Stage, StageError, StopPipeline, TransientStageError
from .registry import document_stages, dossier_stages, register

__all__ = [
    "DOCUMENT", "DOSSIER", "DocumentContext", "DossierContext", "Stage", "StageError", "StopPipeline",
    "TransientStageError", "document_stages", "dossier_stages", "register",
]
