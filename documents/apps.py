from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "Documents"

    def ready(self):
        from . import signals  # noqa: F401  (stored files are deleted with their rows)
