from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes et installateurs"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401

        # New models bring new permissions: keep the role groups complete after each migrate.
        post_migrate.connect(_sync_role_groups, sender=self)


def _sync_role_groups(sender, apps=None, **kwargs):
    from .roles import sync_role_groups

    sync_role_groups()
