"""The review screen in the admin: a custom view of the Dossier admin and its POST actions.

The screen (``<pk>/review/``) claims the dossier for the validator
(``dossiers.review.services.open_for_review``). Its actions are small POST endpoints under
``<pk>/review/``: they answer JSON (the re-rendered pieces of the screen) to the page's
script and redirect back with a message to a plain form post, so the screen works without
JavaScript. Views stay thin: reads in ``review.screen``, writes in ``review.services`` and
``extraction.feedback``.
"""
from __future__ import annotations

from functools import lru_cache

import jinja2
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from extraction import feedback
from extraction.models import ExtractedField
from rules.models import RuleResult
from rules.services import override_rule_result

from ..models import Dossier
from . import services as review
from .queue import QUEUE_STATUSES
from .screen import dossier_for_review


def review_url(pk: int) -> str:
    """The review screen's address of dossier ``pk`` (reversed once per URL prefix, not per row)."""
    return _review_url_pattern(get_script_prefix()).replace("/0/", f"/{pk}/", 1)


@lru_cache(maxsize=8)
def _review_url_pattern(script_prefix: str) -> str:
    return reverse("admin:dossiers_dossier_review", args=[0])


@lru_cache(maxsize=1)
def _field_row_template():
    """The field row's Jinja2 template.

    The review screen shows sixty fields or more, each with three small forms; written in
    the Django template language that single partial took most of the page's server time,
    Jinja2 (a declared dependency, compiled to Python) renders it about ten times faster.
    Everything else on the screen stays in Django templates.
    """
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(settings.BASE_DIR / "templates")),
        autoescape=True,
        auto_reload=settings.DEBUG,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("admin/dossiers/dossier/review/_field_row.jinja")


def render_field_rows(request, data, *, can_edit: bool) -> None:
    """Render every field row of ``data`` into its ``html`` (marked safe: autoescaped by Jinja2)."""
    template = _field_row_template()
    shared = {
        "can_edit": can_edit,
        "field_url": review_url(data.dossier.pk) + "field/",
        "csrf_input": format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)),
    }
    for group in data.groups:
        for row in group.rows:
            row.html = mark_safe(template.render(row=row, **shared))


def is_administrator_request(request) -> bool:
    return review.is_administrator(request.user)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "") or request.headers.get("X-Requested-With") == "fetch"


