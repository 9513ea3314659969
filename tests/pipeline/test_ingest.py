"""The ingest service: what it accepts, what it refuses (clearly), and that a refusal leaves
nothing behind — no row, no stored file."""
from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Activity
from documents.ingest import IngestError, safe_display_name
from documents.models import Document, DocumentStatus
from dossiers.models import DossierStatus
from dossiers.workflow.upload import ingest_file
from tests.factories import DossierFactory

from . import samples

pytestmark = pytest.mark.django_db

CATALOGUE = json.loads((samples.REAL / "badinput" / "catalogue.json").read_text())
INGEST_REJECTIONS = {
    "encrypted_pdf", "corrupt_pdf", "image_too_small", "image_too_large", "unsupported_type", "too_many_pages",
    "empty_file", "too_large",
}


def assert_refused(dossier, stored_files, code, data, filename="fichier.pdf", **options):
    before = Document.objects.count()
    with pytest.raises(IngestError) as caught:
        ingest_file(dossier=dossier, fileobj_or_bytes=data, filename=filename, **options)
    assert caught.value.code == code
    assert caught.value.message  # a French sentence for the installer
    assert Document.objects.count() == before
    assert stored_files() == []
    return caught.value


@pytest.mark.parametrize("entry", CATALOGUE, ids=[e["file"] for e in CATALOGUE])
def test_catalogue_file_is_accepted_or_refused_as_catalogued(entry, dossier, stored_files):
    data = (samples.REAL / "badinput" / entry["file"]).read_bytes()
    outcomes = [entry["expected_behaviour"], *entry.get("acceptable_alternatives", [])]
    ingest_outcomes = {o for o in outcomes if o == "accept" or o.split(":", 1)[1] in INGEST_REJECTIONS}
    # "reject:no_text" is decided by the pipeline (nothing readable), not at upload.
    if "reject:no_text" in outcomes:
        ingest_outcomes.add("accept")
    try:
        document = ingest_file(dossier=dossier, fileobj_or_bytes=data, filename=entry["file"])
    except IngestError as error:
        assert f"reject:{error.code}" in ingest_outcomes, f"refused with {error.code}: {error.message}"
        assert stored_files() == []
        assert not Document.objects.filter(dossier=dossier).exists()
    else:
        assert "accept" in ingest_outcomes, f"accepted, expected {outcomes}"
        assert stored_files() == [document.file.name]
        assert document.status == DocumentStatus.PENDING
        expected_pages = entry.get("pdf", {}).get("pages") or entry.get("image", {}).get("frames")
        if expected_pages and entry.get("image", {}).get("format", "TIFF") == "TIFF":
            assert document.page_count == expected_pages


def test_empty_file_is_refused(dossier, stored_files):
    assert_refused(dossier, stored_files, "empty_file", b"")


def test_file_over_the_size_limit_is_refused_before_it_is_read(settings, dossier, stored_files):
    settings.CEE_MAX_UPLOAD_BYTES = 10_000
    upload = SimpleUploadedFile("gros.pdf", samples.text_pdf([["x" * 80] * 40] * 30))
    assert upload.size > 10_000
    error = assert_refused(dossier, stored_files, "too_large", upload)
    assert "taille maximale" in error.message


def test_pdf_named_file_holding_a_png_is_stored_as_a_png(dossier):
    document = ingest_file(dossier=dossier, fileobj_or_bytes=samples.text_image(["Facture"]), filename="facture.pdf")
    assert document.mime_type == "image/png"
    assert document.file.name.endswith(".png")
    assert document.original_filename == "facture.pdf"


def test_png_named_file_holding_a_pdf_is_stored_as_a_pdf(dossier):
    document = ingest_file(dossier=dossier, fileobj_or_bytes=samples.text_pdf([["Devis"]]), filename="scan.png")
    assert document.mime_type == "application/pdf"
    assert document.file.name.endswith(".pdf")


