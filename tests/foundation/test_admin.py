"""The admin is the configuration studio: every page of every registered model renders for an
administrator, and validators cannot change configuration."""
from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from .objects import any_object

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)
MODEL_IDS = [model._meta.label for model, _ in REGISTERED]

PROJECT_APPS = ["accounts", "dossiers", "documents", "extraction", "rules", "billing"]

# Configuration that only administrators change (SPEC §1, issue #2).
CONFIGURATION_MODELS = [
    "dossiers.Operation", "dossiers.OperationDocumentRequirement", "dossiers.RejectionReason",
    "documents.DocumentType", "extraction.FieldSchema", "extraction.EngineConfig",
    "rules.Rule", "rules.ClimateZone", "rules.PrecarityCeiling", "billing.PriceList",
    "accounts.Installer", "accounts.User",
]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def as_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_every_project_model_has_an_admin_page_or_inline():
    inline_models = {inline.model for model_admin in admin.site._registry.values() for inline in model_admin.inlines}
    missing = [
        model._meta.label
        for app_label in PROJECT_APPS
        for model in apps.get_app_config(app_label).get_models()
        if not model.__name__.startswith("Historical") and model not in admin.site._registry and model not in inline_models
    ]
    assert missing == []


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED, ids=MODEL_IDS)
def test_administrator_sees_changelist_add_change_and_history_pages(client, administrator, model, model_admin):
    client.force_login(administrator)
    obj = any_object(model)

    assert client.get(admin_url(model, "changelist")).status_code == 200
    # A search exercises search_fields (a wrong lookup there is a 500).
    assert client.get(admin_url(model, "changelist"), {"q": "x"}).status_code == 200

    add_expected = 200 if model_admin.has_add_permission(as_request(administrator)) else 403
    assert client.get(admin_url(model, "add")).status_code == add_expected

    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert client.get(admin_url(model, "history", obj.pk)).status_code == 200


@pytest.mark.parametrize("label", CONFIGURATION_MODELS)
def test_validator_cannot_add_or_change_configuration(client, validator, label):
    model = apps.get_model(label)
    assert model in admin.site._registry, f"{label} has no admin"
    obj = any_object(model)
    before = model._default_manager.count()
    client.force_login(validator)

    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "add"), {}).status_code == 403
    assert client.post(admin_url(model, "change", obj.pk), {}).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model._default_manager.count() == before


@pytest.mark.parametrize("label", ["dossiers.Operation", "documents.DocumentType", "rules.Rule", "accounts.Installer"])
def test_validator_may_read_reference_configuration(client, validator, label):
    model = apps.get_model(label)
    obj = any_object(model)
    client.force_login(validator)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    page = client.get(admin_url(model, "change", obj.pk))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content


def test_installer_users_cannot_enter_the_admin(client, installer_user):
    client.force_login(installer_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_administrator_creates_an_installer_user_with_a_password_in_the_admin(client, administrator, installer_company):
    from accounts.models import User

    client.force_login(administrator)
    response = client.post(
        admin_url(User, "add"),
        {"email": "Nouveau.Poseur@Exemple.fr", "first_name": "Paul", "last_name": "Girard", "role": "installer",
         "installer": installer_company.pk, "usable_password": "true", "password1": "Gentiane-2026!",
         "password2": "Gentiane-2026!"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="nouveau.poseur@exemple.fr")
    assert user.installer == installer_company and not user.is_staff
    assert user.check_password("Gentiane-2026!")


def test_admin_user_form_explains_the_role_and_company_rule(client, administrator, installer_company):
    from accounts.models import User

    client.force_login(administrator)
    response = client.post(
        admin_url(User, "add"),
        {"email": "val@exemple.fr", "role": "validator", "installer": installer_company.pk,
         "usable_password": "false"},
    )
    assert response.status_code == 200
    assert "ne peut pas être rattaché à une entreprise" in response.content.decode()
    assert not User.objects.filter(email="val@exemple.fr").exists()


def test_operation_cumac_parameters_must_be_a_json_object(client, administrator):
    from dossiers.models import Operation

    operation = Operation.objects.get(code="BAR-EN-101")
    client.force_login(administrator)
    data = {
        "code": operation.code, "name": operation.name, "sector": operation.sector, "category": operation.category,
        "version": operation.version, "valid_from": operation.valid_from.isoformat(), "is_active": "on",
        "document_requirements-TOTAL_FORMS": "0", "document_requirements-INITIAL_FORMS": "0",
    }
    for bad, message in [
        ("[1, 2]", "un objet JSON"),
        ('{"base": ', "JSON invalide"),
        ('{"base": {"key": ["zone"], "table": "H1=1700"}}', "base"),
    ]:
        response = client.post(admin_url(Operation, "change", operation.pk), {**data, "cumac_parameters": bad})
        assert response.status_code == 200
        assert message in response.content.decode()
    operation.refresh_from_db()
    assert operation.cumac_parameters["base"]["table"]["H1"] == 1700


def test_administrator_revokes_api_tokens_from_the_list(client, administrator, installer_user):
    from accounts.models import Activity, ApiToken
    from accounts.tokens import find_active_token, issue_token

    token, key = issue_token(installer_user, "ERP")
    client.force_login(administrator)
    response = client.post(admin_url(ApiToken, "changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert find_active_token(key) is None
    assert Activity.objects.filter(verb="api_token_revoked", actor=administrator).exists()


def test_information_inlines_are_read_only_for_an_administrator(administrator):
    """Pages, split parts, extracted fields, stages, operations, invoice lines and payments are
    shown beside their parent for information: no field editable, no row added or deleted there."""
    from cee.admin import ReadOnlyInlineMixin

    request = as_request(administrator)
    inlines = [(model_admin, inline_class) for model_admin in admin.site._registry.values()
               for inline_class in model_admin.inlines if issubclass(inline_class, ReadOnlyInlineMixin)]
    assert {inline.__name__ for _, inline in inlines} >= {
        "InstallerUserInline", "PageInline", "PartInline", "InvoiceLineInline", "PaymentInline",
        "DossierOperationInline", "ExtractedFieldInline", "StageRunInline"}
    for model_admin, inline_class in inlines:
        inline = inline_class(model_admin.model, admin.site)
        assert set(inline.get_fields(request)) <= set(inline.get_readonly_fields(request)), inline_class
        assert not inline.has_add_permission(request, None) and not inline.can_delete, inline_class
        formset = inline.get_formset(request)
        assert formset.extra == 0 and not formset.form.base_fields, inline_class
