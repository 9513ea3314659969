"""Fillable PDF forms as installers send them: filled in, not flattened (real AcroForm PDFs
written with reportlab's form fields)."""
import io

import pikepdf
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

TOP = A4[1]


def filled_attestation(*, built: bool, name: str = "GUYOT Ginette", with_form: bool = True) -> bytes:
    """A regulatory-looking attestation whose values sit in form fields (``built``: whether
    the « bâtiment de plus de 2 ans » box is ticked). ``with_form=False`` prints the same
    values as plain text (no AcroForm at all)."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    sheet.setFont("Helvetica-Bold", 14)
    sheet.drawString(150, TOP - 70, "ATTESTATION SUR L'HONNEUR")
    sheet.setFont("Helvetica", 10)
    rows = [
        ("Nom du bénéficiaire :", "nom", name),
        ("Adresse des travaux :", "adresse", "12 rue des Lilas"),
        ("Code postal :", "cp", "69100"),
        ("Ville :", "ville", "Villeurbanne"),
        ("Date d'engagement de l'opération :", "engagement", "14/02/2025"),
        ("Date d'achèvement de l'opération :", "achevement", "28/03/2025"),
        ("Référence de la facture :", "facture", "FA-2025-0412"),
    ]
    y = TOP - 130
    for label, field_name, value in rows:
        sheet.drawString(60, y, label)
        if with_form:
            sheet.acroForm.textfield(name=field_name, value=value, x=250, y=y - 5, width=260, height=16,
                                     borderWidth=0, fontName="Helvetica", fontSize=10)
        else:
            sheet.drawString(252, y, value)
        y -= 26
    y -= 10
    if with_form:
        sheet.acroForm.checkbox(name="batiment", x=60, y=y - 2, size=11, checked=built, buttonStyle="cross")
    else:
        sheet.drawString(60, y, "[X]" if built else "[ ]")
    sheet.drawString(78, y, "Le bâtiment est achevé depuis plus de 2 ans à la date d'engagement de l'opération.")
    sheet.save()
    return buffer.getvalue()


def without_appearances(data: bytes) -> bytes:
    """The form as some tools write it: the field's value, no drawing of it, and
    « NeedAppearances » asking the viewer to draw it."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for annotation in pdf.pages[0].Annots:
            if "/AP" in annotation and annotation.get("/FT") == "/Tx":
                del annotation["/AP"]
        pdf.Root.AcroForm.NeedAppearances = True
        output = io.BytesIO()
        pdf.save(output)
        return output.getvalue()
