"""Files are private: served through a view that checks the dossier is visible to the user,
streamed from local storage or through a short-lived presigned URL from S3."""
from __future__ import annotations

import urllib.parse
import urllib.request

import pytest
from django.db import transaction
from django.urls import reverse

from documents.ingest import IngestError
from documents.models import Document, Page
from documents.storage import purge_orphan_files, stored_file_names
from dossiers.workflow.upload import ingest_file
from extraction.services import process_document

from . import samples

pytestmark = pytest.mark.django_db


def file_url(document):
    return reverse("documents:document-file", args=[document.pk])


def test_installer_downloads_their_own_file(client, installer_user, dossier):
    data = samples.text_pdf([["Devis n° 1"]])
    document = ingest_file(dossier=dossier, fileobj_or_bytes=data, filename="devis été.pdf")
    client.force_login(installer_user)
    response = client.get(file_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''devis%20%C3%A9t%C3%A9.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_installer_cannot_download_another_installers_file(client, other_installer_user, dossier):
    document = ingest_file(dossier=dossier, fileobj_or_bytes=samples.text_pdf([["Devis"]]), filename="devis.pdf")
    client.force_login(other_installer_user)
    assert client.get(file_url(document)).status_code == 404


def test_anonymous_visitor_is_sent_to_the_login_page(client, dossier):
    document = ingest_file(dossier=dossier, fileobj_or_bytes=samples.text_pdf([["Devis"]]), filename="devis.pdf")
    response = client.get(file_url(document))
    assert response.status_code == 302
    assert response["Location"].startswith("/portail/connexion/")


def test_validator_sees_page_images_and_other_installers_do_not(client, validator, other_installer_user, dossier):
    document = ingest_file(dossier=dossier, fileobj_or_bytes=samples.text_pdf([["Devis n° 3"]] * 2), filename="d.pdf")
    process_document(document)
    page = Page.objects.filter(document__in=[document, *document.children.all()]).order_by("number").first()
    url = reverse("documents:page-image", args=[document.pk, page.number])
    client.force_login(validator)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"  # the stored JPEG
    client.force_login(other_installer_user)
    assert client.get(url).status_code == 404


def test_deleting_a_document_deletes_its_file_and_page_images(dossier, django_capture_on_commit_callbacks):
    document = ingest_file(dossier=dossier, fileobj_or_bytes=samples.text_pdf([["Devis"]]), filename="d.pdf")
    process_document(document)
    assert len(stored_file_names()) == 2  # the PDF and its page image
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert stored_file_names() == []


def test_orphan_sweep_removes_files_left_by_a_rolled_back_caller(dossier):
    """A caller that wraps ingest in its own transaction and rolls back leaves the file: the sweep finds it."""
    with pytest.raises(RuntimeError), transaction.atomic():
        ingest_file(dossier=dossier, fileobj_or_bytes=samples.text_pdf([["Devis"]]), filename="d.pdf")
        raise RuntimeError("the caller fails after the upload")
    assert not Document.objects.exists()
    [orphan] = stored_file_names()
    assert purge_orphan_files(older_than=__import__("datetime").timedelta(0), dry_run=True) == [orphan]
    purge_orphan_files(older_than=__import__("datetime").timedelta(0))
    assert stored_file_names() == []


@pytest.mark.s3
def test_s3_ingest_serving_and_deletion(s3_storage, client, installer_user, other_installer_user, dossier,
                                        django_capture_on_commit_callbacks):
    s3, bucket = s3_storage
    data = samples.text_pdf([["Facture n° 12"]])
    document = ingest_file(dossier=dossier, fileobj_or_bytes=data, filename="facture.pdf")
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert keys == [document.file.name]

    # A refused upload writes nothing to the bucket.
    with pytest.raises(IngestError):
        ingest_file(dossier=dossier, fileobj_or_bytes=samples.encrypted_pdf(), filename="secret.pdf")
    assert len(s3.list_objects_v2(Bucket=bucket).get("Contents", [])) == 1

    # The owner is redirected to a presigned URL that expires and serves the bytes.
    client.force_login(installer_user)
    response = client.get(file_url(document))
    assert response.status_code == 302
    location = response["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    assert "X-Amz-Signature" in query
    with urllib.request.urlopen(location) as remote:
        assert remote.read() == data
    # Without the signature the bucket refuses: files are never public.
    unsigned = location.split("?", 1)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned)
    assert refused.value.code in (401, 403)

    client.force_login(other_installer_user)
    assert client.get(file_url(document)).status_code == 404

    # The pipeline writes page images to the bucket too; deleting the document removes everything.
    process_document(document)
    assert len(s3.list_objects_v2(Bucket=bucket).get("Contents", [])) == 2
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert s3.list_objects_v2(Bucket=bucket).get("Contents", []) == []
