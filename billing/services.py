"""Writes on billing: invoices (gap-free numbers), credit notes, payments.

Billing does not move the dossier: invoicing an approved dossier is the dossier workflow's
(dossiers.workflow.invoicing, which calls ``issue_invoice`` and ``announce_invoice``); a
credit note and a payment announce themselves (``invoice_cancelled``, ``payment_received``)
and the dossier app moves the dossier back to ``approved`` or on to ``paid``.

Money is ``Decimal`` end to end, never float. How an invoice is computed, exactly:

1. One line per operation of the dossier that is not ``invalid`` (in ``DossierOperation`` pk order;
   the caller passes them).
2. Line kWh cumac = ``DossierOperation.kwh_cumac × DossierOperation.coefficient``, rounded
   half-up (``ROUND_HALF_UP``) to 0.01 kWh.
3. Line price = ``billing.pricing.price_for(...)`` for the line's fiche, the dossier's installer,
   the engagement date (``Timeline.date_signature``) and the dossier's precarity status.
4. Line amount = ``line kWh / 1000 × price``, rounded half-up to the cent.
5. Invoice kWh cumac = sum of the line kWh. It must agree, within 0.01 kWh (rounding), with
   ``Dossier.total_kwh_cumac``, the coefficient-weighted total the rules computed; otherwise
   the dossier is not billed (its figures changed since the rules ran: run them again);
   invoice total = sum of the line amounts (already in cents, so no further rounding).
6. Amount due on validation = sum over lines of ``line amount × share / 100`` rounded half-up
   to the cent (``share`` = the line's price list ``share_on_validation_percent``); amount due
   on EMMY registration = total − amount due on validation, so the two always add up.
7. Invoice unit price = the lines' price when they share one (the usual case); otherwise the
   effective average ``total / (kWh / 1000)`` rounded half-up to 0.001 €/MWhc, for display.

Worked check (CEE-DOMAIN.md): 109 080 kWh cumac × 5 = 545 400 kWh → 545.4 MWhc × 7.8 € = 4 254.12 €.
"""
from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.activity import log_activity

from . import conf
from .models import Invoice, InvoiceLine, InvoiceSequence, Payment, PriceList
from .pricing import PriceNotFound, price_for
from .signals import invoice_cancelled, invoice_issued, payment_received

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
MILLI = Decimal("0.001")
THOUSAND = Decimal("1000")
HUNDRED = Decimal("100")
KWH_TOLERANCE = Decimal("0.01")


class BillingError(Exception):
    """A billing operation was refused; the message is French and meant for the user."""


class InvoiceError(BillingError):
    pass


class PaymentError(BillingError):
    pass


def round_cents(value: Decimal) -> Decimal:
    """Round half-up to the cent (0.005 → 0.01)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def round_hundredths(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- Numbering --------------------------------------------------------------------------

def format_invoice_number(year: int, number: int) -> str:
    """``FAC-2026-000001``: invoices and credit notes share one sequence per year."""
    return f"{conf.invoice_number_prefix()}-{year}-{number:06d}"


def reserve_invoice_number(year: int) -> int:
    """Take the next number of ``year``'s sequence.

    Must run inside the transaction that inserts the invoice: the sequence row stays locked
    (``SELECT … FOR UPDATE``) until that transaction ends, so a rollback gives the number
    back and concurrent creators wait their turn. Numbers are therefore gap-free and unique.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("reserve_invoice_number must run inside a transaction")
    # Create the year's row if needed; a concurrent creator makes this a no-op.
    InvoiceSequence.objects.bulk_create([InvoiceSequence(year=year, last_number=0)], ignore_conflicts=True)
    sequence = InvoiceSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


# --- Computing an invoice ---------------------------------------------------------------

@dataclass(frozen=True)
class LineDraft:
    dossier_operation: Any  # a dossiers.DossierOperation
    operation_code: str
    label: str
    base_kwh_cumac: Decimal
    coefficient: Decimal
    kwh_cumac: Decimal
    price_list: PriceList
    unit_price: Decimal
    share_on_validation_percent: Decimal
    amount_eur: Decimal

    @property
    def amount_on_validation(self) -> Decimal:
        return round_cents(self.amount_eur * self.share_on_validation_percent / HUNDRED)


