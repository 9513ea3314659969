"""The invoice document: jinja2 template → HTML → PDF (WeasyPrint), stored once per invoice.

WeasyPrint was chosen over xhtml2pdf/reportlab because it implements CSS paged media
(``@page`` margins, running footers, page counters, tables that split across pages) so the
layout is plain HTML/CSS that designers can edit; it is actively maintained (Kozea) and
needs only Debian's pango (``libpango-1.0-0 libpangoft2-1.0-0``). Headless Chromium would
also print well, but costs a browser process per invoice.
"""
from __future__ import annotations

import logging
from decimal import Decimal
from functools import lru_cache

import jinja2
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import Activity

from . import conf
from .models import Invoice

logger = logging.getLogger(__name__)

NBSP = "\u00a0"
TEMPLATE_NAME = "billing/invoice.html"


def format_decimal_fr(value, places: int = 2) -> str:
    """``Decimal("12450.5")`` → ``"12 450,50"`` (non-breaking space for thousands, comma)."""
    if value is None or value == "":
        return ""
    quantised = Decimal(value).quantize(Decimal(1).scaleb(-places)) if places else Decimal(value).quantize(Decimal(1))
    sign = "-" if quantised < 0 else ""
    text = f"{abs(quantised):,.{places}f}"
    integer, _, fraction = text.partition(".")
    integer = integer.replace(",", NBSP)
    return f"{sign}{integer},{fraction}" if places else f"{sign}{integer}"


def format_eur(value) -> str:
    return f"{format_decimal_fr(value, 2)}{NBSP}€"


def format_date_fr(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def format_percent(value) -> str:
    return f"{format_compact(value)}{NBSP}%"


def format_compact(value) -> str:
    """Shortest exact French form: ``Decimal("5.000")`` → ``"5"``, ``Decimal("1.250")`` → ``"1,25"``."""
    value = Decimal(value).normalize()
    return format_decimal_fr(value, max(0, -value.as_tuple().exponent))


def format_price(value) -> str:
    """A €/MWhc price with at least two decimals: ``7.800`` → ``"7,80"``, ``7.825`` → ``"7,825"``."""
    value = Decimal(value).normalize()
    return format_decimal_fr(value, max(2, -value.as_tuple().exponent))


def format_iban(value: str) -> str:
    compact = "".join(value.split())
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


@lru_cache(maxsize=1)
def jinja_environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(settings.BASE_DIR / "templates")),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        {"eur": format_eur, "num": format_decimal_fr, "date_fr": format_date_fr, "percent": format_percent, "iban": format_iban,
         "compact": format_compact, "price": format_price}
    )
    return environment


def invoice_context(invoice: Invoice) -> dict:
    """Everything the template prints, read in a few queries."""
    invoice = (
        Invoice.objects.select_related("dossier", "installer", "credit_note_for", "dossier__timeline")
        .prefetch_related("lines")
        .get(pk=invoice.pk)
    )
    lines = list(invoice.lines.all())
    shares = {line.share_on_validation_percent for line in lines}
    share = shares.pop() if len(shares) == 1 else None
    dossier = invoice.dossier
    timeline = getattr(dossier, "timeline", None)
    return {
        "invoice": invoice,
        "is_credit_note": invoice.kind == Invoice.Kind.CREDIT_NOTE,
        "lines": lines,
        "share_on_validation": share,
        "share_on_registration": (Decimal("100") - share) if share is not None else None,
        "mwh_cumac": invoice.kwh_cumac / Decimal("1000"),
        "dossier": dossier,
        "timeline": timeline,
        "installer": invoice.installer,
        "issuer": conf.issuer(),
        "vat_mention": conf.vat_mention(),
        "late_payment_mention": conf.late_payment_mention(),
        "due_days": (invoice.due_date - invoice.issue_date).days,
        "cancellation_reason": _cancellation_reason(invoice),
    }


def _cancellation_reason(invoice: Invoice) -> str:
    if invoice.kind != Invoice.Kind.CREDIT_NOTE:
        return ""
    activity = (
        Activity.objects.filter(verb="invoice_cancelled", metadata__credit_note=invoice.number).only("metadata").first()
    )
    return activity.metadata.get("reason", "") if activity else ""


def render_invoice_html(invoice: Invoice) -> str:
    return jinja_environment().get_template(TEMPLATE_NAME).render(invoice_context(invoice))


def render_invoice_pdf(invoice: Invoice) -> bytes:
    import weasyprint

    html = render_invoice_html(invoice)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def invoice_pdf_name(invoice: Invoice) -> str:
    return f"{invoice.number}.pdf"


def store_invoice_pdf(invoice: Invoice, *, force: bool = False) -> Invoice:
    """Render the invoice's PDF and store it in the default storage (once).

    An issued invoice's document does not change: an existing PDF is kept unless ``force``.
    The file is written first and the row updated only if no other process stored one in the
    meantime (then the duplicate file is removed). Returns the refreshed invoice.
    """
    if invoice.pdf and not force:
        return invoice
    content = render_invoice_pdf(invoice)
    field = Invoice._meta.get_field("pdf")
    name = field.generate_filename(invoice, invoice_pdf_name(invoice))
    stored_name = field.storage.save(name, ContentFile(content), max_length=field.max_length)
    with transaction.atomic():
        query = Invoice.objects.filter(pk=invoice.pk)
        if not force:
            query = query.filter(pdf="")
        updated = query.update(pdf=stored_name)
    if not updated:
        field.storage.delete(stored_name)
    invoice.refresh_from_db(fields=["pdf"])
    return invoice