def test_pdf_with_a_user_password_is_refused(dossier, stored_files):
    error = assert_refused(dossier, stored_files, "encrypted_pdf", samples.encrypted_pdf())
    assert "mot de passe" in error.message


def test_pdf_with_only_an_owner_password_is_accepted_untouched(dossier):
    data = samples.encrypted_pdf(user_password="", owner_password="owner")
    document = ingest_file(dossier=dossier, fileobj_or_bytes=data, filename="signe.pdf")
    assert document.file.read() == data  # never rewritten: a signature would break


def test_truncated_pdf_is_repaired_or_refused_never_half_stored(dossier, stored_files):
    whole = samples.text_pdf([["Devis n° 1"], ["Page 2"], ["Page 3"]])
    repaired = ingest_file(dossier=dossier, fileobj_or_bytes=whole[: int(len(whole) * 0.93)], filename="coupe.pdf")
    assert any(flag["code"] == "pdf_repaired" for flag in repaired.flags)
    assert repaired.file.read().startswith(b"%PDF")
    assert_refused(DossierFactory(installer=dossier.installer), lambda: [], "corrupt_pdf", whole[:400])
    assert stored_files() == [repaired.file.name]


def test_one_pixel_image_is_refused_as_too_small(dossier, stored_files):
    error = assert_refused(dossier, stored_files, "image_too_small", samples.tiny_png(1, 1), "photo.png")
    assert "1×1" in error.message


def test_image_declaring_30000_by_30000_pixels_is_refused_without_decoding_it(dossier, stored_files):
    bomb = samples.png_with_huge_header(30_000, 30_000)
    assert len(bomb) < 1_000
    assert_refused(dossier, stored_files, "image_too_large", bomb, "bombe.png")


def test_pdf_of_500_blank_pages_is_refused_with_the_page_limit(dossier, stored_files):
    error = assert_refused(dossier, stored_files, "too_many_pages", samples.blank_pdf(500))
    assert "500 pages" in error.message and "200" in error.message


def test_office_zip_html_and_text_files_are_refused(dossier, stored_files):
    for name in ("sample.docx", "sample.doc", "simple.zip", "sample.html", "simple.txt", "simple_text.eml"):
        data = (samples.REAL / "badinput" / name).read_bytes()
        assert_refused(dossier, stored_files, "unsupported_type", data, name)


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\facture.pdf", "facture.pdf"),
        ("devis\x00\x1b[31m.pdf\n", "devis[31m.pdf"),
        ("facture\u202egpj.pdf", "facturegpj.pdf"),  # a right-to-left override disguising the extension
        ("...", "document"),
        ("", "document"),
    ],
)
def test_uploaded_names_are_made_safe_for_display(given, shown):
    assert safe_display_name(given) == shown


def test_path_traversal_name_never_reaches_the_stored_name(dossier, media_storage):
    document = ingest_file(dossier=dossier, fileobj_or_bytes=samples.text_pdf([["Devis"]]),
                           filename="../../../../tmp/évil\x07.pdf")
    assert document.original_filename == "évil.pdf"
    assert ".." not in document.file.name and "évil" not in document.file.name
    assert document.file.name.startswith(f"dossiers/{dossier.pk}/")
    assert (media_storage / document.file.name).resolve().is_relative_to(media_storage.resolve())


def test_same_file_twice_in_a_dossier_is_refused(dossier, stored_files):
    data = samples.text_pdf([["Devis n° 7"]])
    first = ingest_file(dossier=dossier, fileobj_or_bytes=data, filename="devis.pdf")
    with pytest.raises(IngestError) as caught:
        ingest_file(dossier=dossier, fileobj_or_bytes=io.BytesIO(data), filename="devis (copie).pdf")
    assert caught.value.code == "duplicate_in_dossier"
    assert "devis (copie).pdf" in caught.value.message
    assert list(Document.objects.filter(dossier=dossier)) == [first]
    assert stored_files() == [first.file.name]


