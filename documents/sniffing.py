"""The real type of an uploaded file, read from its bytes (never from its name or declared MIME).

Only two families are accepted: PDF and raster images that Pillow (with pillow-heif for
HEIC) decodes. Everything else — archives, office documents, e-mails, HTML, plain text —
is refused by the ingest service. The checks here are cheap (a few bytes); the ingest
service then opens the file with the real parser to confirm.
"""
from __future__ import annotations

from dataclasses import dataclass

PDF_MAGIC = b"%PDF-"
# Acrobat accepts a header anywhere in the first 1024 bytes (BOMs, mail gateways' junk).
PDF_HEADER_WINDOW = 1024

# Formats recognised at offset 0 that are never PDFs even if "%PDF-" appears later
# (a zip holding a stored PDF, an OLE office file with an embedded PDF).
_CONTAINER_MAGICS = (
    b"PK\x03\x04",  # zip, docx, odt, xlsx
    b"PK\x05\x06",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # OLE2: doc, xls, msg
    b"Rar!",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",  # gzip
)

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}


@dataclass(frozen=True)
class SniffedType:
    mime: str
    kind: str  # "pdf" or "image"
    pdf_header_offset: int = 0  # bytes before "%PDF-" (BOM, junk)


def sniff(data: bytes) -> SniffedType | None:
    """The type the bytes really hold, or None when it is not one we accept."""
    head = data[:32]
    if head.startswith(_CONTAINER_MAGICS):
        return None
    if head.startswith(b"\xff\xd8\xff"):
        return SniffedType("image/jpeg", "image")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return SniffedType("image/png", "image")
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return SniffedType("image/tiff", "image")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return SniffedType("image/webp", "image")
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return SniffedType("image/heic" if head[8:12].startswith(b"he") else "image/heif", "image")
    if head.startswith((b"GIF87a", b"GIF89a")):
        return SniffedType("image/gif", "image")
    if head.startswith(b"BM") and len(data) > 26:
        return SniffedType("image/bmp", "image")
    offset = data[:PDF_HEADER_WINDOW].find(PDF_MAGIC)
    if offset >= 0:
        return SniffedType("application/pdf", "pdf", pdf_header_offset=offset)
    return None
