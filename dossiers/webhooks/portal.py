"""Portal pages of webhooks (/portail/webhooks/): register, test, read the log, reactivate, delete."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ..portal.views import installer_required
from . import selectors, services
from .models import SUBSCRIBABLE_EVENTS, WebhookDelivery


class WebhookForm(forms.Form):
    url = forms.URLField(label="URL de réception", max_length=500, assume_scheme="https",
                         help_text="Adresse publique http(s) de votre serveur, qui recevra un POST JSON signé par événement.")
    description = forms.CharField(label="Description", max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label="Événements", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(e.value, e.label) for e in SUBSCRIBABLE_EVENTS], help_text="Aucun coché : tous les événements.",
    )


@installer_required
def webhooks(request):
    """The company's endpoints and the creation form; the new secret is shown once."""
    form = WebhookForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_endpoint(installer=request.user.installer, user=request.user, request=request,
                                               **form.cleaned_data)
            form = WebhookForm()
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
    response = render(request, "portal/webhooks.html", {
        "form": form, "endpoints": selectors.endpoints_of(request.user), "created": created,
    })
    if created:
        response["Cache-Control"] = "no-store"
    return response


def _endpoint(request, pk: int):
    return get_object_or_404(selectors.endpoints_of(request.user), pk=pk)


@installer_required
def webhook_detail(request, pk: int):
    endpoint = _endpoint(request, pk)
    return render(request, "portal/webhook_detail.html", {
        "endpoint": endpoint, "deliveries": selectors.delivery_log(endpoint), "Status": WebhookDelivery.Status,
    })


@require_POST
@installer_required
def webhook_test(request, pk: int):
    delivery = services.send_test(_endpoint(request, pk))
    if delivery.status == WebhookDelivery.Status.SUCCEEDED:
        messages.success(request, f"Envoi de test reçu : réponse HTTP {delivery.last_status_code}.")
    else:
        messages.error(request, f"L'envoi de test a échoué : {delivery.last_error}")
    return redirect("portal:webhook", pk=pk)


@require_POST
@installer_required
def webhook_reactivate(request, pk: int):
    endpoint = services.reactivate_endpoint(_endpoint(request, pk), user=request.user, request=request)
    messages.success(request, f"Webhook {endpoint.url} réactivé : les événements en attente partent dans l'ordre.")
    return redirect("portal:webhook", pk=pk)


@require_POST
@installer_required
def webhook_delete(request, pk: int):
    endpoint = _endpoint(request, pk)
    services.delete_endpoint(endpoint, user=request.user, request=request)
    messages.success(request, f"Webhook {endpoint.url} supprimé.")
    return redirect("portal:webhooks")
