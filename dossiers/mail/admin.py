"""Mail ingestion in the admin: mailboxes (password write-only) with their sender rules, and
the read-only journal of the mails read."""
from __future__ import annotations

from django import forms
from django.contrib import admin

from cee.admin import PrettyJSONAdminMixin, ReadOnlyAdminMixin

from .models import MailAccount, MailLog, MailRule
from .services import fetch_mail


class MailAccountForm(forms.ModelForm):
    """The password is write-only: never rendered back, kept unchanged when left empty."""

    password = forms.CharField(
        label="mot de passe", required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Jamais réaffiché. Laissez vide pour conserver le mot de passe enregistré.",
    )

    class Meta:
        model = MailAccount
        fields = "__all__"

    def clean_password(self):
        password = self.cleaned_data.get("password", "")
        if password:
            return password
        if self.instance.pk:
            return MailAccount.objects.filter(pk=self.instance.pk).values_list("password", flat=True).first() or ""
        raise forms.ValidationError("Indiquez le mot de passe de la boîte mail.")


class MailRuleInline(admin.TabularInline):
    model = MailRule
    fields = ["sender", "installer", "is_active"]
    autocomplete_fields = ["installer"]
    extra = 1


@admin.register(MailAccount)
class MailAccountAdmin(admin.ModelAdmin):
    form = MailAccountForm
    list_display = ["name", "username", "host", "folder", "is_active", "last_checked_at", "has_error"]
    list_filter = ["is_active"]
    search_fields = ["name", "username", "host"]
    fieldsets = [
        (None, {"fields": ["name", "is_active"]}),
        ("Connexion", {"fields": ["security", "host", "port", "username", "password", "folder"]}),
        ("Après traitement", {"fields": ["done_action", "done_folder", "reply_to_sender"]}),
        ("Dernier relevé", {"fields": ["last_checked_at", "last_error"]}),
    ]
    readonly_fields = ["last_checked_at", "last_error"]
    inlines = [MailRuleInline]
    actions = ["fetch_now"]

    @admin.display(boolean=True, description="erreur")
    def has_error(self, obj):
        return bool(obj.last_error)

    @admin.action(description="Relever maintenant les boîtes sélectionnées")
    def fetch_now(self, request, queryset):
        for account in queryset:
            report = fetch_mail(account)
            errors = f" Erreurs : {' ; '.join(report.errors)}" if report.errors else ""
            self.message_user(
                request,
                f"{account.name} : {report.stored} message(s) enregistré(s), {report.not_stored} non enregistré(s), "
                f"{report.marked} marqué(s) traité(s).{errors}",
            )


@admin.register(MailLog)
class MailLogAdmin(ReadOnlyAdminMixin, PrettyJSONAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "account", "sender", "subject", "outcome", "dossier", "accepted_files", "replied", "marked"]
    list_filter = ["outcome", "account"]
    search_fields = ["sender", "subject", "message_id", "dossier__reference"]
    list_select_related = ["account", "dossier"]
    date_hierarchy = "created_at"

    @admin.display(description="pièces acceptées")
    def accepted_files(self, obj):
        return f"{obj.accepted_count} / {len(obj.files)}"

    @admin.display(boolean=True, description="réponse envoyée")
    def replied(self, obj):
        return obj.reply_sent_at is not None if obj.reply_wanted or obj.reply_sent_at else None

    @admin.display(boolean=True, description="marqué traité")
    def marked(self, obj):
        return obj.marked_done_at is not None