class ReviewStudioError(Exception):
    """An action answered with a message and a status, as JSON or as a redirect."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


class ReviewScreenAdminMixin:
    """The review screen's views and URLs, mixed into the Dossier admin (``admin_queue``)."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        review_urls = [
            path("suivant/", wrap(self.next_view), name="dossiers_dossier_next"),
            path("<int:pk>/review/", wrap(self.review_view), name="dossiers_dossier_review"),
            path("<int:pk>/review/field/<int:field_pk>/<str:action>/", wrap(self.field_action_view),
                 name="dossiers_dossier_review_field"),
            path("<int:pk>/review/rule/<int:result_pk>/override/", wrap(self.override_view),
                 name="dossiers_dossier_review_override"),
            path("<int:pk>/review/decide/<str:decision>/", wrap(self.decide_view),
                 name="dossiers_dossier_review_decide"),
            path("<int:pk>/review/release/", wrap(self.release_view), name="dossiers_dossier_review_release"),
            path("<int:pk>/review/take-over/", wrap(self.take_over_view), name="dossiers_dossier_review_take_over"),
            path("<int:pk>/review/next/", wrap(self.save_and_next_view), name="dossiers_dossier_review_next"),
        ]
        return review_urls + super().get_urls()

    def _dossier_or_404(self, request, pk) -> Dossier:
        dossier = get_object_or_404(Dossier.objects.select_related("assigned_to"), pk=pk)
        if not self.has_view_permission(request, dossier):
            raise PermissionDenied
        return dossier

    def _review_url(self, pk, anchor: str = "") -> str:
        return reverse("admin:dossiers_dossier_review", args=[pk]) + (f"#{anchor}" if anchor else "")

    def review_view(self, request, pk):
        """The review screen. Opening it claims a free dossier (``open_for_review``): that is
        what "open from the queue" means; a dossier someone else holds opens read-only."""
        dossier = self._dossier_or_404(request, pk)
        access = review.open_for_review(dossier, request.user, request=request) if review.is_reviewer(
            request.user) else review.review_access(dossier, request.user)
        if access.claimed:
            messages.info(request, f"Dossier {dossier.reference} ouvert : il vous est assigné.")
        data = dossier_for_review(pk)
        render_field_rows(request, data, can_edit=access.can_edit)
        context = {
            **self.admin_site.each_context(request),
            **self._screen_context(request, data, access),
            "title": f"Revue {data.dossier.reference}",
            "opts": self.model._meta,
            "is_nav_sidebar_enabled": False,
            "queue_url": self._queue_url(request),
        }
        return TemplateResponse(request, "admin/dossiers/dossier/review.html", context)

    def _queue_url(self, request) -> str:
        referer = request.headers.get("Referer", "")
        queue = reverse("admin:dossiers_dossier_changelist")
        if referer and queue in referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}):
            return referer
        return queue

    def _screen_context(self, request, data, access) -> dict:
        base = review_url(data.dossier.pk)
        return {
            "data": data,
            "dossier": data.dossier,
            "access": access,
            "can_edit": access.can_edit,
            "can_take_over": is_administrator_request(request) and not access.can_edit and data.dossier.status in QUEUE_STATUSES,
            # Action addresses are written as prefix + id: reversing a URL per rule costs more than its card.
            "rule_url": base + "rule/",
        }

    def _panels(self, request, pk, access=None) -> dict:
        """The screen's pieces re-rendered after an action (same templates as the full page)."""
        data = dossier_for_review(pk)
        if access is None:
            access = review.review_access(data.dossier, request.user)
        context = self._screen_context(request, data, access)
        context["request"] = request
        render = lambda name: render_to_string(f"admin/dossiers/dossier/review/{name}.html", context, request=request)  # noqa: E731
        render_field_rows(request, data, can_edit=access.can_edit)
        rows = {str(row.field.pk): row.html for group in data.groups for row in group.rows}
        return {
            "rows": rows,
            "groups": {
                str(group.document.pk): {"to_check": group.to_check, "reviewed": group.reviewed, "total": len(group.rows)}
                for group in data.groups
            },
            "panels": {name: render(f"_{name}") for name in ("rules", "matrix", "dossier", "history")},
            "summary": render("_summary"),
            "tabs": {"fields": data.fields_to_check, "matrix": data.matrix.mismatches,
                     "rules": len(data.blocking_rules)},
        }

    def _answer(self, request, pk, message: str, *, anchor: str = "", level=messages.SUCCESS, status=200, extra=None):
        if _wants_json(request):
            body = {"ok": status < 400, "message": message, **(extra or {})}
            if status < 400:
                body.update(self._panels(request, pk))
            return JsonResponse(body, status=status)
        messages.add_message(request, level if status < 400 else messages.ERROR, message)
        return HttpResponseRedirect(self._review_url(pk, anchor))

    def _post_only(self, request):
        if request.method != "POST":
            raise ReviewStudioError("Cette action se fait par un envoi de formulaire (POST).", 405)

    def _run(self, request, pk, action, *, anchor=""):
        """Run ``action()`` -> message; turn the review errors into answers with a status."""
        try:
            self._post_only(request)
            if not review.is_reviewer(request.user):
                raise PermissionDenied("Seuls les validateurs et les administrateurs peuvent faire cette action.")
            message = action()
        except ReviewStudioError as error:
            return self._answer(request, pk, str(error), anchor=anchor, status=error.status)
        except review.ApprovalRefused as error:
            return self._answer(request, pk, str(error), anchor=anchor, status=409, extra={"blockers": error.blockers})
        except (review.NotHolder, PermissionDenied) as error:
            return self._answer(request, pk, str(error) or "Action non autorisée.", anchor=anchor, status=403)
        except ValidationError as error:
            return self._answer(request, pk, " ".join(error.messages), anchor=anchor, status=400)
        except ValueError as error:  # a typed value that is not a value of its type (extraction.normalise)
            return self._answer(request, pk, str(error), anchor=anchor, status=400)
        return self._answer(request, pk, message, anchor=anchor)

    def field_action_view(self, request, pk, field_pk, action):
        """Confirm (``confirm``), correct (``correct``, with ``value``) or mark wrong (``wrong``) a field."""
        dossier = self._dossier_or_404(request, pk)
        field = get_object_or_404(
            ExtractedField.objects.select_related("schema", "document__document_type", "dossier"), pk=field_pk, dossier=dossier
        )

        def act():
            review.require_holder(dossier, request.user)
            label = field.schema.label
            if action == "confirm":
                feedback.confirm_field(field, request.user, request=request)
                return f"« {label} » confirmé."
            if action == "correct":
                result = feedback.correct_field(field, request.POST.get("value", ""), request.user, request=request)
                return f"« {label} » corrigé." if result is None or result.kind == "corrected" else f"« {label} » confirmé."
            if action == "wrong":
                feedback.mark_field_wrong(field, request.user, note=request.POST.get("note", ""), request=request)
                return f"« {label} » marqué faux."
            raise ReviewStudioError("Action inconnue.", 404)

        return self._run(request, pk, act, anchor=f"field-{field_pk}")

    def override_view(self, request, pk, result_pk):
        """Override a failed rule result, with a mandatory reason (``rules.services.override_rule_result``)."""
        dossier = self._dossier_or_404(request, pk)
        result = get_object_or_404(RuleResult.objects.select_related("rule"), pk=result_pk, dossier=dossier)

        def act():
            review.require_holder(dossier, request.user)
            reason = request.POST.get("reason", "").strip()
            if not reason:
                raise ReviewStudioError("Le motif de la dérogation est obligatoire.")
            if not result.rule.overridable:
                raise ReviewStudioError(f"La règle « {result.rule.name} » n'accepte pas de dérogation.", 403)
            override_rule_result(result, user=request.user, reason=reason, request=request)
            return f"Dérogation enregistrée pour « {result.rule.name} »."

        return self._run(request, pk, act, anchor=f"rule-{result_pk}")

    def decide_view(self, request, pk, decision):
        """Approve or reject, then open the next dossier in the queue."""
        dossier = self._dossier_or_404(request, pk)
        try:
            self._post_only(request)
            if decision == "approve":
                review.approve_dossier(dossier, request.user, comment=request.POST.get("comment", ""), request=request)
                message = f"Dossier {dossier.reference} validé."
            elif decision == "reject":
                review.reject_dossier(
                    dossier, request.user, reason=request.POST.get("reason", ""),
                    comment=request.POST.get("comment", ""), request=request,
                )
                message = f"Dossier {dossier.reference} refusé ; l'installateur est prévenu par e-mail."
            else:
                raise ReviewStudioError("Décision inconnue.", 404)
        except ReviewStudioError as error:
            return self._answer(request, pk, str(error), status=error.status)
        except review.ApprovalRefused as error:
            return self._answer(request, pk, str(error), status=409, extra={"blockers": error.blockers})
        except (review.NotHolder, PermissionDenied) as error:
            return self._answer(request, pk, str(error), status=403)
        except ValidationError as error:
            return self._answer(request, pk, " ".join(error.messages), status=400)
        return self._go_next(request, dossier, message)

    def _go_next(self, request, current: Dossier, message: str):
        following = review.next_in_queue(request.user, after=current)
        url = self._review_url(following.pk) if following else reverse("admin:dossiers_dossier_changelist")
        if following is None:
            message += " La file est vide : plus aucun dossier à prendre."
        if _wants_json(request):
            return JsonResponse({"ok": True, "message": message, "redirect": url})
        messages.success(request, message)
        return HttpResponseRedirect(url)

    def release_view(self, request, pk):
        dossier = self._dossier_or_404(request, pk)
        try:
            self._post_only(request)
            review.release(dossier, request.user, request=request)
        except ReviewStudioError as error:
            return self._answer(request, pk, str(error), status=error.status)
        except (review.ReviewError, PermissionDenied) as error:
            return self._answer(request, pk, str(error), status=403)
        messages.success(request, f"Dossier {dossier.reference} remis dans la file.")
        return HttpResponseRedirect(reverse("admin:dossiers_dossier_changelist"))

    def take_over_view(self, request, pk):
        dossier = self._dossier_or_404(request, pk)
        try:
            self._post_only(request)
            review.take_over(dossier, request.user, request=request)
        except ReviewStudioError as error:
            return self._answer(request, pk, str(error), status=error.status)
        except (review.ReviewError, PermissionDenied, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            return self._answer(request, pk, text, status=403)
        messages.success(request, f"Vous avez repris le dossier {dossier.reference}.")
        return HttpResponseRedirect(self._review_url(pk))

    def save_and_next_view(self, request, pk):
        """"Enregistrer et suivant": every verdict is already saved; keep this dossier and open the next."""
        dossier = self._dossier_or_404(request, pk)
        if request.method != "POST":
            return self._answer(request, pk, "Cette action se fait par un envoi de formulaire (POST).", status=405)
        return self._go_next(request, dossier, f"Dossier {dossier.reference} gardé en revue.")

    def next_view(self, request):
        """The queue's "Dossier suivant" button: open the validator's next dossier."""
        if not review.is_reviewer(request.user):
            raise PermissionDenied
        following = review.next_in_queue(request.user)
        if following is None:
            messages.info(request, "Aucun dossier à prendre : la file est vide.")
            return HttpResponseRedirect(reverse("admin:dossiers_dossier_changelist"))
        return HttpResponseRedirect(self._review_url(following.pk))
