"""The product speaks French whatever the browser asks: Django's own admin strings come from
its French catalogue, and no model field shows its English attribute name as a label."""
from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}

# Attribute names that are already the French word (the label Django derives is French).
FRENCH_ATTRIBUTE_NAMES = {
    "id", "code", "description", "version", "coup_de_pouce", "target", "date", "zone", "page", "image", "message", "expression",
    "coefficient", "notes", "relation", "precision", "dossier", "document", "url", "secret", "label", "port",
}
PROJECT_APPS = ("accounts", "dossiers", "documents", "extraction", "rules", "billing")


@pytest.mark.django_db
def test_the_admin_is_french_with_an_english_browser(client, administrator):
    client.force_login(administrator)
    index = client.get(reverse("admin:index"), **ENGLISH_BROWSER).content.decode()
    for french in ("Bienvenue", "Voir le site", "Actions récentes", "Déconnexion", "Modifier le mot de passe"):
        assert french in index, french
    for english in ("Welcome", "View site", "Recent actions", "Log out", "Change password"):
        assert english not in index, english

    queue = client.get(reverse("admin:dossiers_dossier_changelist"), **ENGLISH_BROWSER).content.decode()
    for french in ("Filtre", "Par statut", "Rechercher"):
        assert french in queue, french
    for english in (">Filter<", "By statut", 'value="Search"', "Run the selected action"):
        assert english not in queue, english


def test_every_field_of_the_project_has_a_french_label():
    english = []
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.get_fields():
                if not getattr(field, "concrete", False) and not field.many_to_many:
                    continue
                if field.auto_created and not field.concrete:
                    continue
                if field.name in FRENCH_ATTRIBUTE_NAMES:
                    continue
                if str(field.verbose_name) == field.name.replace("_", " "):
                    english.append(f"{model._meta.label}.{field.name}")
    assert english == []


def test_every_verb_the_code_logs_has_a_french_label():
    """The activity log shows ActivityVerb's labels: a verb logged without one would show a code."""
    import re
    from pathlib import Path

    from accounts.models import ActivityVerb

    root = Path(__file__).resolve().parents[2]
    logged = set()
    for app in PROJECT_APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            logged |= set(re.findall(r'log_activity\(\s*"([a-z_.]+)"', text))
            logged |= set(re.findall(r'verb="([a-z_.]+)"', text))
    assert logged, "no verb found: the scan is broken"
    assert sorted(logged - set(ActivityVerb.values)) == []


def test_durations_are_written_the_french_way():
    from cee.formats import format_duration

    assert format_duration(10968971) == "126\u00a0j 22\u00a0h"
    assert format_duration(3 * 3600 + 12 * 60 + 5) == "3\u00a0h 12\u00a0min"
    assert format_duration(7200) == "2\u00a0h"
    assert format_duration(600) == "10\u00a0min"
    assert format_duration(42) == "42\u00a0s"
    assert format_duration(None) == "—"


@pytest.mark.django_db
def test_permissions_are_named_in_french_on_the_group_page(client, administrator):
    from django.contrib.auth.models import Group, Permission

    assert Permission.objects.get(codename="view_dossier").name == "Peut voir dossier"
    assert Permission.objects.get(codename="change_historicaldossier").name == "Peut modifier historique : dossier"
    assert not Permission.objects.filter(name__startswith="Can ").exists()
    client.force_login(administrator)
    group = Group.objects.order_by("pk").first()
    html = client.get(reverse("admin:auth_group_change", args=[group.pk]), **ENGLISH_BROWSER).content.decode()
    assert "Peut voir dossier" in html
    assert "Can view" not in html and "Can change" not in html
