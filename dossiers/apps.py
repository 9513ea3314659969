from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Dossiers et opérations"

    def ready(self):
        from billing.signals import invoice_issued, payment_received

        from . import search  # noqa: F401 - registers cee_unaccent on SQLite connections
        from .routine.schedules import ensure_schedules
        from .webhooks.events import record_invoice_issued, record_payment_received

        invoice_issued.connect(record_invoice_issued, dispatch_uid="dossiers.webhooks.invoice_issued")
        payment_received.connect(record_payment_received, dispatch_uid="dossiers.webhooks.payment_received")
        post_migrate.connect(ensure_schedules, sender=self, dispatch_uid="dossiers.routine.ensure_schedules")
