"""Events extraction announces; the dossier workflow (``dossiers``) connects to them in its
``AppConfig.ready()``: extraction never calls the apps above it.

Sent inside the transaction that makes the change, so a receiver's writes commit or roll back
with it.
"""
from django.dispatch import Signal

# A validator's verdict changed the value the rules read from a field (corrected, marked wrong,
# or confirmed again after being marked wrong).
# sender=ExtractedField, field=<the field, saved>, changed_fields={"<type code>.<field name>"}, actor=<the user>
field_corrected = Signal()
