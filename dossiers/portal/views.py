"""The installer portal: server-rendered pages under /portail/ (French, phone-friendly).

Views stay thin: reads go through ``dossiers.installer_selectors`` (built on the one
visibility check, so another company's dossier is a 404), writes through the services
(``dossiers.services``, ``dossiers.bulk``, ``accounts.profile``, ``accounts.tokens``).
Only installer accounts use the portal: staff are sent to the back-office (403 here).
"""
from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.activity import log_activity
from accounts.lockout import reset_request_allowed
from accounts.models import ApiToken, Role
from accounts.profile import update_company_profile
from accounts.rge import pending_rge_change
from accounts.tokens import issue_token, revoke_token
from cee.uploads import collect_uploads, limit_uploads, max_file_bytes, max_request_bytes, megabytes
from dossiers import installer_selectors as sel
from dossiers.api.filters import DossierFilter
from dossiers.bulk import FileOutcome, UploadNotAllowed, add_files_to_dossier, create_dossier_from_files
from dossiers.models import CLOSED_STATUSES, DossierStatus
from dossiers.services import INSTALLER_EDITABLE_STATUSES, create_dossier, submit_dossier, update_dossier
from dossiers.status import DossierTransitionError

from .forms import BulkUploadForm, CompanyForm, DossierForm, TokenForm, UploadForm

PAGE_SIZE = 20
UPLOAD_RESULTS_SESSION_KEY = "portal_upload_results"


