"""Approval → invoice → payment, the dossier's side of billing.

Billing computes and writes invoices, credit notes and payments (billing.services); this
module invoices approved dossiers (one transaction: the dossier locked, the invoice written,
the dossier moved ``approved → invoiced``) and moves the dossier when billing announces a
credit note (back to ``approved``) or a payment that settles the invoice (on to ``paid``).
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.activity import log_activity
from billing import conf
from billing.models import Invoice
from billing.services import (
    BillingError,
    InvoiceError,
    announce_invoice,
    issue_invoice,
    require_billing_permission,
)

from ..models import Dossier, DossierOperation, DossierStatus
from ..status import transition


def billable_operations(dossier: Dossier):
    """The operations an invoice bills: every one that is not ``invalid``, in pk order."""
    return dossier.operations.select_related("operation").exclude(status=DossierOperation.Status.INVALID).order_by("pk")


def create_invoice_for_dossier(
    dossier: Dossier, *, user, issue_date: datetime.date | None = None, check_permission: bool = True, request=None
) -> Invoice:
    """Invoice an approved dossier and move it to ``invoiced``.

    Takes the dossier, the user who asks (None: the system) and an optional issue date
    (default: today). In one transaction: locks the dossier, writes the invoice and its lines
    (billing.services.issue_invoice: lines, gap-free number), moves the dossier
    ``approved → invoiced`` and logs it. The PDF is queued for rendering after commit.
    Raises ``InvoiceError`` (not approved, nothing to bill, no price), ``PermissionDenied``
    when ``user`` may not add invoices.
    """
    if check_permission:
        require_billing_permission(user, "add_invoice")
    issue_date = issue_date or timezone.localdate()
    try:
        with transaction.atomic():
            locked = Dossier.objects.select_for_update().select_related("installer").get(pk=dossier.pk)
            if locked.status != DossierStatus.APPROVED:
                raise InvoiceError(
                    f"Dossier {locked.reference} : seul un dossier validé peut être facturé "
                    f"(statut actuel : {locked.get_status_display()})."
                )
            invoice = issue_invoice(locked, billable_operations(locked), user=user, issue_date=issue_date)
            transition(locked, DossierStatus.INVOICED, actor=None, metadata={"invoice": invoice.number}, request=request)
            announce_invoice(invoice, locked, user=user, request=request)
    except IntegrityError as exc:
        # The one-open-invoice-per-dossier constraint: someone invoiced it at the same time.
        raise InvoiceError(f"Dossier {dossier.reference} : une facture existe déjà.") from exc
    for field in ("status", "updated_at"):
        setattr(dossier, field, getattr(locked, field))
    return invoice


@dataclass
class BatchResult:
    created: list[Invoice]
    refused: list[tuple[Dossier, str]]


def create_invoices_for_dossiers(dossiers: Iterable[Dossier], *, user, issue_date=None, request=None) -> BatchResult:
    """Invoice each dossier in its own transaction; a refusal does not stop the others.

    Returns the invoices created and, for each refused dossier, the reason.
    Raises ``PermissionDenied`` up front when ``user`` may not add invoices.
    """
    require_billing_permission(user, "add_invoice")
    result = BatchResult(created=[], refused=[])
    for dossier in dossiers:
        try:
            result.created.append(
                create_invoice_for_dossier(dossier, user=user, issue_date=issue_date, check_permission=False, request=request)
            )
        except BillingError as exc:
            result.refused.append((dossier, str(exc)))
    return result


def on_dossier_approved(dossier: Dossier, user=None, request=None) -> Invoice | None:
    """Called by the approval service after a dossier is approved.

    When ``CEE_AUTO_INVOICE_ON_APPROVAL`` is true, invoices the dossier at once (as the
    system, on behalf of the approver ``user``); otherwise does nothing. A billing refusal
    (no price list, …) never undoes the approval: it is logged and None is returned.
    """
    if not conf.auto_invoice_on_approval():
        return None
    try:
        with transaction.atomic():
            return create_invoice_for_dossier(dossier, user=user, check_permission=False, request=request)
    except BillingError as exc:
        log_activity(
            "auto_invoice_refused", actor=user, target=dossier, description=str(exc), metadata={"reason": str(exc)},
            request=request,
        )
        return None


def return_to_approved(sender, invoice: Invoice, credit_note: Invoice, dossier: Dossier, reason: str, request=None,
                       **kwargs) -> None:
    """Receiver of ``billing.signals.invoice_cancelled``: an invoiced dossier goes back to
    ``approved`` (it can be invoiced again)."""
    if dossier.status == DossierStatus.INVOICED:
        transition(dossier, DossierStatus.APPROVED, actor=None, reason=reason,
                   metadata={"credit_note": credit_note.number, "invoice": invoice.number}, request=request)


def mark_paid(sender, payment, invoice: Invoice, dossier: Dossier, request=None, **kwargs) -> None:
    """Receiver of ``billing.signals.payment_received``: once the invoice is paid, its
    dossier moves ``invoiced → paid``."""
    if invoice.status == Invoice.Status.PAID and dossier.status == DossierStatus.INVOICED:
        transition(dossier, DossierStatus.PAID, actor=None, metadata={"invoice": invoice.number}, request=request)
