"""The document pipeline: small stages with one contract (``base.Stage``), a registry and a runner.

Per document:  text → ocr → split → classify → extract

Splitting comes after text and OCR (SPEC lists it first) because its boundaries come
from each page's classification, which needs the page's text; the split parts receive
the pages already read, so no page is read twice.

The dossier stages (detect, beneficiary, complete, rules) follow the same contract and run
through the same runner; their chain is the dossiers app's (``dossiers.workflow.chain``).
"""
from .base import DOCUMENT, DOSSIER, DocumentContext, Stage, StageError, StopPipeline, TransientStageError
from .registry import document_stages, register

__all__ = [
    "DOCUMENT", "DOSSIER", "DocumentContext", "Stage", "StageError", "StopPipeline",
    "TransientStageError", "document_stages", "register",
]
