"""The file side of an upload: ``check_upload`` then ``store_upload``.

``check_upload`` decides from the bytes what a file really is and refuses what the pipeline
cannot read with a message an installer understands; ``store_upload`` stores what it accepts
and creates the ``Document`` row — both or neither: the file is written inside the database
transaction and deleted again if that transaction fails, so a refused or failed upload leaves
no row and no stored file. What an upload does to its dossier (closed dossiers, fraud signals,
the activity log, resuming the pipeline) is the dossiers app's: every upload goes through
``dossiers.workflow.upload.ingest_file``, which calls these two.
"""
from __future__ import annotations

import hashlib
import io
import logging
import unicodedata
import warnings
from dataclasses import dataclass, field
from typing import BinaryIO, Callable

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image, UnidentifiedImageError

from cee.exceptions import DomainError
from cee.precompiled import precompiled
from cee.uploads import max_file_bytes, megabytes

from . import conf
from .models import Document, DocumentStatus, DocumentType
from .sniffing import sniff

logger = logging.getLogger(__name__)

try:  # HEIC/HEIF photos from phones: Pillow reads them once pillow-heif registers its opener.
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - pillow-heif is a declared dependency
    pillow_heif = None

# Pillow refuses to decode larger images (DecompressionBombError) instead of allocating
# gigabytes; we set the limit from our own setting rather than rely on Pillow's default.
Image.MAX_IMAGE_PIXELS = conf.max_image_pixels()

# Image formats Pillow identifies that we accept (as Pillow names them).
ACCEPTED_IMAGE_FORMATS = {"JPEG", "MPO", "PNG", "TIFF", "WEBP", "HEIF", "GIF", "BMP"}
# Formats whose frames are pages; for the others (animated GIF/WebP, HEIC bursts) the first
# image is the document.
MULTI_PAGE_IMAGE_FORMATS = {"TIFF"}



