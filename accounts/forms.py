"""Admin forms for users and installer companies."""
from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import Installer, User
from .validators import normalise_identifier


def _email_taken(email: str, exclude_pk=None) -> bool:
    # E-mails are compared case-insensitively, as at login (UserManager.get_by_natural_key).
    return User.objects.filter(email__iexact=email).exclude(pk=exclude_pk).exists()


class UserAddForm(AdminUserCreationForm):
    """Create a user: e-mail, role, company (installers only) and a password (or none yet)."""

    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role", "installer")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if _email_taken(email):
            raise forms.ValidationError("Un utilisateur avec cette adresse e-mail existe déjà.", code="unique")
        return email


class UserEditForm(UserChangeForm):
    """Change a user; the role/company rule is checked by ``User.clean``."""

    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if _email_taken(email, exclude_pk=self.instance.pk):
            raise forms.ValidationError("Un utilisateur avec cette adresse e-mail existe déjà.", code="unique")
        return email


class InstallerForm(forms.ModelForm):
    """An installer company. SIRET and SIREN may be typed with spaces; they are stored as digits
    and checked (14 digits, Luhn key, La Poste exception)."""

    siret = forms.CharField(label="SIRET", max_length=30, help_text="14 chiffres, espaces acceptés (ex. 732 829 320 00074).")
    siren = forms.CharField(
        label="SIREN", max_length=20, required=False, help_text="Laissé vide, il est déduit du SIRET (9 premiers chiffres)."
    )

    class Meta:
        model = Installer
        fields = "__all__"

    def clean_siret(self):
        return normalise_identifier(self.cleaned_data["siret"])

    def clean_siren(self):
        return normalise_identifier(self.cleaned_data.get("siren", ""))