@dataclass(frozen=True)
class InvoiceDraft:
    lines: list[LineDraft]
    kwh_cumac: Decimal
    unit_price: Decimal
    total_eur: Decimal
    amount_on_validation: Decimal
    amount_on_registration: Decimal


def compute_invoice(dossier, operations) -> InvoiceDraft:
    """Compute the lines and totals of ``dossier``'s invoice (see the module docstring).

    Takes the dossier and its billable operations (an iterable of DossierOperation with their
    fiche, in pk order: read after the engagement date is checked). Reads only; raises
    ``InvoiceError`` when the engagement date is missing, no operation is billable, no price
    list applies, or the operations do not add up to the dossier's total.
    """
    timeline = getattr(dossier, "timeline", None)
    engagement = timeline.date_signature if timeline else None
    if engagement is None:
        raise InvoiceError(f"Dossier {dossier.reference} : la date d'engagement (signature du devis) manque.")
    operations = list(operations)
    if not operations:
        raise InvoiceError(f"Dossier {dossier.reference} : aucune opération facturable.")
    lines = []
    for dossier_operation in operations:
        code = dossier_operation.operation.code
        weighted = round_hundredths(dossier_operation.kwh_cumac * dossier_operation.coefficient)
        try:
            price_list, price = price_for(
                operation_code=code, installer=dossier.installer_id, date=engagement,
                precarity_status=dossier.precarity_status,
            )
        except PriceNotFound as exc:
            raise InvoiceError(f"Dossier {dossier.reference} : {exc}") from exc
        lines.append(
            LineDraft(
                dossier_operation=dossier_operation,
                operation_code=code,
                label=dossier_operation.operation.name[:255],
                base_kwh_cumac=dossier_operation.kwh_cumac,
                coefficient=dossier_operation.coefficient,
                kwh_cumac=weighted,
                price_list=price_list,
                unit_price=price,
                share_on_validation_percent=price_list.share_on_validation_percent,
                amount_eur=round_cents(weighted / THOUSAND * price),
            )
        )
    kwh = sum((line.kwh_cumac for line in lines), Decimal("0"))
    # The rules engine rounds the dossier total once (sum, then 0.01); the lines are rounded
    # one by one: with fractional coefficients the two may differ by a hundredth of a kWh.
    if abs(kwh - dossier.total_kwh_cumac) > KWH_TOLERANCE:
        raise InvoiceError(
            f"Dossier {dossier.reference} : le total kWh cumac du dossier ({dossier.total_kwh_cumac}) ne "
            f"correspond pas à la somme pondérée de ses opérations ({kwh}). Relancez le calcul cumac."
        )
    if kwh <= 0:
        raise InvoiceError(f"Dossier {dossier.reference} : aucun kWh cumac à facturer.")
    total = sum((line.amount_eur for line in lines), Decimal("0"))
    on_validation = sum((line.amount_on_validation for line in lines), Decimal("0"))
    prices = {line.unit_price for line in lines}
    unit_price = prices.pop() if len(prices) == 1 else (total / (kwh / THOUSAND)).quantize(MILLI, rounding=ROUND_HALF_UP)
    return InvoiceDraft(
        lines=lines, kwh_cumac=kwh, unit_price=unit_price, total_eur=total,
        amount_on_validation=on_validation, amount_on_registration=total - on_validation,
    )


# --- Invoices ---------------------------------------------------------------------------

def require_billing_permission(user, codename: str) -> None:
    """Raises ``PermissionDenied`` when ``user`` (None: the system) lacks ``billing.<codename>``."""
    if user is not None and not user.has_perm(f"billing.{codename}"):
        raise PermissionDenied("Vous n'avez pas le droit de facturer.")


def _render_pdf_after_commit(invoice_pk: int) -> None:
    """Queue the PDF once the invoice is committed (a failure is logged, never undoes the
    invoice: the download view renders a missing PDF on demand)."""
    def enqueue():
        from .tasks import enqueue_invoice_pdf

        enqueue_invoice_pdf(invoice_pk)

    transaction.on_commit(enqueue, robust=True)