class IngestError(DomainError):
    """An upload refused. ``code`` is stable (API, tests); ``message`` is French, for the installer
    (the API answers 400)."""

    def __init__(self, code: str, message: str, *, filename: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.filename = filename

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass
class InspectedFile:
    """What the bytes are, and the bytes to store (a repaired PDF differs from the upload)."""

    mime: str
    kind: str  # pdf | image
    page_count: int
    stored_bytes: bytes
    flags: list[dict] = field(default_factory=list)


def safe_display_name(filename: str | None) -> str:
    """The uploaded name made safe to display: no directory part, no control characters.

    Only for display and downloads; the stored name is always generated (see
    ``documents.models.document_upload_to``).
    """
    name = unicodedata.normalize("NFC", str(filename or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Cc (controls, NUL, newlines), Cf (bidi overrides that disguise extensions), Cs, Co, Cn.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    if not name:
        name = "document"
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 190] + dot + ext[:9]) if dot and len(ext) <= 9 else name[:200]
    return name


@dataclass
class CheckedUpload:
    """A file that passed every check, ready to store: its display name, what it is, its hash."""

    display_name: str
    inspected: InspectedFile
    sha256: str
    declared_type: DocumentType | None


def check_upload(
    fileobj_or_bytes: bytes | BinaryIO, *, filename: str, declared_type_code: str | None = None
) -> CheckedUpload:
    """Read ``fileobj_or_bytes`` (bytes or a file object: an ``UploadedFile`` works) within the size
    limit and decide from the bytes what it really is, opening it with the real parser.

    ``filename`` is the name the user gave (kept only for display, sanitised); the optional
    ``declared_type_code`` is the ``DocumentType.code`` the user declared.

    Raises IngestError (with ``filename`` set) with code ``empty_file``, ``too_large``,
    ``unsupported_type``, ``encrypted_pdf``, ``corrupt_pdf``, ``pdf_page_too_small``,
    ``blank_pdf``, ``corrupt_image``, ``image_too_small``, ``image_too_large``,
    ``too_many_pages`` or ``unknown_document_type``.
    """
    display_name = safe_display_name(filename)
    try:
        data = _read_limited(fileobj_or_bytes)
        inspected = inspect_bytes(data)
        declared_type = _declared_type(declared_type_code)
    except IngestError as error:
        error.filename = display_name
        raise
    return CheckedUpload(display_name, inspected, hashlib.sha256(data).hexdigest(), declared_type)


def store_upload(
    upload: CheckedUpload,
    *,
    dossier,
    user=None,
    on_stored: Callable[[Document, list[Document]], None],
) -> Document:
    """Store the checked file and create its ``Document`` row in ``dossier``: both or neither.

    One transaction, with the dossier's row locked (two uploads of one file cannot both pass):
    the same file (SHA-256) twice in a dossier is refused (IngestError ``duplicate_in_dossier``).
    ``on_stored(document, same_file_elsewhere)`` runs inside that transaction, with the new
    document (its ``dossier`` is the locked row) and the uploads of the same file in other
    dossiers: what it records commits or rolls back with the document, and any failure deletes
    the stored file. If the caller's own enclosing transaction rolls back after this returns,
    the stored file is left behind: ``purge_orphan_files`` removes those.
    """
    dossier_model = Document._meta.get_field("dossier").related_model
    storage = Document._meta.get_field("file").storage
    stored_name = ""
    try:
        with transaction.atomic():
            locked = dossier_model.objects.select_for_update().get(pk=dossier.pk)
            same_file = _same_file(upload.sha256)
            if any(other.dossier_id == locked.pk for other in same_file):
                raise _duplicate_error(upload.display_name)
            document = Document(
                dossier=locked,
                declared_type=upload.declared_type,
                original_filename=upload.display_name,
                mime_type=upload.inspected.mime,
                size=len(upload.inspected.stored_bytes),
                sha256=upload.sha256,
                page_count=upload.inspected.page_count,
                status=DocumentStatus.PENDING,
                flags=list(upload.inspected.flags),
                uploaded_by=user if getattr(user, "is_authenticated", False) else None,
            )
            document.file.save("upload", ContentFile(upload.inspected.stored_bytes), save=False)
            stored_name = document.file.name
            try:
                # No savepoint of its own: the error leaves this whole block, which rolls back.
                with transaction.atomic(savepoint=False):
                    document.save()
            except IntegrityError as exc:  # a concurrent upload of the same file won the race
                raise _duplicate_error(upload.display_name) from exc
            on_stored(document, [other for other in same_file if other.dossier_id != locked.pk])
    except BaseException:
        if stored_name:
            _delete_quietly(storage, stored_name)
        raise
    return document


def _delete_quietly(storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:  # the original error matters more; the orphan sweep catches leftovers
        logger.exception("Could not delete %s after a failed upload", name)


def _duplicate_error(display_name: str) -> IngestError:
    return IngestError(
        "duplicate_in_dossier",
        f"Le fichier « {display_name} » a déjà été déposé dans ce dossier.",
        filename=display_name,
    )


def _read_limited(fileobj_or_bytes) -> bytes:
    limit = max_file_bytes()
    too_large = IngestError(
        "too_large",
        f"Le fichier dépasse la taille maximale autorisée ({megabytes(limit)}). "
        "Réduisez la résolution du scan ou découpez le document.",
    )
    if isinstance(fileobj_or_bytes, (bytes, bytearray, memoryview)):
        data = bytes(fileobj_or_bytes)
    else:
        size = getattr(fileobj_or_bytes, "size", None)
        if isinstance(size, int) and size > limit:
            raise too_large
        if hasattr(fileobj_or_bytes, "seek"):
            try:
                fileobj_or_bytes.seek(0)
            except (OSError, ValueError):
                pass
        data = fileobj_or_bytes.read(limit + 1)
    if not data:
        raise IngestError("empty_file", "Le fichier est vide (0 octet) : déposez-le à nouveau.")
    if len(data) > limit:
        raise too_large
    return data


def _declared_type(code: str | None) -> DocumentType | None:
    if not code:
        return None
    found = DocumentType.objects.filter(code=code, is_active=True).first()
    if found is None:
        raise IngestError("unknown_document_type", f"Type de document inconnu : « {code} ».")
    return found


def inspect_bytes(data: bytes) -> InspectedFile:
    """Identify and open ``data`` with the real parser; raise IngestError when it is unusable."""
    sniffed = sniff(data)
    if sniffed is None:
        raise IngestError(
            "unsupported_type",
            "Format de fichier non pris en charge. Déposez un PDF ou une image (JPEG, PNG, TIFF, HEIC, WebP) ; "
            "les documents Word, archives ZIP, e-mails, pages web et fichiers texte ne sont pas acceptés.",
        )
    if sniffed.kind == "pdf":
        return _inspect_pdf(data, header_offset=sniffed.pdf_header_offset)
    return _inspect_image(data, sniffed.mime)


def _too_many_pages(count: int) -> IngestError:
    return IngestError(
        "too_many_pages",
        f"Le fichier compte {count} pages ; un dépôt est limité à {conf.max_pages()} pages. "
        "Déposez les documents séparément.",
    )


def _inspect_pdf(data: bytes, *, header_offset: int = 0) -> InspectedFile:
    import pikepdf

    corrupt = IngestError(
        "corrupt_pdf",
        "Le PDF est endommagé ou incomplet et n'a pas pu être réparé. "
        "Enregistrez-le à nouveau depuis le logiciel d'origine ou rescannez le document.",
    )
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise IngestError(
            "encrypted_pdf",
            "Le PDF est protégé par un mot de passe. Déposez une version sans mot de passe "
            "(par exemple « Imprimer » vers un nouveau PDF).",
        ) from None
    except Exception:
        raise corrupt from None
    flags: list[dict] = []
    with pdf:
        try:
            page_count = len(pdf.pages)
        except Exception:
            raise corrupt from None
        if page_count == 0:
            raise IngestError("corrupt_pdf", "Le PDF ne contient aucune page.")
        if page_count > conf.max_pages():
            raise _too_many_pages(page_count)
        _check_page_sizes(pdf)
        stored = data
        # A well-formed file is stored untouched: rewriting would break a digital signature.
        # Bytes before the header (a BOM, a mail gateway's junk) trip some readers: rewrite.
        if header_offset or pdf.get_warnings() or not _readable_pdf(data):
            buffer = io.BytesIO()
            try:
                pdf.save(buffer)
            except Exception:
                raise corrupt from None
            stored = buffer.getvalue()
            if not _readable_pdf(stored):
                raise corrupt
            flags.append({"code": "pdf_repaired", "message": "PDF endommagé, réparé automatiquement au dépôt."})
        # The stored file is the one open here unless it was repaired: look at it while open.
        text_looked_for = stored is data
        shows_text = text_looked_for and _shows_text_on_first_page(pdf)
    if not shows_text and _all_pages_blank(stored, text_looked_for=text_looked_for):
        raise IngestError(
            "blank_pdf",
            "Le PDF ne contient que des pages blanches : déposez le document rempli, ou son scan.",
        )
    return InspectedFile("application/pdf", "pdf", page_count, stored, flags)


def _check_page_sizes(pdf) -> None:
    """Refuse pages too small to hold a document (a 1×1 pt page is no document)."""
    minimum = conf.min_pdf_page_side()
    for page in pdf.pages:
        try:
            left, bottom, right, top = (float(value) for value in page.mediabox)
        except Exception:
            continue  # an unreadable box is the repair's business, not a size
        width, height = abs(right - left), abs(top - bottom)
        if min(width, height) < minimum:
            raise IngestError(
                "pdf_page_too_small",
                f"Une page du PDF est trop petite ({width:.0f}×{height:.0f} points, "
                f"{width / 72 * 2.54:.1f}×{height / 72 * 2.54:.1f} cm) pour contenir un document. "
                "Déposez le document à sa taille réelle.",
            )


BLANK_RENDER_SCALE = 12 / 72  # 12 dpi: enough to see ink, a few milliseconds a page
BLANK_LIGHTEST_INK = 245  # a page whose darkest pixel is lighter than this is blank


def _all_pages_blank(data: bytes, *, text_looked_for: bool = False) -> bool:
    """True when every page renders white: no text, drawing or image shows.

    A page with printable characters in its text layer is not blank (the pipeline reads them): counting
    them costs a few hundredths of a millisecond where rendering costs several milliseconds,
    so born-digital documents, nearly every upload, are never rendered here. Before pdfium loads a
    page at all (~1 ms, and ~2.5 ms a file with its text page), the first page's content stream is
    read for a string shown in a font (~0.2 ms): born-digital documents stop there (unless the
    caller did that already: ``text_looked_for``)."""
    import pypdfium2

    if not text_looked_for and _first_page_shows_text(data):
        return False
    try:
        document = pypdfium2.PdfDocument(data)
    except Exception:
        return False  # unreadable here: the pipeline reports it
    try:
        for page in document:
            if _has_text(page):
                return False
            bitmap = page.render(scale=BLANK_RENDER_SCALE, grayscale=True)
            darkest, _lightest = bitmap.to_pil().convert("L").getextrema()
            if darkest < BLANK_LIGHTEST_INK:
                return False
        return True
    finally:
        document.close()


_TEXT_OPERATORS = "Tj TJ ' \""


def _first_page_shows_text(data: bytes) -> bool:
    """Whether the first page's own content stream shows a non-blank string in a font of its
    resources (text in a form XObject is not looked for here: pdfium's check below finds it)."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return _shows_text_on_first_page(pdf)
    except Exception:
        return False  # pdfium decides


def _shows_text_on_first_page(pdf) -> bool:
    """``_first_page_shows_text`` on a PDF already open with pikepdf."""
    import pikepdf

    try:
        page = pdf.pages[0]
        if not page.obj.get("/Resources", {}).get("/Font"):
            return False
        for operands, _operator in pikepdf.parse_content_stream(page, _TEXT_OPERATORS):
            for operand in operands:
                for item in (operand if isinstance(operand, pikepdf.Array) else [operand]):
                    if isinstance(item, pikepdf.String) and bytes(item).strip(b" \x00"):
                        return True
    except Exception:
        return False  # pdfium decides
    return False


def _has_text(page) -> bool:
    text_page = page.get_textpage()
    try:
        return text_page.count_chars() > 0 and bool(text_page.get_text_range().strip())
    finally:
        text_page.close()


def _readable_pdf(data: bytes) -> bool:
    """pdfium (which renders every page) and the configured text-layer reader can open it."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
        try:
            if len(document) == 0:
                return False
        finally:
            document.close()
        if conf.text_layer_engine() == "pdfplumber":
            import pdfplumber

            with pdfplumber.open(io.BytesIO(data)) as pdf:
                return len(pdf.pages) > 0
        return True
    except Exception:
        return False


def _inspect_image(data: bytes, mime: str) -> InspectedFile:
    max_pixels = conf.max_image_pixels()
    min_side = conf.min_image_side()
    Image.MAX_IMAGE_PIXELS = max_pixels
    too_large = IngestError(
        "image_too_large",
        f"L'image est trop grande (plus de {max_pixels // 1_000_000} mégapixels). "
        "Réduisez sa résolution (300 dpi suffisent pour un document).",
    )
    corrupt = IngestError("corrupt_image", "L'image est endommagée ou incomplète : déposez-la à nouveau.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError:
            raise too_large from None
        except Image.DecompressionBombWarning:
            raise too_large from None
        except UnidentifiedImageError:
            raise corrupt from None
        except Exception:
            raise corrupt from None
        with image:
            if image.format not in ACCEPTED_IMAGE_FORMATS:
                raise IngestError("unsupported_type", f"Format d'image non pris en charge ({image.format}).")
            frames = getattr(image, "n_frames", 1) if image.format in MULTI_PAGE_IMAGE_FORMATS else 1
            if frames > conf.max_pages():
                raise _too_many_pages(frames)
            for index in range(frames):
                try:
                    image.seek(index)
                    width, height = image.size
                    if width * height > max_pixels:
                        raise too_large
                    if min(width, height) < min_side:
                        raise IngestError(
                            "image_too_small",
                            f"L'image est trop petite ({width}×{height} pixels) pour être lue. "
                            "Déposez une photo ou un scan du document entier.",
                        )
                    image.load()  # decode now: a truncated image fails here, not in the pipeline
                except IngestError:
                    raise
                except (Image.DecompressionBombError, Image.DecompressionBombWarning):
                    raise too_large from None
                except Exception:
                    raise corrupt from None
    return InspectedFile(mime, "image", frames, data)


SAME_FILE_LIMIT = 20  # other dossiers' copies of a file looked at


@precompiled
def _same_file_ids(sha256):
    return Document.objects.filter(sha256=sha256, parent__isnull=True).order_by("pk").values_list("pk", flat=True)[:1]


def _same_file(sha256: str) -> list[Document]:
    """The uploaded files with this hash: at most one in any dossier (a constraint), and the
    first ``SAME_FILE_LIMIT`` others, with the columns the checks read (not their text).

    Most files are new: a first look through a statement compiled once finds none, and the
    rows are loaded only when there are some."""
    if not _same_file_ids.rows(sha256):
        return []
    return list(
        Document.objects.filter(sha256=sha256, parent__isnull=True)
        .select_related("dossier")
        .only("flags", "original_filename", "sha256", "dossier__installer_id", "dossier__reference")
        .order_by("pk")[:SAME_FILE_LIMIT + 1]
    )
