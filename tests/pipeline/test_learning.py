"""Learning from verdicts: a layout's field positions and label phrases, used by the documents
ingested after them."""
from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extraction import feedback
from extraction.learning.fingerprint import MATCH_THRESHOLD, layout_features, similarity
from extraction.learning.services import document_pages
from extraction.models import (EngineConfig, ExtractedField, LayoutFingerprint, LearnedFieldLocation,
                               LearnedLabelPhrase)

pytestmark = pytest.mark.django_db


def positioned_pdf(items: list[tuple[float, float, str]]) -> bytes:
    """A born-digital A4 page with each text at (x, y) points from the top-left corner."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 11)
    for x, y, text in items:
        pdf.drawString(x, A4[1] - y, text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def letter_facture(number: str, name: str, street: str, city: str, ttc: str) -> bytes:
    """An invoice whose beneficiary is printed without any label: the name alone under the
    totals, the address in the page's header line."""
    return positioned_pdf([
        (60, 60, "ISOLATION CONFORT SARL"),
        (60, 76, "12 rue des Artisans 69007 Lyon - SIRET 732 829 320 00074"),
        (330, 520, name),
        (60, 160, f"Chantier : {street}, {city}"),
        (60, 230, f"FACTURE N° {number}"),
        (60, 248, "Date de facture : 12/05/2024"),
        (60, 290, "Pompe à chaleur air/eau - opération BAR-TH-171"),
        (60, 308, "Montant HT : 10 000,00 €"),
        (60, 326, f"Total TTC : {ttc} €"),
        (60, 700, "Conditions de règlement : à réception. Pénalités de retard au taux légal."),
    ])


def ingest(tmp_path, name: str, data: bytes) -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    call_command("ingest", str(path), "--json", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue().splitlines()[0])["documents"][0]


def value_of(document: dict, name: str):
    return (document["fields"].get(name) or {}).get("value")


def correct(document_id: int, name: str, value: str, user) -> None:
    field = ExtractedField.objects.select_related("schema", "document__document_type", "dossier").get(
        document_id=document_id, schema__name=name)
    feedback.correct_field(field, value, user)


def test_two_documents_of_one_template_share_a_fingerprint_and_another_template_does_not(tmp_path):
    first = ingest(tmp_path, "f1.pdf", letter_facture("F-1", "Ginette Guyot", "4 rue Haute", "03100 Montluçon", "10 550,00"))
    second = ingest(tmp_path, "f2.pdf", letter_facture("F-2", "Paul Martin", "18 avenue Foch", "75016 Paris", "9 120,00"))
    other = ingest(tmp_path, "devis.pdf", positioned_pdf([(60, 60, "DEVIS N° D-12"), (60, 80, "Date du devis : 01/03/2024"),
                                                          (60, 100, "Client : Paul Martin")]))
    features = [set(layout_features(document_pages_of(d))) for d in (first, second, other)]
    assert similarity(features[0], features[1]) > 0.6
    assert similarity(features[0], features[2]) < 0.2


def document_pages_of(summary: dict):
    from documents.models import Document

    return document_pages(Document.objects.get(pk=summary["id"]))


def test_a_correction_teaches_where_an_unlabelled_value_sits_on_the_layout(tmp_path, validator):
    first = ingest(tmp_path, "f1.pdf", letter_facture("F-1", "Ginette Guyot", "4 rue Haute", "03100 Montluçon", "10 550,00"))
    # The generic extractor has no label to follow to the recipient block.
    assert not value_of(first, "beneficiaire_nom") or "guyot" not in value_of(first, "beneficiaire_nom").lower()

    correct(first["id"], "beneficiaire_nom", "Ginette Guyot", validator)

    location = LearnedFieldLocation.objects.get(schema__name="beneficiaire_nom")
    assert (location.relation, location.page, location.count, location.absent) == ("none", 1, 1, False)
    # it had read another name, or none: only the first is a misreading of the layout
    corrections = location.corrections
    assert corrections == int(bool(value_of(first, "beneficiaire_nom")))
    assert LayoutFingerprint.objects.get().documents_learned == 1
    second = ingest(tmp_path, "f2.pdf", letter_facture("F-2", "Paul Martin", "18 avenue Foch", "75016 Paris", "9 120,00"))
    assert value_of(second, "beneficiaire_nom") == "Paul Martin"
    assert 0.7 <= second["fields"]["beneficiaire_nom"]["confidence"] < 0.9

    # The same value confirmed on the second document: two verdicts agree, a higher confidence.
    feedback.confirm_field(ExtractedField.objects.select_related("schema", "document__document_type", "dossier")
                           .get(document_id=second["id"], schema__name="beneficiaire_nom"), validator)
    location = LearnedFieldLocation.objects.get(schema__name="beneficiaire_nom")
    assert (location.count, location.corrections) == (2, corrections)  # a confirmation is no correction
    assert location.value_shapes == ["Aaaaaaa Aaaaa", "Aaaa Aaaaaa"]  # the taught values' shapes
    assert location.value_head is None  # a name: no numbering
    third = ingest(tmp_path, "f3.pdf", letter_facture("F-3", "Lucie Bernard", "2 place Carnot", "21000 Dijon", "8 000,00"))
    assert value_of(third, "beneficiaire_nom") == "Lucie Bernard"
    assert third["fields"]["beneficiaire_nom"]["confidence"] > second["fields"]["beneficiaire_nom"]["confidence"]


