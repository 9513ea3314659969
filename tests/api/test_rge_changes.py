"""Installers cannot set their own RGE data: what they send (API or portal) becomes a request
that staff approve or refuse in the admin, logged; until then the company's data, which the
rule checks read, stays as it was."""
from __future__ import annotations

import datetime

import pytest
from django.test import Client

from accounts.models import Activity, Installer, RgeChangeRequest, RgeChangeStatus
from tests.factories import AdministratorFactory

pytestmark = pytest.mark.django_db

EXTENSION = {"rge_number": "QPAC/99999", "rge_valid_from": "2020-01-01", "rge_valid_until": "2035-12-31",
             "qualifications": ["pompe_a_chaleur", "isolation_combles", "solaire"]}


def expire(company: Installer) -> None:
    Installer.objects.filter(pk=company.pk).update(
        rge_valid_from=datetime.date(2021, 1, 1), rge_valid_until=datetime.date(2024, 12, 31), qualifications=["bois"],
    )
    company.refresh_from_db()


def admin_client() -> Client:
    client = Client()
    client.force_login(AdministratorFactory())
    return client


def test_an_installer_cannot_extend_its_expired_rge_through_the_api(api, installer_user):
    company = installer_user.installer
    expire(company)

    response = api.patch("/api/v1/profile/", {"company": EXTENSION}, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["company"]["rge_valid_until"] == "2024-12-31"
    assert body["rge_change_request"]["status"] == "pending"
    assert body["rge_change_request"]["rge_valid_until"] == "2035-12-31"
    assert set(body["rge_change_request"]["changed_fields"]) == set(EXTENSION)
    company.refresh_from_db()
    assert company.rge_valid_until == datetime.date(2024, 12, 31)
    assert company.qualifications == ["bois"]
    assert not company.rge_valid_at(datetime.date(2026, 6, 1))  # what RGE_VALID_AT reads
    assert Activity.objects.filter(verb="rge_change_requested", actor=installer_user).count() == 1
    assert api.get("/api/v1/profile/").json()["rge_change_request"]["id"] == body["rge_change_request"]["id"]


def test_other_company_fields_still_change_at_once(api, installer_user):
    response = api.patch("/api/v1/profile/", {"company": {"city": "Villeurbanne"}}, format="json")

    assert response.status_code == 200
    assert response.json()["company"]["city"] == "Villeurbanne"
    assert response.json()["rge_change_request"] is None
    assert not RgeChangeRequest.objects.exists()


def test_sending_the_current_rge_data_asks_for_nothing(api, installer_user):
    company = installer_user.installer
    same = {"rge_number": company.rge_number, "rge_valid_until": company.rge_valid_until.isoformat()}

    response = api.patch("/api/v1/profile/", {"company": same}, format="json")

    assert response.status_code == 200 and response.json()["rge_change_request"] is None


def test_a_new_request_replaces_the_pending_one(api, installer_user):
    api.patch("/api/v1/profile/", {"company": {"rge_number": "QPAC/1"}}, format="json")
    api.patch("/api/v1/profile/", {"company": {"rge_number": "QPAC/2"}}, format="json")

    statuses = dict(RgeChangeRequest.objects.values_list("rge_number", "status"))
    assert statuses == {"QPAC/1": RgeChangeStatus.SUPERSEDED, "QPAC/2": RgeChangeStatus.PENDING}


def test_staff_approve_a_request_in_the_admin_and_only_then_it_applies(api, installer_user):
    company = installer_user.installer
    expire(company)
    api.patch("/api/v1/profile/", {"company": EXTENSION}, format="json")
    change = RgeChangeRequest.objects.get()
    staff = admin_client()

    page = staff.get(f"/admin/accounts/rgechangerequest/{change.pk}/change/")
    assert page.status_code == 200 and "2024-12-31" in page.content.decode()
    staff.post("/admin/accounts/rgechangerequest/", {"action": "approve", "_selected_action": [change.pk]})

    company.refresh_from_db()
    change.refresh_from_db()
    assert change.status == RgeChangeStatus.APPROVED and change.decided_by is not None
    assert (company.rge_number, company.rge_valid_until) == ("QPAC/99999", datetime.date(2035, 12, 31))
    assert company.qualifications == EXTENSION["qualifications"]
    assert company.rge_valid_at(datetime.date(2026, 6, 1))
    assert Activity.objects.filter(verb="rge_change_approved", object_id=str(company.pk)).exists()
    assert company.history.first().history_user == change.decided_by


def test_staff_refuse_a_request_and_nothing_changes(api, installer_user):
    company = installer_user.installer
    expire(company)
    api.patch("/api/v1/profile/", {"company": EXTENSION}, format="json")
    change = RgeChangeRequest.objects.get()
    staff = admin_client()

    staff.post("/admin/accounts/rgechangerequest/", {"action": "reject", "_selected_action": [change.pk]})
    again = staff.post("/admin/accounts/rgechangerequest/", {"action": "approve", "_selected_action": [change.pk]}, follow=True)

    company.refresh_from_db()
    change.refresh_from_db()
    assert change.status == RgeChangeStatus.REJECTED
    assert company.rge_valid_until == datetime.date(2024, 12, 31)
    assert "ne peut plus être traitée" in again.content.decode()
    assert Activity.objects.filter(verb="rge_change_rejected").count() == 1


def test_the_portal_form_makes_a_request_too(client, installer_user):
    company = installer_user.installer
    expire(company)
    client.force_login(installer_user)
    form = {
        "name": company.name, "siret": company.siret, "address": "", "postal_code": "", "city": "", "email": "",
        "phone": "", "contact_name": "", "rge_number": company.rge_number, "rge_valid_from": "2021-01-01",
        "rge_valid_until": "2035-12-31", "qualifications": "bois",
    }

    response = client.post("/portail/entreprise/", form, follow=True)

    company.refresh_from_db()
    assert company.rge_valid_until == datetime.date(2024, 12, 31)
    assert RgeChangeRequest.objects.get().rge_valid_until == datetime.date(2035, 12, 31)
    page = response.content.decode()
    assert "transmise à nos équipes" in page
    assert "Demande de modification RGE en attente" in page


def test_the_schema_marks_the_rge_fields_read_only_and_documents_the_request(api):
    schema = api.get("/api/v1/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]

    company = components["Company"]
    for name in ("rge_number", "rge_valid_from", "rge_valid_until", "qualifications"):
        assert company["properties"][name].get("readOnly"), name
        assert name in components["CompanyPatchRequest"]["properties"], name
    assert "rge_change_request" in components["Profile"]["properties"]