def installer_required(view):
    """Logged-in installer accounts only: anonymous → login page, staff → 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        user = request.user
        if user.role != Role.INSTALLER or not user.installer_id or user.is_superuser:
            return render(request, "portal/staff_only.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _field_errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [m for e in errors for m in e.messages] for field, errors in error.error_dict.items()}
    return {"__all__": list(error.messages)}


def _add_service_errors(form, error: ValidationError) -> None:
    for field, messages_ in _field_errors(error).items():
        target = field if field in form.fields else None
        for message in messages_:
            form.add_error(target, message)


# --- Authentication ---------------------------------------------------------------------

class PortalLoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        user = self.request.user
        if user.is_authenticated and user.role != Role.INSTALLER:
            return reverse("admin:index")
        return super().get_default_redirect_url()


class PortalPasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password_reset_done")

    def form_valid(self, form):
        # Each request sends an e-mail: a few per address and per e-mail address, then 429.
        if not reset_request_allowed(self.request, form.cleaned_data["email"]):
            form.add_error(None, "Trop de demandes de réinitialisation : réessayez dans une heure.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PortalPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password_reset_complete")


class PortalPasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/portal_password_change.html"
    success_url = reverse_lazy("portal:dashboard")

    def form_valid(self, form):
        messages.success(self.request, "Votre mot de passe a été modifié.")
        return super().form_valid(form)


# --- Dashboard -----------------------------------------------------------------------------

@require_GET
@installer_required
def dashboard(request):
    """My dossiers: filters, pagination, what is missing or failing, premium and payment."""
    filters = DossierFilter(request.GET or None, queryset=sel.installer_dossier_list(request.user).order_by("-created_at", "-id"))
    queryset = filters.qs if filters.is_bound and filters.is_valid() else filters.queryset
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    type_names = sel.document_type_names()
    rows = [
        {"dossier": dossier, "missing": sel.missing_documents(dossier, type_names), "payment": sel.payment_state(dossier)[1]}
        for dossier in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/dashboard.html", {
        "filters": filters, "page": page, "rows": rows, "querystring": query.urlencode(),
        "statuses": DossierStatus.choices,
    })


# --- Dossiers ------------------------------------------------------------------------------

def _my_dossier(request, pk: int):
    return get_object_or_404(sel.installer_dossier_detail(request.user), pk=pk)


@require_http_methods(["GET", "POST"])
@installer_required
def dossier_create(request):
    form = DossierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        arguments = form.service_arguments()
        try:
            dossier = create_dossier(installer=request.user.installer, created_by=request.user, request=request, **arguments)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, f"Dossier {dossier.reference} créé. Ajoutez maintenant ses documents.")
            return redirect("portal:dossier", pk=dossier.pk)
    return render(request, "portal/dossier_form.html", {"form": form, "creating": True})


@require_http_methods(["GET", "POST"])
@installer_required
def dossier_edit(request, pk: int):
    dossier = _my_dossier(request, pk)
    if dossier.status not in INSTALLER_EDITABLE_STATUSES:
        messages.error(request, f"Le dossier est « {dossier.get_status_display()} » : il ne peut plus être modifié.")
        return redirect("portal:dossier", pk=dossier.pk)
    timeline = getattr(dossier, "timeline", None)
    initial = {
        field: getattr(dossier, field)
        for field in DossierForm.base_fields if hasattr(dossier, field) and field != "operation_codes"
    }
    initial["operation_codes"] = [item.operation.code for item in dossier.operations.all()]
    initial["date_signature"] = timeline.date_signature if timeline else None
    form = DossierForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = form.service_arguments()
        changes.update(changes.pop("timeline"))
        changes.setdefault("date_signature", None)  # an emptied date is cleared
        try:
            update_dossier(dossier, by=request.user, request=request, **changes)
        except ValidationError as error:
            _add_service_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("portal:dossier", pk=dossier.pk)
        else:
            messages.success(request, "Dossier mis à jour.")
            return redirect("portal:dossier", pk=dossier.pk)
    return render(request, "portal/dossier_form.html", {"form": form, "dossier": dossier, "creating": False})


@require_GET
@installer_required
def dossier_detail(request, pk: int):
    """Everything about one dossier, and the forms to complete it."""
    dossier = _my_dossier(request, pk)
    documents = list(sel.dossier_documents(dossier))
    stored = request.session.get(UPLOAD_RESULTS_SESSION_KEY, {})
    results = (stored.pop(str(dossier.pk), None) or {}).get("rows")
    request.session[UPLOAD_RESULTS_SESSION_KEY] = stored
    return render(request, "portal/dossier_detail.html", {
        "dossier": dossier,
        "documents": documents,
        "missing": sel.missing_documents(dossier),
        "rule_failures": sel.rule_failures_for(dossier),
        "history": _history_rows(dossier),
        "payment": sel.payment_state(dossier)[1],
        "progress": sel.document_progress(dossier),
        "in_progress": dossier.status in sel.IN_PROGRESS_STATUSES,
        "can_edit": dossier.status in INSTALLER_EDITABLE_STATUSES,
        "can_submit": dossier.status == DossierStatus.DRAFT,
        "can_upload": dossier.status not in CLOSED_STATUSES,
        "upload_form": UploadForm(),
        "upload_results": results,
        "max_file": megabytes(max_file_bytes()),
        "invoices": _with_pdf_urls(sel.installer_invoices(request.user).filter(dossier=dossier)),
    })


# Reasons an installer is meant to read: a rejection and a reopening.
_REASONS_SHOWN = {DossierStatus.REJECTED, DossierStatus.DRAFT}


def _history_rows(dossier) -> list[dict]:
    rows = []
    for activity in sel.status_history(dossier):
        target = activity.metadata.get("to", "")
        label = DossierStatus(target).label if target in DossierStatus.values else activity.description
        reason = activity.metadata.get("reason", "") if target in _REASONS_SHOWN else ""
        rows.append({"at": activity.created_at, "label": label, "status": target, "reason": reason})
    return rows


def invoice_pdf_url(invoice) -> str | None:
    """The invoice PDF's URL when billing serves one (``billing:invoice-pdf``)."""
    try:
        return reverse("billing:invoice-pdf", kwargs={"pk": invoice.pk})
    except NoReverseMatch:
        return None


def _with_pdf_urls(invoices) -> list:
    rows = list(invoices)
    for invoice in rows:
        invoice.pdf_url = invoice_pdf_url(invoice)
    return rows


@require_GET
@installer_required
def dossier_status(request, pk: int):
    """A small JSON snapshot the dossier page polls while the pipeline runs."""
    dossier = get_object_or_404(sel.dossiers_visible_to(request.user), pk=pk)
    return JsonResponse({
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "in_progress": dossier.status in sel.IN_PROGRESS_STATUSES,
        "documents": sel.document_progress(dossier),
        "updated_at": dossier.updated_at.isoformat(),
    })


