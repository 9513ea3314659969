"""Forms of the rule studio."""
from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from .dsl import check_syntax
from .models import Rule

_OPERATION_CODE = re.compile(r"^[A-Z]{2,4}-[A-Z]{2}-[0-9]{3}$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def syntax_error_html(error):
    """A syntax error for the admin: where, what, and the line with a caret under the spot."""
    return format_html(
        "Erreur de syntaxe ligne {}, colonne {} : {}<pre class=\"rule-caret\">{}</pre>",
        error.line, error.column, error.message, error.caret(),
    )


class RuleForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["code", "name", "description", "scope", "operation_codes", "document_type", "severity", "expression",
                  "error_message", "overridable", "is_active"]
        widgets = {
            "expression": forms.Textarea(attrs={"rows": 6, "cols": 100, "class": "rule-expression", "spellcheck": "false"}),
            "description": forms.Textarea(attrs={"rows": 3, "cols": 100}),
        }

    def clean_expression(self):
        expression = self.cleaned_data["expression"]
        error = check_syntax(expression)
        if error is not None:
            raise ValidationError(syntax_error_html(error), code="syntax")
        return expression

    def clean_operation_codes(self):
        codes = self.cleaned_data.get("operation_codes") or []
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise ValidationError('Une liste de codes de fiche est attendue, par ex. ["BAR-EN-101", "BAR-EN-102"].')
        wrong = [code for code in codes if not _OPERATION_CODE.match(code)]
        if wrong:
            raise ValidationError(f"Code(s) de fiche invalide(s) : {', '.join(wrong)}.")
        return codes

    def clean_error_message(self):
        message = self.cleaned_data["error_message"]
        for name in _PLACEHOLDER.findall(message.replace("{{", "").replace("}}", "")):
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+", name):
                raise ValidationError(f"« {{{name}}} » n'est pas un champ (écrire par ex. {{facture.date_facture}}).")
        return message


class TrialForm(forms.Form):
    expression = forms.CharField(
        label="Expression", widget=forms.Textarea(attrs={"rows": 5, "cols": 100, "spellcheck": "false"}),
        help_text="Modifiable ici pour essayer une nouvelle version sans l'enregistrer.",
    )
    dossier = forms.CharField(label="Dossier (référence)", required=False)
    context_json = forms.CharField(
        label="… ou contexte JSON", required=False, widget=forms.Textarea(attrs={"rows": 8, "cols": 100}),
        help_text='Par ex. {"devis": {"date_signature": "2025-03-01"}, "facture": {"date_facture": "2025-04-02"}}',
    )

    def __init__(self, *args, dossiers, **kwargs):
        """``dossiers``: the queryset the dossier reference is looked up in (the studio's page
        passes the dossier app's)."""
        super().__init__(*args, **kwargs)
        self.dossiers = dossiers

    def clean(self):
        data = super().clean()
        reference = (data.get("dossier") or "").strip()
        if reference:
            dossier = self.dossiers.filter(reference=reference).first()
            if dossier is None:
                self.add_error("dossier", f"Aucun dossier de référence « {reference} ».")
            data["dossier_obj"] = dossier
        elif not (data.get("context_json") or "").strip():
            raise ValidationError("Choisir un dossier ou coller un contexte JSON.")
        return data


class ImpactForm(forms.Form):
    expression = forms.CharField(
        label="Expression", widget=forms.Textarea(attrs={"rows": 5, "cols": 100, "spellcheck": "false"}),
        help_text="Modifiable ici pour prévisualiser une nouvelle version avant de l'enregistrer.",
    )
    limit = forms.IntegerField(label="Derniers dossiers traités", min_value=1, max_value=5000, initial=200)
