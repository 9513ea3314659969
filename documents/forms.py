"""The admin's upload form: several files into one dossier, through the ingest service."""
from __future__ import annotations

from django import forms

from dossiers.models import Dossier

from .models import DocumentType


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class DocumentUploadForm(forms.Form):
    dossier = forms.ModelChoiceField(
        queryset=Dossier.objects.select_related("installer").order_by("-created_at"), label="Dossier",
    )
    declared_type = forms.ModelChoiceField(
        queryset=DocumentType.objects.filter(is_active=True), required=False, label="Type déclaré",
        help_text="Facultatif : le type est reconnu automatiquement.",
    )
    files = MultipleFileField(label="Fichiers", help_text="PDF ou images (JPEG, PNG, TIFF, HEIC, WebP) ; plusieurs à la fois.")
    submit_dossier = forms.BooleanField(
        required=False, initial=True, label="Soumettre le dossier et lancer le traitement",
        help_text="Pour un dossier en brouillon ; un dossier déjà soumis est traité automatiquement.",
    )
