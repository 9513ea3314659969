"""Forms of the installer portal (French labels; validation mirrors the API's)."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from accounts.models import Installer
from accounts.validators import normalise_identifier, validate_siret
from documents.models import DocumentType
from dossiers.models import HousingType, Operation, PrecarityStatus

POSTAL_CODE = forms.RegexField(
    regex=r"^\d{5}$", required=False, label="Code postal", max_length=5,
    error_messages={"invalid": "Le code postal doit comporter 5 chiffres."},
    widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 6}),
)


def active_operation_choices(day=None) -> list[tuple[str, str]]:
    """(code, "code — name") of the fiches in force today, one per code."""
    day = day or timezone.localdate()
    rows = (
        Operation.objects.filter(is_active=True, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("code", "-valid_from")
        .values_list("code", "name")
    )
    seen: dict[str, str] = {}
    for code, name in rows:
        seen.setdefault(code, f"{code} — {name}")
    return list(seen.items())


class DossierForm(forms.Form):
    """A new dossier (or its correction while it is still editable)."""

    beneficiary_name = forms.CharField(label="Nom du bénéficiaire", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    beneficiary_address = forms.CharField(label="Adresse du bénéficiaire", max_length=255, required=False)
    beneficiary_postal_code = POSTAL_CODE
    beneficiary_city = forms.CharField(label="Ville", max_length=120, required=False)
    beneficiary_email = forms.EmailField(label="E-mail du bénéficiaire", required=False)
    beneficiary_phone = forms.CharField(label="Téléphone du bénéficiaire", max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    works_address = forms.CharField(label="Adresse des travaux", max_length=255, required=False, help_text="Si elle diffère de l'adresse du bénéficiaire.")
    works_postal_code = forms.RegexField(
        regex=r"^\d{5}$", required=False, label="Code postal des travaux", max_length=5,
        error_messages={"invalid": "Le code postal doit comporter 5 chiffres."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    works_city = forms.CharField(label="Ville des travaux", max_length=120, required=False)
    housing_type = forms.ChoiceField(label="Type de logement", choices=HousingType.choices, initial=HousingType.MAISON)
    living_area_m2 = forms.DecimalField(label="Surface habitable (m²)", max_digits=8, decimal_places=2, min_value=0, required=False)
    precarity_status = forms.ChoiceField(
        label="Précarité du ménage", choices=PrecarityStatus.choices, initial=PrecarityStatus.NONE,
        help_text="« Modeste » ou « Très modeste » : joignez l'avis d'imposition.",
    )
    operation_codes = forms.MultipleChoiceField(
        label="Opérations (fiches CEE)", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Facultatif : les fiches sont aussi détectées dans l'attestation sur l'honneur.",
    )
    date_signature = forms.DateField(
        label="Date de signature du devis (engagement)", required=False, widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operation_codes"].choices = active_operation_choices()

    def service_arguments(self) -> dict:
        """The cleaned data shaped for ``create_dossier`` / ``update_dossier``."""
        data = dict(self.cleaned_data)
        date_signature = data.pop("date_signature", None)
        data["timeline"] = {"date_signature": date_signature} if date_signature else {}
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``; each is checked by the ingest."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.heic,.heif,.webp,application/pdf,image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        # Emptiness and types are the ingest's business (one message per file).
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return list(files)


class UploadForm(forms.Form):
    files = MultipleFileField(label="Fichiers", required=False, help_text="PDF ou images ; plusieurs fichiers à la fois.")
    document_type = forms.ModelChoiceField(
        label="Type de document", required=False, empty_label="Je ne sais pas (reconnu automatiquement)",
        queryset=DocumentType.objects.filter(is_active=True), to_field_name="code",
    )


class BulkUploadForm(forms.Form):
    files = MultipleFileField(label="Tous les fichiers du chantier", required=False)


class CompanyForm(forms.ModelForm):
    """The company's self-service details (SIRET checked with its key, RGE validity)."""

    siret = forms.CharField(label="SIRET", max_length=20, help_text="14 chiffres ; les espaces sont acceptés.")
    qualifications = forms.CharField(
        label="Qualifications RGE", required=False, help_text="Domaines couverts, séparés par des virgules.",
    )

    class Meta:
        model = Installer
        fields = [
            "name", "siret", "address", "postal_code", "city", "email", "phone", "contact_name",
            "rge_number", "rge_valid_from", "rge_valid_until", "qualifications",
        ]
        widgets = {
            "rge_valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "rge_valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and isinstance(self.instance.qualifications, list):
            self.initial["qualifications"] = ", ".join(self.instance.qualifications)

    def clean_siret(self) -> str:
        value = self.cleaned_data["siret"]
        validate_siret(value)
        siret = normalise_identifier(value)
        if Installer.objects.filter(siret=siret).exclude(pk=self.instance.pk).exists():
            raise ValidationError("Ce SIRET est déjà celui d'une autre entreprise inscrite.")
        return siret

    def clean_postal_code(self) -> str:
        value = self.cleaned_data.get("postal_code", "")
        if value and not (len(value) == 5 and value.isdigit()):
            raise ValidationError("Le code postal doit comporter 5 chiffres.")
        return value

    def clean_qualifications(self) -> list[str]:
        raw = self.cleaned_data.get("qualifications") or ""
        return [item.strip() for item in raw.split(",") if item.strip()]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("rge_valid_from"), cleaned.get("rge_valid_until")
        if start and end and end < start:
            self.add_error("rge_valid_until", "La fin de validité RGE précède son début.")
        return cleaned

    def _post_clean(self):
        # The model is saved by accounts.profile.update_company_profile, which validates it.
        pass

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton", max_length=100,
        help_text="Pour le reconnaître : « Logiciel de devis », « Script comptable »…",
    )
