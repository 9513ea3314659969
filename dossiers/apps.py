from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Dossiers et opérations"

    def ready(self):
        from . import search  # noqa: F401 - registers cee_unaccent on SQLite connections
