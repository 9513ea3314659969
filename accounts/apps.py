from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes et installateurs"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401

        # New models bring new permissions: keep the role groups complete after each migrate.
        post_migrate.connect(_sync_role_groups, sender=self)
        # After every app's migrate, once Django has created its « Can view … » permissions.
        post_migrate.connect(_french_permission_names, dispatch_uid="accounts_french_permission_names")


def _french_permission_names(sender, using="default", **kwargs):
    from .permission_names import name_permissions_in_french

    name_permissions_in_french(using=using)


def _sync_role_groups(sender, apps=None, **kwargs):
    from .roles import sync_role_groups

    sync_role_groups()
