"""seed_demo: demo accounts with working printed passwords, dossiers in every status with their
rows, idempotent when run again."""
from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from accounts.models import Activity, Installer, Role, User
from documents.models import Document
from dossiers.backoffice.demo.accounts import DEMO_ACCOUNTS, demo_dossiers
from dossiers.backoffice.demo.facts import CITIES
from dossiers.backoffice.demo.plan import DEMO_DOCUMENT_FLAG
from dossiers.models import DossierStatus, Timeline
from extraction.models import ExtractedField, FieldSchema

pytestmark = pytest.mark.django_db


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_default_seed_has_every_status_and_the_rows_under_each_dossier():
    output = seed()

    dossiers = demo_dossiers()
    assert dossiers.count() == 40
    assert set(dossiers.values_list("status", flat=True)) == set(DossierStatus.values)
    assert Timeline.objects.filter(dossier__in=dossiers).count() == 40
    assert not dossiers.filter(operations__isnull=True).exists()
    assert "demo-admin-2026" in output


def test_seeded_documents_have_no_file_and_are_flagged_so_nothing_processes_them():
    seed()
    documents = Document.objects.filter(dossier__in=demo_dossiers())
    assert documents.exists()
    assert not documents.exclude(file="").exists()
    assert not documents.exclude(status="processed").exists()
    assert all(DEMO_DOCUMENT_FLAG in flags for flags in documents.values_list("flags", flat=True))


def test_processed_dossiers_have_extracted_fields_for_the_schemas_of_their_documents():
    seed()
    reviewed = demo_dossiers().filter(status=DossierStatus.READY_FOR_REVIEW).first()
    document = reviewed.documents.get(document_type__code="facture")
    expected = set(FieldSchema.objects.filter(document_type__code="facture", is_active=True).values_list("name", flat=True))
    found = set(ExtractedField.objects.filter(document=document).values_list("schema__name", flat=True))
    assert expected and found <= expected
    assert len(found) >= len(expected) - 3  # a few optional figures only exist for some fiches
    assert not ExtractedField.objects.filter(dossier__status=DossierStatus.DRAFT, dossier__in=demo_dossiers()).exists()
    assert reviewed.confidence_score is not None


def test_each_status_change_of_a_seeded_dossier_is_in_the_activity_log():
    seed()
    paid = demo_dossiers().filter(status=DossierStatus.PAID).first()
    moves = list(
        Activity.objects.filter(dossier=paid, verb="status_changed").order_by("created_at").values_list("metadata__to", flat=True)
    )
    assert moves == ["submitted", "processing", "ready_for_review", "in_review", "approved", "invoiced", "paid"]
    assert paid.invoices.get().payments.count() == 1


def test_running_twice_creates_no_duplicate_accounts_or_dossiers():
    seed()
    users, companies, dossiers = User.objects.count(), Installer.objects.count(), demo_dossiers().count()
    output = seed()
    assert (User.objects.count(), Installer.objects.count(), demo_dossiers().count()) == (users, companies, dossiers)
    assert "déjà présents" in output


def test_printed_demo_accounts_log_in_with_their_role():
    seed()
    for account in DEMO_ACCOUNTS:
        login = RequestFactory().post("/portail/connexion/")  # django-axes counts attempts per request
        user = authenticate(login, username=account.email, password=account.password)
        assert user is not None, account.email
        assert user.role == account.role
        assert user.is_staff == (account.role != Role.INSTALLER)
        assert (user.installer_id is not None) == (account.role == Role.INSTALLER)
    assert User.objects.get(email="admin@cee.local").is_superuser


def test_reset_replaces_the_demo_dossiers_and_more_installers_share_them():
    seed("--dossiers", "12")
    seed("--reset", "--dossiers", "30", "--installers", "5")
    dossiers = demo_dossiers()
    assert dossiers.count() == 30
    assert dossiers.values("installer").distinct().count() == 5
    assert len(set(dossiers.values_list("reference", flat=True))) == 30


def test_demo_addresses_cover_the_three_climate_zones_and_corsica():
    from rules.zones import climate_zone, departement_of

    zones = {climate_zone(postal_code) for postal_code, _city in CITIES}
    departements = {departement_of(postal_code) for postal_code, _city in CITIES}
    assert zones == {"H1", "H2", "H3"}
    assert {"2A", "2B"} <= departements


def _constraints_and_indexes(tables):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) "
            "UNION ALL SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = ANY(%s::regclass[])",
            [tables, tables],
        )
        return sorted(row[0] for row in cursor.fetchall())


def test_a_large_seed_on_postgresql_sets_indexes_aside_and_puts_every_one_back(monkeypatch, db):
    from django.db import connection

    from dossiers.backoffice.demo import seeder

    if connection.vendor != "postgresql":
        pytest.skip("the bulk-load path is PostgreSQL's")
    tables = [model._meta.db_table for model in seeder.BULK_MODELS]
    before = _constraints_and_indexes(tables)
    monkeypatch.setattr(seeder, "BULK_LOAD_THRESHOLD", 10)

    output = seed("--dossiers", "30")

    assert "clés étrangères reconstruits et vérifiés" in output
    assert _constraints_and_indexes(tables) == before
    assert demo_dossiers().count() == 30
    field = ExtractedField.objects.filter(dossier__in=demo_dossiers(), status="confirmed").select_related("document").first()
    assert field.document.dossier_id == field.dossier_id and field.bbox and field.created_at and field.confirmed_at


def test_rows_that_break_a_foreign_key_while_indexes_are_aside_roll_everything_back(db):
    from django.db import IntegrityError, connection, transaction

    from dossiers.backoffice.bulk_load import indexes_set_aside, insert_rows
    from dossiers.backoffice.demo.plan import TIMELINE_COLUMNS
    from dossiers.backoffice.demo.seeder import BULK_MODELS

    if connection.vendor != "postgresql":
        pytest.skip("the bulk-load path is PostgreSQL's")
    tables = [model._meta.db_table for model in BULK_MODELS]
    before = _constraints_and_indexes(tables)
    with pytest.raises(IntegrityError):
        with transaction.atomic(), indexes_set_aside(BULK_MODELS, log=lambda *_: None):
            insert_rows(Timeline, TIMELINE_COLUMNS, [(987654321, None, None, None, None, None)])
    assert _constraints_and_indexes(tables) == before
    assert not Timeline.objects.filter(dossier_id=987654321).exists()


def test_copy_lines_escape_what_postgresql_would_misread():
    import datetime

    from django.utils import timezone

    from dossiers.backoffice.demo.plan import FIELD_COLUMNS, field_copy_line

    at = timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 30))
    row = (1, 2, 3, "a\tb\\c", "raw\nline", "0.950", "confirmed", "", "", 1, "[0.1, 0.2]", "text_layer", "demo",
           None, None, None, None, at, at)
    assert len(row) == len(FIELD_COLUMNS)
    line = field_copy_line(row)
    assert line.split("\t") == ["1", "2", "3", "a\\tb\\\\c", "raw\\nline", "0.950", "confirmed", "", "", "1",
                                "[0.1, 0.2]", "text_layer", "demo", "\\N", "\\N", "\\N", "\\N", at.isoformat(), at.isoformat()]