def issue_invoice(dossier, operations, *, user, issue_date: datetime.date) -> Invoice:
    """Write the invoice of ``dossier`` and its lines.

    Takes the dossier (locked and checked billable by the caller, inside its transaction), its
    billable operations (see ``compute_invoice``), the user who asks (None: the system) and
    the issue date. Computes the lines, takes the next gap-free number of the issue year and
    inserts the invoice and its lines. Raises ``InvoiceError`` (nothing to bill, no price, an
    invalid invoice); ``IntegrityError`` when the dossier already has an open invoice.
    """
    draft = compute_invoice(dossier, operations)
    year = issue_date.year
    number = reserve_invoice_number(year)
    invoice = Invoice(
        number=format_invoice_number(year, number),
        year=year,
        sequence=number,
        kind=Invoice.Kind.INVOICE,
        dossier=dossier,
        installer=dossier.installer,
        kwh_cumac=draft.kwh_cumac,
        unit_price=draft.unit_price,
        total_eur=draft.total_eur,
        amount_on_validation=draft.amount_on_validation,
        amount_on_registration=draft.amount_on_registration,
        issue_date=issue_date,
        due_date=issue_date + datetime.timedelta(days=conf.invoice_due_days()),
        status=Invoice.Status.ISSUED,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    try:
        invoice.full_clean(exclude=["pdf"])
    except ValidationError as exc:
        raise InvoiceError(f"Dossier {dossier.reference} : facture invalide ({'; '.join(exc.messages)}).") from exc
    invoice.save()
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=position,
            dossier_operation=line.dossier_operation,
            operation_code=line.operation_code,
            label=line.label,
            base_kwh_cumac=line.base_kwh_cumac,
            coefficient=line.coefficient,
            kwh_cumac=line.kwh_cumac,
            price_list=line.price_list,
            unit_price=line.unit_price,
            share_on_validation_percent=line.share_on_validation_percent,
            amount_eur=line.amount_eur,
        )
        for position, line in enumerate(draft.lines, start=1)
    )
    return invoice


def announce_invoice(invoice: Invoice, dossier, *, user, request=None) -> None:
    """After the dossier moved to ``invoiced``: sends ``invoice_issued``, logs
    ``invoice_created`` and queues the PDF for rendering after commit."""
    invoice_issued.send(sender=Invoice, invoice=invoice, dossier=dossier)
    log_activity(
        "invoice_created", actor=user, target=invoice, dossier=dossier,
        description=f"Facture {invoice.number} : {invoice.total_eur} €",
        metadata={"number": invoice.number, "total_eur": str(invoice.total_eur), "kwh_cumac": str(invoice.kwh_cumac)},
        request=request,
    )
    _render_pdf_after_commit(invoice.pk)


def cancel_invoice(invoice: Invoice, *, user, reason: str, issue_date: datetime.date | None = None, request=None) -> Invoice:
    """Cancel an invoice with a credit note (avoir); nothing is ever deleted.

    The credit note takes the next number of the same sequence, mirrors the invoice with
    negative amounts and lines, and points to it (``credit_note_for``); the invoice becomes
    ``cancelled`` and ``invoice_cancelled`` is sent (the dossier app returns the dossier to
    ``approved`` so that it can be invoiced again).
    Raises ``InvoiceError`` for a credit note, an already cancelled invoice, an invoice with
    payments recorded, or a missing reason; ``PermissionDenied`` without the right.
    """
    require_billing_permission(user, "change_invoice")
    if not (reason or "").strip():
        raise InvoiceError("Un motif est obligatoire pour annuler une facture.")
    issue_date = issue_date or timezone.localdate()
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.kind != Invoice.Kind.INVOICE:
            raise InvoiceError(f"{locked.number} est un avoir : il ne s'annule pas.")
        if locked.status == Invoice.Status.CANCELLED:
            raise InvoiceError(f"La facture {locked.number} est déjà annulée.")
        if locked.amount_paid > 0:
            raise InvoiceError(
                f"La facture {locked.number} a déjà reçu {locked.amount_paid} € de paiements : "
                "elle ne peut pas être annulée."
            )
        year = issue_date.year
        number = reserve_invoice_number(year)
        credit_note = Invoice.objects.create(
            number=format_invoice_number(year, number),
            year=year,
            sequence=number,
            kind=Invoice.Kind.CREDIT_NOTE,
            dossier_id=locked.dossier_id,
            installer_id=locked.installer_id,
            credit_note_for=locked,
            kwh_cumac=-locked.kwh_cumac,
            unit_price=locked.unit_price,
            total_eur=-locked.total_eur,
            amount_on_validation=-locked.amount_on_validation,
            amount_on_registration=-locked.amount_on_registration,
            issue_date=issue_date,
            due_date=issue_date,
            status=Invoice.Status.ISSUED,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=credit_note,
                position=line.position,
                dossier_operation_id=line.dossier_operation_id,
                operation_code=line.operation_code,
                label=line.label,
                base_kwh_cumac=-line.base_kwh_cumac,
                coefficient=line.coefficient,
                kwh_cumac=-line.kwh_cumac,
                price_list_id=line.price_list_id,
                unit_price=line.unit_price,
                share_on_validation_percent=line.share_on_validation_percent,
                amount_eur=-line.amount_eur,
            )
            for line in locked.lines.all()
        )
        locked.status = Invoice.Status.CANCELLED
        locked.save(update_fields=["status"])
        dossier = locked.dossier
        invoice_cancelled.send(sender=Invoice, invoice=locked, credit_note=credit_note, dossier=dossier, reason=reason,
                               request=request)
        log_activity(
            "invoice_cancelled", actor=user, target=locked, dossier=dossier,
            description=f"Facture {locked.number} annulée par l'avoir {credit_note.number} : {reason}",
            metadata={"invoice": locked.number, "credit_note": credit_note.number, "reason": reason},
            request=request,
        )
        _render_pdf_after_commit(credit_note.pk)
    invoice.status = locked.status
    return credit_note


