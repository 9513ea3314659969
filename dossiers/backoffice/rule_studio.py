"""The rule studio's pages on the Rule admin: "tester cette règle" and the impact preview.
They try a rule on dossiers (with each operation's cumac and premium), so they live with the
dossier app and register the Rule admin (rules.admin.RuleAdmin plus these two pages; same
URLs and names). Thin: forms in, rules.studio computes, a template shows."""
from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from rules import services, studio
from rules.admin import RuleAdmin
from rules.dsl.functions import FUNCTIONS
from rules.forms import ImpactForm, TrialForm, syntax_error_html
from rules.models import Rule, RuleResult

from ..models import Dossier, DossierStatus
from ..workflow.rules_run import dossier_context

# "Processed" for the impact preview: the pipeline has been through them.
PROCESSED_STATUSES = (
    DossierStatus.AWAITING_DOCUMENTS, DossierStatus.READY_FOR_REVIEW, DossierStatus.IN_REVIEW,
    DossierStatus.APPROVED, DossierStatus.REJECTED, DossierStatus.INVOICED, DossierStatus.PAID,
)


def recent_processed_dossiers(limit: int = 200) -> list[Dossier]:
    """The last ``limit`` dossiers the pipeline has processed, most recent first."""
    return list(
        Dossier.objects.filter(status__in=PROCESSED_STATUSES)
        .select_related("installer")
        .order_by("-submitted_at", "-created_at", "-pk")[:limit]
    )


def _dossier_url(dossier_id):
    try:
        return reverse("admin:dossiers_dossier_change", args=[dossier_id])
    except Exception:  # noqa: BLE001 - the dossier admin may not be registered
        return None


def _page(model_admin, request, rule, title, template, context):
    return TemplateResponse(request, template, {
        "functions": [(f.name, f.min_args, f.max_args, f.doc) for f in FUNCTIONS.values()],
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": rule,
        "title": f"{title} : {rule.code}",
        "rule": rule,
        "syntax_error_html": syntax_error_html(context["syntax_error"]) if context.get("syntax_error") else None,
        **context,
    })


def rule_trial(model_admin):
    def view(request, object_id):
        rule = get_object_or_404(Rule, pk=object_id)
        if not model_admin.has_view_permission(request, rule):
            raise PermissionDenied
        form = TrialForm(request.POST or None, initial={"expression": rule.expression},
                         dossiers=Dossier.objects.select_related("installer"))
        trial = None
        if request.method == "POST" and form.is_valid():
            expression = form.cleaned_data["expression"]
            dossier = form.cleaned_data.get("dossier_obj")
            try:
                if dossier is not None:
                    trial = studio.try_on_dossier(rule, dossier, context_for=dossier_context, expression=expression)
                else:
                    trial = studio.try_on_json(rule, form.cleaned_data["context_json"], expression=expression)
            except ValueError as exc:
                form.add_error("context_json", str(exc))
        return _page(model_admin, request, rule, "Tester la règle", "admin/rules/rule/trial.html", {
            "form": form, "trial": trial, "syntax_error": trial.syntax_error if trial else None,
            "dossier_url": _dossier_url(form.cleaned_data["dossier_obj"].pk)
            if trial and form.cleaned_data.get("dossier_obj") else None,
        })

    return view


def rule_impact(model_admin):
    def view(request, object_id):
        rule = get_object_or_404(Rule, pk=object_id)
        if not model_admin.has_view_permission(request, rule):
            raise PermissionDenied
        if request.method == "POST" and "activate" in request.POST:
            if not model_admin.has_change_permission(request, rule):
                raise PermissionDenied
            rule.is_active = True
            try:
                services.save_rule(rule, user=request.user)
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
            else:
                messages.success(request, f"La règle {rule.code} est active : elle s'appliquera aux prochains dossiers.")
            return redirect(reverse("admin:rules_rule_change", args=[rule.pk]))
        data = request.POST if request.method == "POST" else None
        form = ImpactForm(data, initial={"expression": rule.expression, "limit": 200})
        impact = None
        if data is not None and form.is_valid():
            impact = studio.impact_preview(rule, recent_processed_dossiers(form.cleaned_data["limit"]),
                                           context_for=dossier_context, expression=form.cleaned_data["expression"])
        groups = []
        if impact and not impact.syntax_error:
            for status, label in RuleResult.Status.choices:
                rows = [(dossier, _dossier_url(dossier.pk), message) for dossier, message in impact.dossiers[status]]
                groups.append({"status": status, "label": label, "count": impact.counts[status], "rows": rows})
        return _page(model_admin, request, rule, "Aperçu de l'impact", "admin/rules/rule/impact.html", {
            "form": form, "impact": impact, "groups": groups,
            "syntax_error": impact.syntax_error if impact else None,
            "can_activate": not rule.is_active and model_admin.has_change_permission(request, rule),
        })

    return view


class RuleStudioAdmin(RuleAdmin):
    """The Rule admin with the studio's two pages."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/tester/", self.admin_site.admin_view(rule_trial(self)), name="%s_%s_trial" % info),
            path("<path:object_id>/impact/", self.admin_site.admin_view(rule_impact(self)), name="%s_%s_impact" % info),
        ] + super().get_urls()


def register_rule_admin(site=admin.site) -> None:
    """Register the Rule admin (called from DossiersConfig.ready(), after the admin modules are
    loaded: the app order of the admin index stays the one of INSTALLED_APPS)."""
    if not site.is_registered(Rule):
        site.register(Rule, RuleStudioAdmin)
