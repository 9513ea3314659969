"""The one contract every pipeline stage follows, and what stages share while they run.

A stage is a small class (paperless-ngx's consumer plugins are the model):

    name        stable identifier, recorded in StageRun.stage
    label       French, for the error shown on a document ("lecture du texte")
    scope       "document" (runs once per document) or "dossier" (once per dossier)
    order       position in the chain
    able_to_run(ctx) -> bool     False: the stage does not apply (recorded as skipped)
    run(ctx) -> dict | None      does the work; the dict goes to StageRun.details

``run`` is idempotent: it replaces whatever an earlier run of the same stage produced.
It runs inside one database transaction (the runner opens it); files it writes are
registered on the context so the runner deletes them when that transaction rolls back.

A stage stops the chain for its document by raising ``StopPipeline`` (a split original,
a page without any text), fails permanently with ``StageError`` (a clear French message
for the installer or validator), or asks for a retry with ``TransientStageError``.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Any, ClassVar

from documents.models import Document, Page
from extraction.types import PageContent, Word

logger = logging.getLogger(__name__)

DOCUMENT = "document"
DOSSIER = "dossier"


class StopPipeline(Exception):
    """Ends the chain for this document without an error.

    ``status``: the document's final status (for example ``split``); ``continue_with``:
    documents that go on through the remaining stages instead (the parts of a split
    file); ``details`` are recorded on the StageRun.
    """

    def __init__(self, reason: str = "", *, status: str | None = None, continue_with=(), details: dict | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.continue_with = list(continue_with)
        self.details = details or {}


class StageError(Exception):
    """A permanent failure: retrying will not help. ``message`` is French and shown to users."""

    def __init__(self, message: str, *, code: str = "stage_failed", details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = details or {}


class TransientStageError(Exception):
    """A failure worth retrying (storage or database briefly unavailable, engine timeout)."""


class Stage:
    name: ClassVar[str] = ""
    label: ClassVar[str] = ""
    scope: ClassVar[str] = DOCUMENT
    order: ClassVar[int] = 100

    def able_to_run(self, ctx) -> bool:
        return True

    def run(self, ctx) -> dict[str, Any] | None:  # pragma: no cover - the contract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<Stage {self.name}>"


@dataclass
class DocumentContext:
    """What the stages of one document share: the row, its source bytes, open parsers."""

    document: Document
    ocr_regions: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)
    written_files: list[tuple[Any, str]] = field(default_factory=list)
    runs: list = field(default_factory=list)  # StageRuns not yet written (see runner.run_stage)
    # True once a stage of this chain has removed the document's split parts and written its
    # pages anew (the text stage): the split stage then has no earlier split to undo.
    without_parts: bool = False
    _source_bytes: bytes | None = None
    _pdfium: Any = None
    _pages: list[Page] | None = None
    _contents: list[PageContent] | None = None

    @property
    def dossier(self):
        return self.document.dossier

    @property
    def dossier_id(self) -> int:
        return self.document.dossier_id

    @property
    def is_pdf(self) -> bool:
        return self.document.mime_type == "application/pdf"

    def source_bytes(self) -> bytes:
        """The bytes of the file holding this document's pages (read once); a PDF's filled-in
        form fields drawn into its pages (``engines.forms``), so that every stage reads them."""
        if self._source_bytes is None:
            source = self.document.source
            if not source.file:
                raise StageError("Le fichier d'origine de ce document est introuvable.", code="file_missing")
            with source.file.open("rb") as handle:
                data = handle.read()
            if self.is_pdf:
                from extraction.engines.forms import flatten_form_fields

                data = flatten_form_fields(data)
            self._source_bytes = data
        return self._source_bytes

    def pdfium_document(self):
        if self._pdfium is None:
            import pypdfium2

            self._pdfium = pypdfium2.PdfDocument(self.source_bytes())
        return self._pdfium

    def open_image(self):
        from PIL import Image

        return Image.open(io.BytesIO(self.source_bytes()))

    def pages(self) -> list[Page]:
        """The document's Page rows, loaded once per chain (stages that replace rows call
        ``forget_pages``; the runner forgets them after any failed attempt)."""
        if self._pages is None:
            self._pages = list(Page.objects.filter(document=self.document).order_by("number"))
        return self._pages

    def page_contents(self) -> list[PageContent]:
        """The document's pages as the classification/extraction functions take them."""
        if self._contents is None:
            self._contents = [page_content(page) for page in self.pages()]
        return self._contents

    def keep_pages(self, pages: list[Page]) -> None:
        """The document's Page rows, just written by a stage (saved, with their ids)."""
        self._pages = sorted(pages, key=lambda page: page.number)
        self._contents = None

    def forget_pages(self) -> None:
        self._pages = None
        self._contents = None

    def remember_file(self, storage, name: str) -> None:
        self.written_files.append((storage, name))

    def discard_written_files(self) -> None:
        """Delete the files written by a stage whose transaction rolled back (and forget
        the rows it may have changed in memory)."""
        self.forget_pages()
        self.without_parts = False
        for storage, name in self.written_files:
            try:
                storage.delete(name)
            except Exception:
                logger.exception("Could not delete %s after a failed stage", name)
        self.written_files.clear()

    def close(self) -> None:
        if self._pdfium is not None:
            self._pdfium.close()
            self._pdfium = None
        self._source_bytes = None
        self.forget_pages()


def page_content(page: Page) -> PageContent:
    return PageContent(
        number=page.number,
        text=page.text,
        words=[Word.from_json(w) for w in page.words or []],
        width=page.width,
        height=page.height,
        source=page.text_source or "text_layer",
    )