def test_learning_switched_off_reads_as_the_generic_extractor(tmp_path, validator):
    first = ingest(tmp_path, "f1.pdf", letter_facture("F-1", "Ginette Guyot", "4 rue Haute", "03100 Montluçon", "10 550,00"))
    correct(first["id"], "beneficiaire_nom", "Ginette Guyot", validator)
    EngineConfig.objects.create(task=EngineConfig.Task.EXTRACTION, engine="learned", is_active=False)
    second = ingest(tmp_path, "f2.pdf", letter_facture("F-2", "Paul Martin", "18 avenue Foch", "75016 Paris", "9 120,00"))
    assert value_of(second, "beneficiaire_nom") != "Paul Martin"

    LayoutFingerprint.objects.update(is_active=False)
    EngineConfig.objects.filter(engine="learned").update(is_active=True)
    third = ingest(tmp_path, "f3.pdf", letter_facture("F-3", "Lucie Bernard", "2 place Carnot", "21000 Dijon", "8 000,00"))
    assert value_of(third, "beneficiaire_nom") != "Lucie Bernard"


def prime_letter(heading: str, amount: str, layout: int) -> bytes:
    """A facture printing its CEE premium after a wording no hint knows."""
    lines = [f"FACTURE N° {heading}", "Date de facture : 12/05/2024", "Montant HT : 10 000,00 €",
             f"Participation chauffage accordée : {amount} €", "Total TTC : 10 550,00 €"]
    if layout == 2:
        lines = ["Travaux de rénovation énergétique", "Votre installateur vous remercie de votre confiance.",
                 *reversed(lines), "Règlement par virement sous trente jours."]
    return positioned_pdf([(60 + 20 * layout, 80 + 22 * i, text) for i, text in enumerate(lines)])


def test_corrected_label_phrases_become_labels_of_every_layout_until_switched_off(tmp_path, validator, settings):
    settings.CEE_LEARNED_PHRASE_MIN_COUNT = 2
    first = ingest(tmp_path, "p1.pdf", prime_letter("F-1", "2 500,00", 1))
    second = ingest(tmp_path, "p2.pdf", prime_letter("F-2", "3 100,00", 1))
    assert value_of(first, "prime_cee") != "2500.00" and value_of(second, "prime_cee") != "3100.00"
    correct(first["id"], "prime_cee", "2 500,00", validator)
    correct(second["id"], "prime_cee", "3 100,00", validator)
    phrase = LearnedLabelPhrase.objects.get(schema__name="prime_cee")
    assert (phrase.phrase, phrase.count) == ("participation chauffage accordee", 2)

    # Another layout, the learned layouts switched off: the phrase is what reads it.
    LayoutFingerprint.objects.update(is_active=False)
    other = ingest(tmp_path, "p3.pdf", prime_letter("F-3", "1 800,00", 2))
    assert similarity(set(layout_features(document_pages_of(other))),
                      set(layout_features(document_pages_of(first)))) < MATCH_THRESHOLD
    assert value_of(other, "prime_cee") == "1800.00"

    LearnedLabelPhrase.objects.update(is_active=False)
    again = ingest(tmp_path, "p4.pdf", prime_letter("F-4", "1 800,00", 2))
    assert value_of(again, "prime_cee") != "1800.00"