@require_POST
@installer_required
def dossier_submit(request, pk: int):
    dossier = _my_dossier(request, pk)
    try:
        submit_dossier(dossier, user=request.user, request=request)
    except (DossierTransitionError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, "Dossier soumis : le traitement automatique a commencé.")
    return redirect("portal:dossier", pk=dossier.pk)


# --- Uploads ---------------------------------------------------------------------------------

def _outcome_rows(outcomes: list[FileOutcome]) -> list[dict]:
    return [
        {
            "filename": o.filename,
            "accepted": o.accepted,
            "document_id": o.document.pk if o.accepted else None,
            "code": o.code,
            "message": o.message,
        }
        for o in outcomes
    ]


def _read_upload(request, handler, form_class):
    """The files of an upload form, with those dropped for size already as refusals."""
    form = form_class(request.POST, request.FILES)
    uploads = collect_uploads(request.FILES, handler)
    refused = [FileOutcome(filename=s.filename, code=s.code, message=s.message) for s in uploads.skipped]
    return form, uploads, refused


def _too_large_message() -> str:
    return f"Envoi trop volumineux : au plus {megabytes(max_request_bytes())} par envoi. Envoyez les fichiers en plusieurs fois."


def _declared_length_too_large(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > max_request_bytes()
    except ValueError:
        return True


@csrf_exempt
@require_POST
@installer_required
def dossier_upload(request, pk: int):
    """Add files to a dossier. The size limits are installed before the body is read, so
    CSRF is checked afterwards (Django's documented pattern for upload handlers)."""
    if _declared_length_too_large(request):
        return _upload_refused(request, pk, _too_large_message(), status=413)
    handler = limit_uploads(request)
    return _dossier_upload(request, pk, handler)


@csrf_protect
def _dossier_upload(request, pk, handler):
    dossier = _my_dossier(request, pk)
    form, uploads, refused = _read_upload(request, handler, UploadForm)
    if uploads.request_too_large:
        return _upload_refused(request, pk, _too_large_message(), status=413)
    if not form.is_valid():
        return _upload_refused(request, pk, " ".join(m for errs in form.errors.values() for m in errs))
    if not uploads.files and not refused:
        return _upload_refused(request, pk, "Choisissez au moins un fichier.")
    declared = form.cleaned_data.get("document_type")
    try:
        outcomes = add_files_to_dossier(
            dossier, uploads.files, user=request.user, declared_type_code=declared.code if declared else None,
            refused=refused, request=request,
        )
    except UploadNotAllowed as error:
        return _upload_refused(request, pk, error.message, status=409)
    rows = _outcome_rows(outcomes)
    _remember_results(request, dossier.pk, rows, batch=request.headers.get("X-Upload-Batch", ""))
    if _wants_json(request):
        return JsonResponse({"files": rows}, status=201 if any(r["accepted"] for r in rows) else 400)
    return redirect(reverse("portal:dossier", kwargs={"pk": dossier.pk}) + "#depot")


def _remember_results(request, dossier_pk: int, rows: list[dict], *, batch: str = "") -> None:
    """Keep the per-file results for the next display of the dossier page. The script
    sends one request per file with a batch id: the results of one batch add up."""
    stored = request.session.get(UPLOAD_RESULTS_SESSION_KEY, {})
    entry = stored.get(str(dossier_pk))
    if batch and entry and entry.get("batch") == batch:
        entry["rows"].extend(rows)
    else:
        entry = {"batch": batch, "rows": rows}
    stored[str(dossier_pk)] = entry
    request.session[UPLOAD_RESULTS_SESSION_KEY] = stored


def _upload_refused(request, pk, message: str, status: int = 400):
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    messages.error(request, message)
    return redirect(reverse("portal:dossier", kwargs={"pk": pk}) + "#depot")


@csrf_exempt
@require_http_methods(["GET", "POST"])
@installer_required
def bulk_upload(request):
    """Drop all the files of a job: the dossier is created, submitted and processed."""
    if request.method == "POST":
        if _declared_length_too_large(request):
            return _bulk_page(request, BulkUploadForm(), error=_too_large_message(), status=413)
        handler = limit_uploads(request)
        return _bulk_upload_post(request, handler)
    return _bulk_page(request, BulkUploadForm())


def _bulk_page(request, form, *, results=None, error="", status=200):
    if _wants_json(request) and request.method == "POST":
        return JsonResponse({"error": error, "files": results or []}, status=status)
    return render(request, "portal/bulk_upload.html", {
        "form": form, "results": results, "error": error, "max_file": megabytes(max_file_bytes()),
        "max_request": megabytes(max_request_bytes()),
    }, status=status)


@csrf_protect
def _bulk_upload_post(request, handler):
    form, uploads, refused = _read_upload(request, handler, BulkUploadForm)
    if uploads.request_too_large:
        return _bulk_page(request, form, error=_too_large_message(), status=413)
    if not uploads.files and not refused:
        return _bulk_page(request, form, error="Choisissez les fichiers du chantier.", status=400)
    result = create_dossier_from_files(user=request.user, files=uploads.files, refused=refused, request=request)
    rows = _outcome_rows(result.outcomes)
    if result.dossier is None:
        return _bulk_page(request, form, results=rows, error="Aucun fichier n'a été accepté : aucun dossier n'a été créé.", status=400)
    url = reverse("portal:dossier", kwargs={"pk": result.dossier.pk})
    _remember_results(request, result.dossier.pk, rows)
    messages.success(
        request,
        f"Dossier {result.dossier.reference} créé à partir de {len(result.accepted)} fichier(s) : "
        "les documents sont en cours de lecture.",
    )
    if _wants_json(request):
        return JsonResponse({"dossier": result.dossier.pk, "url": url, "files": rows}, status=201)
    return redirect(url)


# --- Payments, company, tokens --------------------------------------------------------------

@require_GET
@installer_required
def payments(request):
    invoices = Paginator(sel.installer_invoices(request.user), PAGE_SIZE).get_page(request.GET.get("factures"))
    invoices.object_list = _with_pdf_urls(invoices.object_list)
    payment_page = Paginator(sel.installer_payments(request.user).order_by("-date", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/payments.html", {"invoices": invoices, "payments": payment_page})


@require_http_methods(["GET", "POST"])
@installer_required
def company(request):
    installer = request.user.installer
    form = CompanyForm(request.POST or None, instance=installer)
    if request.method == "POST" and form.is_valid():
        try:
            update = update_company_profile(installer, changes=form.changes(), user=request.user, request=request)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, "Fiche entreprise enregistrée.")
            if update.rge_change_request is not None:
                messages.info(
                    request,
                    "Votre modification RGE est transmise à nos équipes : elle s'appliquera après vérification "
                    "de votre certificat. D'ici là, vos dossiers sont contrôlés avec les données RGE actuelles.",
                )
            return redirect("portal:company")
    installer.refresh_from_db()
    context = {"form": form, "installer": installer, "rge_change_request": pending_rge_change(installer)}
    return render(request, "portal/company.html", context)


@require_http_methods(["GET", "POST"])
@installer_required
def tokens(request):
    """API tokens: create (the key is shown once), list with prefix and last use, revoke."""
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        token, new_key = issue_token(request.user, form.cleaned_data["name"])
        log_activity(
            "api_token_created", actor=request.user, target=token,
            description=f"Jeton d'API « {token.name} » créé ({token.prefix}…)", request=request,
        )
        form = TokenForm()
    rows = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    response = render(request, "portal/tokens.html", {"form": form, "tokens": rows, "new_key": new_key})
    if new_key:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@installer_required
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        revoke_token(token)
        log_activity(
            "api_token_revoked", actor=request.user, target=token,
            description=f"Jeton d'API « {token.name} » révoqué ({token.prefix}…)", request=request,
        )
    messages.success(request, f"Jeton « {token.name} » révoqué : il ne donne plus accès à l'API.")
    return redirect("portal:tokens")

