"""Admin of users, installer companies, API tokens and the activity log."""
from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from cee.admin import PrettyJSONAdminMixin, ReadOnlyAdminMixin, ReadOnlyInlineMixin, pretty_json_html

from .activity import log_activity
from .forms import InstallerForm, UserAddForm, UserEditForm
from .models import Activity, ApiToken, IdempotencyKey, Installer, RgeChangeRequest, User
from .rge import approve_rge_change, reject_rge_change
from .roles import ROLE_GROUP_NAMES
from .tokens import revoke_token


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users log in with their e-mail. Their role decides their group and their admin access
    (administrators and validators); an installer user belongs to one company."""

    form = UserEditForm
    add_form = UserAddForm
    list_display = ["email", "full_name", "role", "installer", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_superuser", ("installer", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["email", "first_name", "last_name", "installer__name", "installer__siret"]
    list_select_related = ["installer"]
    ordering = ["email"]
    autocomplete_fields = ["installer"]
    readonly_fields = ["is_staff", "role_group", "last_login", "date_joined"]
    filter_horizontal = ["user_permissions"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "phone"]}),
        (
            "Rôle et entreprise",
            {
                "fields": ["role", "installer", "is_active", "is_staff", "role_group"],
                "description": "Un installateur est rattaché à une entreprise ; un administrateur ou un validateur à aucune. "
                "L'accès à l'administration et le groupe de permissions découlent du rôle.",
            },
        ),
        ("Permissions avancées", {"fields": ["is_superuser", "user_permissions"], "classes": ["collapse"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "role", "installer", "usable_password", "password1", "password2"],
                "description": "Choisissez l'entreprise uniquement pour un installateur.",
            },
        ),
    ]

    @admin.display(description="nom")
    def full_name(self, obj):
        return obj.get_full_name()

    @admin.display(description="groupe")
    def role_group(self, obj):
        return ROLE_GROUP_NAMES.get(obj.role, "—")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # Only a superuser hands out superuser rights or individual permissions.
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly


class InstallerUserInline(ReadOnlyInlineMixin, admin.TabularInline):
    """The company's users, for information; they are edited from the users' page."""

    model = User
    fields = ["email", "first_name", "last_name", "role", "is_active", "last_login"]
    show_change_link = True
    verbose_name = "utilisateur de l'entreprise"
    verbose_name_plural = "utilisateurs de l'entreprise"

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Installer)
class InstallerAdmin(PrettyJSONAdminMixin, SimpleHistoryAdmin):
    form = InstallerForm
    list_display = ["name", "siret", "city", "rge_number", "rge_status", "rge_valid_until", "user_count", "is_active"]
    list_filter = ["rge_status", "is_active"]
    search_fields = ["name", "siret", "siren", "city", "rge_number", "contract_reference"]
    inlines = [InstallerUserInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "siret", "siren", "is_active"]}),
        ("Coordonnées", {"fields": ["address", "postal_code", "city", "contact_name", "email", "phone"]}),
        ("Qualification RGE", {"fields": ["rge_number", "rge_status", "rge_valid_from", "rge_valid_until", "qualifications"]}),
        ("Contrat", {"fields": ["contract_reference"]}),
        ("Suivi", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(user_count=Count("users"))

    @admin.display(description="utilisateurs", ordering="user_count")
    def user_count(self, obj):
        return obj.user_count


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued from the portal (the key is shown once); here they are listed and revoked."""

    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at", "active"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["name", "prefix", "user__email", "user__installer__name"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = readonly_fields
    actions = ["revoke"]

    @admin.display(description="actif", boolean=True)
    def active(self, obj):
        return obj.is_active

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Revoke instead: the token's row stays as the trace of its use.
        return False

    @admin.action(description="Révoquer les jetons sélectionnés", permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True).select_related("user"):
            revoke_token(token)
            log_activity(
                "api_token_revoked", actor=request.user, target=token,
                description=f"Jeton {token.prefix}… de {token.user.email} révoqué", request=request,
            )
            count += 1
        self.message_user(request, f"{count} jeton(s) révoqué(s).", messages.SUCCESS)


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The API's remembered first responses (Idempotency-Key), for support: read-only."""

    list_display = ["created_at", "user", "method", "path", "key", "response_status", "completed_at"]
    list_filter = ["method", "response_status", "created_at"]
    search_fields = ["key", "path", "user__email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    fields = ["user", "key", "method", "path", "request_hash", "response_status", "response_body_display",
              "created_at", "completed_at"]
    readonly_fields = fields

    @admin.display(description="corps de la réponse")
    def response_body_display(self, obj):
        return pretty_json_html(obj.response_body)



@admin.register(RgeChangeRequest)
class RgeChangeRequestAdmin(admin.ModelAdmin):
    """Installers' RGE changes: nothing changes for the company until one is approved here
    (check the certificate, e.g. on the public RGE list, first)."""

    list_display = ["created_at", "installer", "requested_by", "rge_number", "rge_valid_from", "rge_valid_until",
                    "status", "decided_by", "decided_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["installer__name", "installer__siret", "rge_number", "requested_by__email"]
    list_select_related = ["installer", "requested_by", "decided_by"]
    date_hierarchy = "created_at"
    fields = ["installer", "requested_by", "created_at", "status", "changed_fields", "rge_number", "rge_valid_from",
              "rge_valid_until", "qualifications", "current_rge", "decided_by", "decided_at", "decision_note"]
    readonly_fields = [name for name in fields if name != "decision_note"]
    actions = ["approve", "reject"]

    @admin.display(description="données RGE actuelles de l'entreprise")
    def current_rge(self, obj):
        installer = obj.installer
        return (f"n° {installer.rge_number or '—'}, du {installer.rge_valid_from or '—'} au "
                f"{installer.rge_valid_until or '—'}, qualifications : {', '.join(installer.qualifications or []) or '—'}")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the request is the trace of who asked what

    def _decide(self, request, queryset, decide, done: str):
        count, refused = 0, []
        for change in queryset.select_related("installer"):
            try:
                decide(change)
            except ValidationError as error:
                refused.append(f"{change.installer.name} : {' '.join(error.messages)}")
            else:
                count += 1
        self.message_user(request, f"{count} demande(s) {done}.", messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description="Approuver : appliquer les données RGE demandées", permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, lambda change: approve_rge_change(change, user=request.user, request=request), "approuvée(s)")

    @admin.action(description="Refuser les demandes sélectionnées", permissions=["change"])
    def reject(self, request, queryset):
        self._decide(
            request, queryset,
            lambda change: reject_rge_change(change, user=request.user, note=change.decision_note, request=request),
            "refusée(s)",
        )


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The activity log: read-only, never edited or deleted from the admin."""

    list_display = ["created_at", "actor", "verb", "dossier", "description", "ip_address"]
    list_filter = ["verb", "created_at"]
    search_fields = ["description", "verb", "dossier__reference", "actor__email", "object_id"]
    list_select_related = ["actor", "dossier"]
    date_hierarchy = "created_at"
    fields = ["created_at", "actor", "verb", "dossier", "content_type", "object_id", "description", "metadata_display",
              "ip_address", "user_agent"]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description="données")
    def metadata_display(self, obj):
        return pretty_json_html(obj.metadata)