def test_an_anchor_learned_on_one_layout_fills_the_field_on_another(tmp_path, validator, settings):
    settings.CEE_LEARNED_PHRASE_MIN_COUNT = 99  # no label phrase: only the learned anchor
    first = ingest(tmp_path, "p1.pdf", prime_letter("F-1", "2 500,00", 1))
    assert value_of(first, "prime_cee") != "2500.00"
    correct(first["id"], "prime_cee", "2 500,00", validator)
    # One verdict is not enough for a number on another layout
    assert value_of(ingest(tmp_path, "p0.pdf", prime_letter("F-0", "1 800,00", 2)), "prime_cee") != "1800.00"
    second = ingest(tmp_path, "p2.pdf", prime_letter("F-2", "3 100,00", 1))
    correct(second["id"], "prime_cee", "3 100,00", validator)
    location = LearnedFieldLocation.objects.get(schema__name="prime_cee")
    assert (location.anchor, location.count) == ("participation chauffage accordee", 2)

    other = ingest(tmp_path, "p3.pdf", prime_letter("F-3", "1 800,00", 2))
    assert value_of(other, "prime_cee") == "1800.00"
    # Weaker than a spot of the document's own layout.
    assert other["fields"]["prime_cee"]["confidence"] < 0.75

    LearnedFieldLocation.objects.update(is_active=False)
    again = ingest(tmp_path, "p4.pdf", prime_letter("F-4", "1 800,00", 2))
    assert value_of(again, "prime_cee") != "1800.00"


def test_the_admin_lists_what_was_learned_with_its_counts(tmp_path, validator, administrator, client):
    from django.urls import reverse

    first = ingest(tmp_path, "p1.pdf", prime_letter("F-1", "2 500,00", 1))
    correct(first["id"], "prime_cee", "2 500,00", validator)
    client.force_login(administrator)
    layout = LayoutFingerprint.objects.get()
    pages = {
        "admin:extraction_layoutfingerprint_changelist": "Modèles de documents appris",
        "admin:extraction_learnedfieldlocation_changelist": "participation chauffage accordee",
        "admin:extraction_learnedlabelphrase_changelist": "participation chauffage accordee",
    }
    for name, text in pages.items():
        response = client.get(reverse(name))
        assert response.status_code == 200 and text in response.content.decode()
    response = client.get(reverse("admin:extraction_layoutfingerprint_change", args=[layout.pk]))
    assert response.status_code == 200 and "Verdicts concordants" in response.content.decode()


def test_a_failure_of_the_learning_does_not_cost_the_validators_verdict(tmp_path, validator, monkeypatch):
    from extraction.learning import services
    from extraction.models import HumanFeedback

    first = ingest(tmp_path, "p1.pdf", prime_letter("F-1", "2 500,00", 1))

    def broken(*args, **kwargs):
        raise RuntimeError("page words unreadable")

    monkeypatch.setattr(services, "locate", broken)
    correct(first["id"], "prime_cee", "2 500,00", validator)

    assert ExtractedField.objects.get(document_id=first["id"], schema__name="prime_cee").corrected_value == "2500.00"
    assert HumanFeedback.objects.filter(field_name="prime_cee", kind="corrected").count() == 1
    assert not LayoutFingerprint.objects.exists()  # the learning's savepoint rolled back whole


def test_only_a_correction_into_other_words_says_the_extractor_misread_the_value():
    from extraction.learning.services import misread
    from extraction.models import HumanFeedback

    def verdict(kind, original, corrected=""):
        return HumanFeedback(kind=kind, original_value=original, corrected_value=corrected)

    corrected, confirmed, wrong = HumanFeedback.Kind.CORRECTED, HumanFeedback.Kind.CONFIRMED, HumanFeedback.Kind.WRONG
    assert misread(verdict(corrected, "HABITATBÂTIMENT", "Thomas Bonnet"), "string")
    assert misread(verdict(corrected, "Thevenin Ducrot Distribution s'engage", "Thevenin Ducrot Distribution"), "string")
    assert misread(verdict(corrected, "630.00", "1096.83"), "decimal")
    assert misread(verdict(wrong, "137"), "decimal")
    # the same words: the case, a civility, the order of a name
    assert not misread(verdict(corrected, "M. MORVAN André", "André Morvan"), "string")
    assert not misread(verdict(corrected, "AGEN", "Agen"), "string")
    # a value the extractor missed, or confirmed
    assert not misread(verdict(corrected, "", "Agen"), "string")
    assert not misread(verdict(confirmed, "Agen"), "string")