# --- Payments ---------------------------------------------------------------------------

PAYABLE_STATUSES = frozenset({Invoice.Status.ISSUED, Invoice.Status.PARTIALLY_PAID})


def record_payment(
    invoice: Invoice, *, amount, date: datetime.date, method: str, reference: str = "", user,
    allow_overpayment: bool = False, request=None,
) -> Payment:
    """Record a payment received on an invoice; the invoice and dossier statuses follow.

    ``amount`` is a Decimal (or a string) with at most two decimals, strictly positive.
    The invoice becomes ``partially_paid`` or, once the payments reach its total, ``paid``;
    ``payment_received`` is sent (the dossier app moves a paid invoice's dossier
    ``invoiced → paid``). Paying more than what is left is refused
    unless ``allow_overpayment`` is true. Raises ``PaymentError`` (bad amount, cancelled
    invoice or credit note, overpayment), ``ValidationError`` (bad method or date),
    ``PermissionDenied`` without the right to add payments.
    """
    require_billing_permission(user, "add_payment")
    try:
        amount = Decimal(str(amount))
    except ArithmeticError as exc:
        raise PaymentError(f"Montant invalide : {amount!r}.") from exc
    if not amount.is_finite() or amount <= 0:
        raise PaymentError("Le montant d'un paiement doit être strictement positif.")
    if amount != amount.quantize(CENT):
        raise PaymentError(f"Le montant {amount} a plus de deux décimales : un paiement se compte au centime.")
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.kind != Invoice.Kind.INVOICE:
            raise PaymentError(f"{locked.number} est un avoir : il ne reçoit pas de paiement.")
        if locked.status not in PAYABLE_STATUSES and not (locked.status == Invoice.Status.PAID and allow_overpayment):
            raise PaymentError(f"La facture {locked.number} est « {locked.get_status_display()} » : aucun paiement possible.")
        remaining = locked.total_eur - locked.amount_paid
        if amount > remaining and not allow_overpayment:
            raise PaymentError(
                f"Le paiement de {amount} € dépasse le reste dû sur {locked.number} ({remaining} €). "
                "Cochez « trop-perçu accepté » pour l'enregistrer quand même."
            )
        payment = Payment(
            invoice=locked, amount=amount, date=date, method=method, reference=reference or "",
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        payment.full_clean()
        payment.save()
        locked.amount_paid += amount
        locked.status = Invoice.Status.PAID if locked.amount_paid >= locked.total_eur else Invoice.Status.PARTIALLY_PAID
        locked.save(update_fields=["amount_paid", "status"])
        dossier = locked.dossier
        payment_received.send(sender=Payment, payment=payment, invoice=locked, dossier=dossier, request=request)
        log_activity(
            "payment_recorded", actor=user, target=payment, dossier=dossier,
            description=f"Paiement de {amount} € sur {locked.number} ({payment.get_method_display()})",
            metadata={"invoice": locked.number, "amount": str(amount), "method": method, "reference": reference},
            request=request,
        )
    invoice.amount_paid, invoice.status = locked.amount_paid, locked.status
    return payment