def test_same_file_in_another_installers_dossier_is_accepted_and_flagged_on_both(dossier):
    data = samples.text_pdf([["Facture n° 99"]])
    theirs = ingest_file(dossier=dossier, fileobj_or_bytes=data, filename="facture.pdf")
    other_dossier = DossierFactory()  # another installer
    mine = ingest_file(dossier=other_dossier, fileobj_or_bytes=data, filename="facture.pdf")

    dossier.refresh_from_db()
    other_dossier.refresh_from_db()
    theirs.refresh_from_db()
    for flagged_dossier, other in ((dossier, other_dossier), (other_dossier, dossier)):
        assert flagged_dossier.has_fraud_signal
        [signal] = flagged_dossier.fraud_signals
        assert signal["code"] == "duplicate_file_other_installer"
        assert signal["sha256"] == hashlib.sha256(data).hexdigest()
        assert signal["other_dossiers"] == [other.reference]
    assert [f["code"] for f in mine.flags] == ["duplicate_file_other_installer"]
    assert [f["code"] for f in theirs.flags] == ["duplicate_file_other_installer"]
    assert Activity.objects.filter(verb="fraud_signal").count() == 2


def test_same_file_in_two_dossiers_of_one_installer_is_flagged_but_not_as_fraud(dossier):
    data = samples.text_pdf([["Devis n° 5"]])
    ingest_file(dossier=dossier, fileobj_or_bytes=data, filename="devis.pdf")
    second = DossierFactory(installer=dossier.installer)
    document = ingest_file(dossier=second, fileobj_or_bytes=data, filename="devis.pdf")
    second.refresh_from_db()
    assert [f["code"] for f in document.flags] == ["duplicate_file_same_installer"]
    assert not second.has_fraud_signal


def test_failure_after_the_file_was_written_removes_the_file(dossier, stored_files, monkeypatch):
    """The row and the file exist together or not at all, even when the database write fails."""
    def broken_log(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("dossiers.workflow.upload.log_activity", broken_log)
    with pytest.raises(RuntimeError):
        ingest_file(dossier=dossier, fileobj_or_bytes=samples.text_pdf([["Devis"]]), filename="devis.pdf")
    assert not Document.objects.filter(dossier=dossier).exists()
    assert stored_files() == []


def test_unknown_declared_type_is_refused(dossier, stored_files):
    error = assert_refused(dossier, stored_files, "unknown_document_type", samples.text_pdf([["x"]]), "x.pdf",
                           declared_type_code="bon_de_commande")
    assert "bon_de_commande" in error.message


def test_declared_type_is_kept(dossier):
    document = ingest_file(dossier=dossier, fileobj_or_bytes=samples.text_pdf([["Devis"]]), filename="d.pdf",
                           declared_type_code="devis")
    assert document.declared_type.code == "devis"


def test_closed_dossier_takes_no_new_document(installer_company, stored_files):
    approved = DossierFactory(installer=installer_company, status=DossierStatus.APPROVED)
    error = assert_refused(approved, stored_files, "dossier_closed", samples.text_pdf([["Devis"]]))
    assert approved.reference in error.message


def test_upload_to_a_dossier_awaiting_documents_sends_it_back_to_processing(installer_company, installer_user):
    waiting = DossierFactory(installer=installer_company, status=DossierStatus.AWAITING_DOCUMENTS)
    ingest_file(dossier=waiting, fileobj_or_bytes=samples.text_pdf([["Facture"]]), filename="facture.pdf",
                user=installer_user, schedule_processing=False)
    waiting.refresh_from_db()
    assert waiting.status == DossierStatus.PROCESSING
    move = Activity.objects.filter(dossier=waiting, verb="status_changed").latest("created_at")
    assert move.metadata["from"] == "awaiting_documents" and move.actor == installer_user


def test_upload_to_a_submitted_dossier_queues_its_processing_after_commit(
    submitted_dossier, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr("dossiers.workflow.tasks.enqueue_dossier_processing", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        ingest_file(dossier=submitted_dossier, fileobj_or_bytes=samples.text_pdf([["Devis"]]), filename="d.pdf")
    assert queued == [submitted_dossier.pk]