def test_a_layout_printing_another_issuer_matches_less_and_one_misread_digit_is_the_same_issuer():
    from extraction.learning.fingerprint import match_score

    words = {"objet@0,1", "designation@0,3", "total@2,5", "ttc@3,5"}
    other = {"objet@0,1", "designation@0,3", "total@2,5", "remise@3,6"}
    base = match_score(words, "", other, "73282932000074")
    assert base == pytest.approx(0.6)
    assert match_score(words, "73282932000074", other, "73282932000074") > base
    assert match_score(words, "73282982000074", other, "73282932000074") > base  # a scan read 3 as 8
    assert match_score(words, "51750004700090", other, "73282932000074") < base - 0.1


def test_the_issuer_is_the_siret_among_the_legal_mentions_not_a_client_company_s_above_them():
    """A store's quote to an SCI prints the client's SIRET in the client's block, above the
    footer where the issuer's sits among its RCS and capital: two such quotes are one issuer's."""
    from extraction.learning.fingerprint import read_issuer
    from extraction.types import PageContent

    def quote(client_siret: str) -> list[PageContent]:
        text = (f"DEVIS N° 202506871\nInformations client\nSCI du Moulin\nSIRET {client_siret}\n"
                "Isolation de combles 53,00 m²\nCONFORT – SASU au capital de 50 000 € – RCS Bastia 679 579 409 – "
                "SIRET 67957940900039 – N° TVA FR96679579409\n")
        return [PageContent(1, text, [], 595.0, 842.0, "text_layer")]

    assert read_issuer(quote("590 249 199 10034")) == read_issuer(quote("786 865 691 00079")) == "67957940900039"
    # a letterhead printing its SIRET alone still names its issuer
    alone = "ISOLATION MARTIN\nSIRET : 732 829 320 00074\nMadame Ginette GUYOT\n"
    assert read_issuer([PageContent(1, alone, [], 595.0, 842.0, "text_layer")]) == "73282932000074"


def test_a_value_corrected_only_in_its_case_is_learned_where_the_extractor_read_it(tmp_path, validator):
    """The beneficiary lives in the installer's town: the footer prints it after « RCS » too. The
    validator only re-cases what the extractor read in the recipient block: that block, not the
    footer's label, is where the next document's town is."""
    def facture(number: str, name: str, street: str, town: str) -> bytes:
        return positioned_pdf([
            (60, 60, "ISOSUD EURL"),
            (330, 110, name), (330, 126, street), (330, 142, town),
            (60, 230, f"FACTURE N° {number}"), (60, 248, "Date de facture : 12/05/2024"),
            (60, 290, "Pompe à chaleur air/eau - opération BAR-TH-171"), (60, 326, "Total TTC : 10 550,00 €"),
            (60, 780, "ISOSUD EURL - 9 rue des Roses 66000 Perpignan - RCS Perpignan 793 670 738"),
        ])

    first = ingest(tmp_path, "f1.pdf", facture("F-1", "M. Julien CHEVALLIER", "21 allée du Parc", "66000 PERPIGNAN"))
    assert value_of(first, "beneficiaire_ville") == "PERPIGNAN"
    correct(first["id"], "beneficiaire_ville", "Perpignan", validator)
    location = LearnedFieldLocation.objects.get(schema__name="beneficiaire_ville")
    assert location.corrections == 0 and location.bbox[1] < 0.2  # the recipient block, not the footer
    second = ingest(tmp_path, "f2.pdf", facture("F-2", "Mme Laetitia LABBÉ", "10 boulevard des Cerisiers",
                                                "56100 LORIENT"))
    assert value_of(second, "beneficiaire_ville") == "LORIENT"


def test_a_learned_location_keeps_the_head_of_the_numbering_its_verdicts_taught(tmp_path, validator):
    first = ingest(tmp_path, "f1.pdf", letter_facture("F-1", "Ginette Guyot", "4 rue Haute", "03100 Montluçon", "10 550,00"))
    second = ingest(tmp_path, "f2.pdf", letter_facture("F-2", "Paul Martin", "18 avenue Foch", "75016 Paris", "9 120,00"))
    third = ingest(tmp_path, "f3.pdf", letter_facture("AV-3", "Lucie Bernard", "2 place Carnot", "21000 Dijon", "8 000,00"))
    correct(first["id"], "numero_facture", "F-1", validator)
    correct(second["id"], "numero_facture", "F-2", validator)
    heads = set(LearnedFieldLocation.objects.filter(schema__name="numero_facture", absent=False)
                .values_list("value_head", flat=True))
    assert heads == {"F-"}
    correct(third["id"], "numero_facture", "AV-3", validator)  # a credit note's numbering: no head is the layout's
    location = LearnedFieldLocation.objects.filter(schema__name="numero_facture", absent=False).order_by("-count").first()
    assert location.count == 3 and location.value_head is None
