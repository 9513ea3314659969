"""Filled-in PDF forms: the values typed into a form's fields made part of its pages.

Obligés hand out their attestation sur l'honneur, cadres and offers as fillable PDFs; an
installer types the beneficiary, dates and amounts into the fields and sends the file without
flattening it. A viewer shows the values, but they live in the form's widget annotations, not
in the page's text: pdfium's and pdfminer's text layers, and a page rendered without a form
environment, all miss them, and the attestation reads as an empty form.

``flatten_form_fields`` gives such a file's pages their fields: pdfium draws each field's
appearance into the page content (the values become text at their place; a signature field's
image becomes an image), and each check box or radio button gets an invisible « [X] » when
ticked, « [ ] » when not, over its box, since a tick is drawn as a ZapfDingbats glyph with no
text behind it. Files without a form come back as they are, unchanged.
"""
from __future__ import annotations

import ctypes
import io
import logging

logger = logging.getLogger(__name__)

BOX_MARKS = {True: "[X]", False: "[ ]"}
_MARK_FONT = b"Helvetica"


def flatten_form_fields(data: bytes) -> bytes:
    """``data`` with its filled-in form fields drawn into its pages (``data`` itself when it
    holds no form, or when pdfium cannot flatten it: the reading then goes on without them)."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    try:
        document = pypdfium2.PdfDocument(data)
    except Exception:
        return data  # unreadable here: the pipeline reports it
    try:
        document.init_forms()
        if document.get_formtype() == pdfium_c.FORMTYPE_NONE:
            return data
        flattened = False
        for index in range(len(document)):
            flattened |= _flatten_page(document, index)
        if not flattened:
            return data
        output = io.BytesIO()
        document.save(output)
        return output.getvalue()
    except Exception:
        logger.exception("Could not flatten a PDF form; its fields' values stay unread")
        return data
    finally:
        document.close()


def _flatten_page(document, index: int) -> bool:
    """Draws page ``index``'s fields into its content; True when the page had any."""
    import pypdfium2.raw as pdfium_c

    page = document[index]
    try:
        boxes = _boxes(document, page)
        status = page.flatten()
    finally:
        page.close()
    if status != pdfium_c.FLATTEN_SUCCESS:
        return False
    if boxes:
        page = document[index]  # flattening invalidates the page's handles: load it again
        try:
            for rect, ticked in boxes:
                _insert_invisible_text(document, page, rect, BOX_MARKS[ticked])
            if not pdfium_c.FPDFPage_GenerateContent(page.raw):
                raise RuntimeError("pdfium could not write the check boxes' marks")
        finally:
            page.close()
    return True


def _boxes(document, page) -> list[tuple[tuple[float, float, float, float], bool]]:
    """Each check box and radio button of ``page``: its rectangle (PDF space) and whether it is ticked."""
    import pypdfium2.raw as pdfium_c

    form = document.formenv.raw
    kinds = (pdfium_c.FPDF_FORMFIELD_CHECKBOX, pdfium_c.FPDF_FORMFIELD_RADIOBUTTON)
    boxes = []
    for position in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annot = pdfium_c.FPDFPage_GetAnnot(page.raw, position)
        if not annot:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_WIDGET:
                continue
            if pdfium_c.FPDFAnnot_GetFormFieldType(form, annot) not in kinds:
                continue
            rect = pdfium_c.FS_RECTF()
            if not pdfium_c.FPDFAnnot_GetRect(annot, ctypes.byref(rect)):
                continue
            box = (min(rect.left, rect.right), min(rect.bottom, rect.top),
                   max(rect.left, rect.right), max(rect.bottom, rect.top))
            boxes.append((box, bool(pdfium_c.FPDFAnnot_IsChecked(form, annot))))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return boxes


def _insert_invisible_text(document, page, box, text: str) -> None:
    """``text`` in invisible Helvetica across ``box`` (left, bottom, right, top in PDF space),
    the way an OCR layer sits under a scan: read by every text layer, drawn by none."""
    import pypdfium2.raw as pdfium_c

    left, bottom, right, top = box
    size = max(min(top - bottom, 14.0), 4.0)
    obj = pdfium_c.FPDFPageObj_NewTextObj(document.raw, _MARK_FONT, ctypes.c_float(size))
    if not obj:
        raise RuntimeError("pdfium could not create a text object")
    encoded = (text + "\x00").encode("utf-16-le")
    buffer = ctypes.create_string_buffer(encoded, len(encoded))
    if not pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR))):
        pdfium_c.FPDFPageObj_Destroy(obj)
        raise RuntimeError("pdfium could not set a text object's text")
    pdfium_c.FPDFTextObj_SetTextRenderMode(obj, pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE)
    pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, left, bottom + (top - bottom - size) / 2 + 0.2 * size)
    pdfium_c.FPDFPage_InsertObject(page.raw, obj)
