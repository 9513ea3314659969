from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ExtractionConfig(AppConfig):
    name = "extraction"
    verbose_name = "Extraction"

    def ready(self):
        from . import checks  # noqa: F401  (registers the OCR system checks)
        from .schedules import ensure_schedules

        post_migrate.connect(ensure_schedules, sender=self, dispatch_uid="extraction.ensure_schedules")
