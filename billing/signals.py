"""Events billing announces; the apps above it (dossiers: webhooks) connect to them.

Both are sent inside the transaction that writes the invoice or the payment.
"""
from django.dispatch import Signal

# sender=Invoice, invoice=<the new invoice>, dossier=<its dossier>
invoice_issued = Signal()
# sender=Payment, payment=<the new payment>, invoice=<its invoice, amounts updated>, dossier=<the invoice's dossier>
payment_received = Signal()
