"""The global search (dossiers.global_search) on the database the suite runs on — PostgreSQL full text
or the SQLite fallback — its admin page, its command and the review queue's hint."""
from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from accounts.models import Installer
from documents.models import Document, DocumentSearchVector, DocumentStatus
from dossiers.backoffice.demo.accounts import DEMO_COMPANIES
from dossiers.global_search import CONFIG, global_search
from dossiers.models import DossierStatus as S
from tests.factories import DocumentFactory, DossierFactory, InstallerFactory, make_siret

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_installer():
    fields = {k: v for k, v in DEMO_COMPANIES[0].items() if k != "qualifications"}
    return Installer.objects.create(siret=make_siret(424242), **fields)


def titles(hits) -> list[str]:
    return [hit.title for hit in hits]


def test_the_command_finds_the_demo_installer_with_words_from_several_fields(demo_installer):
    InstallerFactory(name="Énergie Rhône Services", city="Valence")  # two words of three: not a match
    out = StringIO()
    call_command("search", "renov energie rhone", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert body["query"] == "renov energie rhone"
    assert [(h["kind"], h["title"]) for h in body["installers"]] == [("installer", "Rénov'Énergie Rhône SARL")]
    assert body["installers"][0]["url"] == f"/admin/accounts/installer/{demo_installer.pk}/change/"
    # All words must match, but each in any field: the name, then the city.
    assert titles(global_search("renov lyon").installers) == ["Rénov'Énergie Rhône SARL"]
    assert global_search("renov marseille").installers == []


def test_accents_and_case_do_not_matter():
    dossier = DossierFactory(beneficiary_name="Hélène Lefèvre", beneficiary_city="Villeurbanne", works_city="Villeurbanne")
    for query in ("helene lefevre", "HÉLÈNE", "LEFEVRE villeurbanne", "lefèvre"):
        assert [h.id for h in global_search(query).dossiers] == [dossier.pk], query
    assert global_search("lefevre marseille").dossiers == []


def test_a_match_on_the_name_ranks_above_a_match_in_the_address():
    by_address = DossierFactory(beneficiary_name="Paul Martin", beneficiary_address="12 rue Chauvin", works_address="12 rue Chauvin")
    by_name = DossierFactory(beneficiary_name="Marie Chauvin")
    hits = global_search("chauvin").dossiers
    assert [h.id for h in hits] == [by_name.pk, by_address.pk]
    assert hits[0].rank > hits[1].rank
    assert hits[0].url == reverse("admin:dossiers_dossier_review", args=[by_name.pk])
    if connection.vendor == "postgresql":  # the GIN index serves the search (the vectors agree with the migration)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            sql, params = _dossier_search_sql("chauvin")
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "dossier_fulltext_idx" in plan, plan


def _dossier_search_sql(word):
    from django.contrib.postgres.search import SearchQuery

    from dossiers.global_search import CONFIG, DOSSIER_FIELDS, search_vector
    from dossiers.models import Dossier

    query = Dossier.objects.alias(m=search_vector(DOSSIER_FIELDS)).filter(
        m=SearchQuery(f"{word}:*", search_type="raw", config=CONFIG)).values("pk").query
    return query.sql_with_params()


def test_a_word_may_be_the_start_of_a_word_and_a_reference_is_found():
    dossier = DossierFactory(beneficiary_name="Jean Chauvin", reference="CEE-2026-000123")
    assert [h.id for h in global_search("chauv").dossiers] == [dossier.pk]
    assert [h.id for h in global_search("CEE-2026-000123").dossiers] == [dossier.pk]


def test_an_installer_is_found_by_siret_with_or_without_spaces(demo_installer):
    siret = demo_installer.siret
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    for query in (siret, spaced, siret[:9]):
        assert [h.id for h in global_search(query).installers] == [demo_installer.pk], query


def test_documents_are_found_by_their_text_and_link_to_their_dossier():
    document = DocumentFactory(text="Devis n° 42 — Pompe à chaleur air/eau Alféa Excellia, puissance 11 kW, "
                                    "installée au 5 chemin des Écoliers.")
    DocumentFactory(text="Facture d'isolation des combles perdus.")
    [hit] = global_search("alfea EXCELLIA").documents
    assert hit.id == document.pk and document.dossier.reference in hit.subtitle
    assert hit.url.endswith(f"#document-{document.pk}") and f"/{document.dossier_id}/" in hit.url
    assert "<mark>" in hit.snippet and "Excellia" in hit.snippet
    assert global_search("ecoliers pompe").documents[0].id == document.pk
    assert global_search("alfea combles").documents == []


def test_a_document_is_found_by_its_new_text_and_its_vector_is_computed_only_when_the_text_changes():
    document = DocumentFactory(text="Attestation sur l'honneur, isolation des combles.")
    assert [h.id for h in global_search("combles").documents] == [document.pk]
    initial = _search_row_version(document)
    document.status = DocumentStatus.PROCESSED
    document.save(update_fields=["status"])
    document.save()  # every column written, the text unchanged
    after_status = _search_row_version(document)
    document.text = "Facture : pompe à chaleur Alféa Excellia, chemin des Écoliers."
    document.save(update_fields=["text"])
    assert [h.id for h in global_search("ecoliers").documents] == [document.pk]
    assert global_search("combles").documents == []
    if connection.vendor == "postgresql":  # SQLite keeps no vector: it folds the text in Python
        assert after_status == initial  # the status updates left the vector alone
        assert _search_row_version(document) != initial  # the new text rewrote it
        with connection.cursor() as cursor:  # the GIN index on the stored vectors serves the search
            # Neither a table scan nor a walk of the primary key (which the planner may prefer on the
            # test's few rows, joined from the documents): only the GIN index can apply the match.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            tsquery = SearchQuery("ecoliers:*", search_type="raw", config=CONFIG)
            sql, params = (DocumentSearchVector.objects.filter(vector=tsquery).values("document_id")
                           .query.sql_with_params())
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "document_search_vector_idx" in plan, plan


def _search_row_version(document):
    """Where the document's vector row lies (its ctid, which any rewrite of the row moves)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT ctid::text FROM documents_documentsearchvector WHERE document_id = %s", [document.pk])
        return cursor.fetchone()[0]


def test_validators_search_everything_installers_cannot(client, validator, installer_user, administrator):
    dossier = DossierFactory(beneficiary_name="Odile Chauvin", status=S.APPROVED)
    for user in (validator, administrator):
        client.force_login(user)
        page = client.get("/admin/recherche/", {"q": "chauvin"})
        assert page.status_code == 200
        text = page.content.decode()
        assert dossier.reference in text and "1</strong> résultat" in text
        assert 'id="global-search-header"' in client.get("/admin/").content.decode()
    with pytest.raises(PermissionDenied):
        global_search("chauvin", user=installer_user)
    client.force_login(installer_user)
    assert client.get("/admin/recherche/", {"q": "chauvin"}).status_code in (302, 403)
    client.logout()
    assert client.get("/admin/recherche/", {"q": "chauvin"}).status_code == 302


def test_the_queue_says_when_its_filter_hides_matches(client, validator):
    louis = DossierFactory(beneficiary_name="Louis CHAUVIN", status=S.APPROVED)
    DossierFactory(beneficiary_name="Anne Chauvin", status=S.PAID)
    DossierFactory(beneficiary_name="Marc Chauvin", status=S.READY_FOR_REVIEW)
    client.force_login(validator)
    page = client.get("/admin/dossiers/dossier/", {"q": "CHAUVIN"}).content.decode()
    assert "Marc Chauvin" in page and "Louis CHAUVIN" not in page
    assert "2 résultats dans d&#x27;autres statuts" in page or "2 résultats dans d'autres statuts" in page
    assert "statut=tous" in page and "voir tous" in page
    everything = client.get("/admin/dossiers/dossier/", {"q": "CHAUVIN", "statut": "tous"}).content.decode()
    assert "Louis CHAUVIN" in everything and "autres statuts" not in everything
    assert "autres statuts" not in client.get("/admin/dossiers/dossier/", {"q": "Marc"}).content.decode()
    # The other filters still apply: with Louis's installer only, one dossier is hidden.
    one_installer = client.get("/admin/dossiers/dossier/", {"q": "chauvin", "installateur": louis.installer_id})
    text = one_installer.content.decode()
    assert "1 résultat dans d" in text and f"installateur={louis.installer_id}" in text
    approved = client.get("/admin/dossiers/dossier/", {"q": "chauvin", "statut": "approved"}).content.decode()
    assert "Louis CHAUVIN" in approved and "2 résultats dans d" in approved
