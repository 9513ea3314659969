"""Invoice PDF download, for back-office staff and for the installer the invoice belongs to.

Anyone else gets a 404 (the invoice's existence is not disclosed).
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from billing.documents import invoice_pdf_name, store_invoice_pdf
from billing.models import Invoice
from documents.storage import serve_stored_file

from ..selectors import can_view_dossier


@require_GET
@login_required
def invoice_pdf(request, pk: int):
    """The invoice's (or credit note's) PDF; rendered and stored on first request if missing."""
    invoice = get_object_or_404(Invoice.objects.select_related("dossier"), pk=pk)
    if not can_view_dossier(request.user, invoice.dossier):
        raise Http404
    if not invoice.pdf:
        invoice = store_invoice_pdf(invoice)
    return serve_stored_file(invoice.pdf, content_type="application/pdf", filename=invoice_pdf_name(invoice))
