"""Webhooks in the admin: endpoints (secret never shown) and the delivery log, read-only."""
from __future__ import annotations

from django.contrib import admin

from cee.admin import PrettyJSONAdminMixin, ReadOnlyAdminMixin

from .models import WebhookDelivery, WebhookEndpoint
from .services import reactivate_endpoint


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ["created_at", "event", "dossier", "status", "attempts", "last_status_code", "next_attempt_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-pk"]
    show_change_link = True
    verbose_name_plural = "derniers envois"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("dossier")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "installer", "is_active", "consecutive_failures", "disabled_at", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "installer__name", "installer__siret"]
    list_select_related = ["installer"]
    fields = ["installer", "url", "description", "events", "is_active", "consecutive_failures", "disabled_at",
              "disabled_reason", "created_by", "created_at"]
    readonly_fields = ["installer", "is_active", "consecutive_failures", "disabled_at", "disabled_reason", "created_by",
                       "created_at"]
    inlines = [WebhookDeliveryInline]
    actions = ["reactivate"]

    @admin.action(description="Réactiver les webhooks sélectionnés (et envoyer ce qui attend)")
    def reactivate(self, request, queryset):
        endpoints = list(queryset.filter(is_active=False))
        for endpoint in endpoints:
            reactivate_endpoint(endpoint, user=request.user, request=request)
        self.message_user(request, f"{len(endpoints)} webhook(s) réactivé(s).")

    def has_add_permission(self, request):
        return False  # installers register their endpoints (portal, API): the secret is theirs


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(PrettyJSONAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "event", "endpoint", "dossier", "status", "attempts", "last_status_code", "next_attempt_at"]
    list_filter = ["status", "event"]
    search_fields = ["endpoint__url", "dossier__reference", "event_id"]
    list_select_related = ["endpoint__installer", "dossier"]
    date_hierarchy = "created_at"
