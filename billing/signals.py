"""Events billing announces; the apps above it (dossiers: the dossier's status, webhooks)
connect to them in DossiersConfig.ready().

All are sent inside the transaction that writes the invoice or the payment.
"""
from django.dispatch import Signal

# sender=Invoice, invoice=<the new invoice>, dossier=<its dossier, moved to invoiced>
invoice_issued = Signal()
# sender=Invoice, invoice=<the cancelled invoice>, credit_note=<the new credit note>, dossier=<its dossier>,
# reason=<why>, request=<the HTTP request or None>
invoice_cancelled = Signal()
# sender=Payment, payment=<the new payment>, invoice=<its invoice, amounts updated>, dossier=<the invoice's dossier>,
# request=<the HTTP request or None>
payment_received = Signal()
