"""The dossier app on top: the reactions to the lower apps' signals are wired here, in one place."""
from django.apps import AppConfig
from django.db.models.signals import post_migrate

from billing.signals import invoice_cancelled, invoice_issued, payment_received
from extraction.signals import field_corrected
from rules.signals import override_changed


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Dossiers et opérations"

    def ready(self):
        # The app's own modules import its models: loaded once the registry is ready.
        from . import search  # noqa: F401 - registers cee_unaccent on SQLite connections
        from .backoffice.rule_studio import register_rule_admin
        from .routine.schedules import ensure_schedules
        from .webhooks.events import record_invoice_issued, record_payment_received
        from .workflow.invoicing import mark_paid, return_to_approved
        from .workflow.receivers import rerun_rules_for_corrected_field
        from .workflow.rules_run import recount_failed_rules

        invoice_issued.connect(record_invoice_issued, dispatch_uid="dossiers.webhooks.invoice_issued")
        invoice_cancelled.connect(return_to_approved, dispatch_uid="dossiers.workflow.return_to_approved")
        # In this order: the payment's webhook event, then the move to paid (and its status event).
        payment_received.connect(record_payment_received, dispatch_uid="dossiers.webhooks.payment_received")
        payment_received.connect(mark_paid, dispatch_uid="dossiers.workflow.mark_paid")
        override_changed.connect(recount_failed_rules, dispatch_uid="dossiers.workflow.recount_failed_rules")
        field_corrected.connect(rerun_rules_for_corrected_field, dispatch_uid="dossiers.workflow.field_corrected")
        register_rule_admin()
        post_migrate.connect(ensure_schedules, sender=self, dispatch_uid="dossiers.routine.ensure_schedules")
