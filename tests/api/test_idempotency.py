"""``Idempotency-Key`` on POST: a retry replays the first answer, a reused key is refused."""
from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import IdempotencyKey
from dossiers.models import Dossier, DossierStatus

from .samples import devis_pdf, facture_pdf, upload

pytestmark = pytest.mark.django_db

NEW_DOSSIER = {"beneficiary_name": "Jean Dupont", "beneficiary_postal_code": "69003", "operation_codes": ["BAR-TH-171"]}


def test_the_same_key_and_body_replays_the_first_response_without_doing_it_again(api):
    first = api.post("/api/v1/dossiers/", NEW_DOSSIER, format="json", HTTP_IDEMPOTENCY_KEY="cle-1")
    second = api.post("/api/v1/dossiers/", NEW_DOSSIER, format="json", HTTP_IDEMPOTENCY_KEY="cle-1")

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert second["Location"] == first["Location"]
    assert "Idempotent-Replayed" not in first
    assert Dossier.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_with_422(api):
    api.post("/api/v1/dossiers/", NEW_DOSSIER, format="json", HTTP_IDEMPOTENCY_KEY="cle-1")
    response = api.post("/api/v1/dossiers/", {**NEW_DOSSIER, "beneficiary_name": "Marie Curie"}, format="json", HTTP_IDEMPOTENCY_KEY="cle-1")

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "idempotency_key_reused"
    assert "autre requête" in error["message"]
    assert Dossier.objects.count() == 1


def test_the_same_key_on_another_endpoint_is_refused(api, my_dossier):
    api.post("/api/v1/dossiers/", NEW_DOSSIER, format="json", HTTP_IDEMPOTENCY_KEY="cle-1")
    response = api.post(f"/api/v1/dossiers/{my_dossier.pk}/submit/", HTTP_IDEMPOTENCY_KEY="cle-1")

    assert response.status_code == 422
    my_dossier.refresh_from_db()
    assert my_dossier.status == DossierStatus.DRAFT


def test_keys_belong_to_one_user(api, other_api):
    mine = api.post("/api/v1/dossiers/", NEW_DOSSIER, format="json", HTTP_IDEMPOTENCY_KEY="cle-commune")
    theirs = other_api.post("/api/v1/dossiers/", NEW_DOSSIER, format="json", HTTP_IDEMPOTENCY_KEY="cle-commune")

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]
    assert "Idempotent-Replayed" not in theirs


def test_without_a_key_every_post_acts(api):
    api.post("/api/v1/dossiers/", NEW_DOSSIER, format="json")
    api.post("/api/v1/dossiers/", NEW_DOSSIER, format="json")

    assert Dossier.objects.count() == 2
    assert IdempotencyKey.objects.count() == 0


def test_an_error_response_is_replayed_too(api, my_dossier):
    api.post(f"/api/v1/dossiers/{my_dossier.pk}/submit/")  # now submitted
    first = api.post(f"/api/v1/dossiers/{my_dossier.pk}/submit/", HTTP_IDEMPOTENCY_KEY="soumission")
    second = api.post(f"/api/v1/dossiers/{my_dossier.pk}/submit/", HTTP_IDEMPOTENCY_KEY="soumission")

    assert first.status_code == second.status_code == 409
    assert second.json() == first.json()


def test_a_key_expires_after_24_hours(api):
    api.post("/api/v1/dossiers/", NEW_DOSSIER, format="json", HTTP_IDEMPOTENCY_KEY="cle-1")
    IdempotencyKey.objects.update(created_at=IdempotencyKey.objects.get().created_at - timedelta(hours=25))

    again = api.post("/api/v1/dossiers/", NEW_DOSSIER, format="json", HTTP_IDEMPOTENCY_KEY="cle-1")

    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert Dossier.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1


def test_a_key_whose_first_request_is_still_running_answers_409(api, installer_user):
    # The first request with this key has claimed it and not answered yet.
    IdempotencyKey.objects.create(
        user=installer_user, key="en-cours", request_hash=_fingerprint_of(api, NEW_DOSSIER),
        method="POST", path="/api/v1/dossiers/",
    )

    response = api.post("/api/v1/dossiers/", NEW_DOSSIER, format="json", HTTP_IDEMPOTENCY_KEY="en-cours")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_request_in_progress"
    assert Dossier.objects.count() == 0


def _fingerprint_of(api, body) -> str:
    """The fingerprint the server computes for ``body`` posted to /api/v1/dossiers/."""
    api.post("/api/v1/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="sonde")
    probe = IdempotencyKey.objects.get(key="sonde")
    Dossier.objects.all().delete()
    probe.delete()
    return probe.request_hash


def test_a_multipart_upload_replays_even_with_a_new_boundary(api, my_dossier, media_root):
    files = lambda: {"files": [upload("devis.pdf", devis_pdf()), upload("facture.pdf", facture_pdf())]}  # noqa: E731
    first = api.post(f"/api/v1/dossiers/{my_dossier.pk}/documents/", files(), format="multipart", HTTP_IDEMPOTENCY_KEY="envoi-1")
    second = api.post(f"/api/v1/dossiers/{my_dossier.pk}/documents/", files(), format="multipart", HTTP_IDEMPOTENCY_KEY="envoi-1")

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert my_dossier.documents.count() == 2
    assert len(media_root()) == 2


def test_a_multipart_upload_with_other_files_under_the_same_key_is_refused(api, my_dossier, media_root):
    api.post(f"/api/v1/dossiers/{my_dossier.pk}/documents/", {"files": [upload("devis.pdf", devis_pdf())]}, format="multipart", HTTP_IDEMPOTENCY_KEY="envoi-1")
    response = api.post(f"/api/v1/dossiers/{my_dossier.pk}/documents/", {"files": [upload("devis.pdf", facture_pdf())]}, format="multipart", HTTP_IDEMPOTENCY_KEY="envoi-1")

    assert response.status_code == 422
    assert my_dossier.documents.count() == 1


def test_a_bulk_upload_retried_with_its_key_creates_one_dossier(api, media_root):
    body = lambda: {"files": [upload("devis.pdf", devis_pdf()), upload("facture.pdf", facture_pdf())]}  # noqa: E731
    first = api.post("/api/v1/bulk-uploads/", body(), format="multipart", HTTP_IDEMPOTENCY_KEY="chantier-42")
    second = api.post("/api/v1/bulk-uploads/", body(), format="multipart", HTTP_IDEMPOTENCY_KEY="chantier-42")

    assert first.status_code == second.status_code == 201
    assert second.json()["dossier"]["id"] == first.json()["dossier"]["id"]
    assert Dossier.objects.count() == 1


def test_an_unprintable_or_overlong_key_is_refused(api):
    response = api.post("/api/v1/dossiers/", NEW_DOSSIER, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_idempotency_key"
    assert Dossier.objects.count() == 0
