"""Events the rules app announces; the dossier app (above it) connects to them in its ready().

Sent inside the transaction that makes the change.
"""
from django.dispatch import Signal

# sender=RuleResult, result=<the result whose override was set or withdrawn>, dossier=<its dossier>
override_changed = Signal()
