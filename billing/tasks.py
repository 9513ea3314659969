"""django-q2 entry points for billing: load ids, call the services, nothing else."""
from __future__ import annotations

from django.conf import settings

from .models import Invoice


def enqueue_invoice_pdf(invoice_id: int):
    """Queue the rendering of an invoice's PDF (run at once when ``Q_CLUSTER["sync"]``).

    Rendering takes a fraction of a second per invoice: off the request, a batch of
    invoices created from the admin returns at once. Until a worker has run it, the
    download view renders the PDF on first request.
    """
    from django_q.tasks import async_task

    return async_task(
        "billing.tasks.render_invoice_pdf_task", invoice_id, group="invoice-pdf",
        sync=bool(settings.Q_CLUSTER.get("sync", False)),
    )


def render_invoice_pdf_task(invoice_id: int) -> str:
    from .documents import store_invoice_pdf

    invoice = Invoice.objects.filter(pk=invoice_id).first()
    if invoice is None:
        return "absent"
    return store_invoice_pdf(invoice).pdf.name
