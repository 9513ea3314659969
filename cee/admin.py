"""Admin mixins every app's ModelAdmins use.

``ReadOnlyAdminMixin``: pages that show records nobody edits by hand (logs, counters, traces).

JSON fields in the admin: indented and editable, validated, shown read-only as a block.
Configuration lives in JSON columns (cumac tables, hints, parameters). An administrator
edits them as indented JSON; a typo is reported on the field instead of saved.
Any ModelAdmin can use ``PrettyJSONAdminMixin``.
"""
from __future__ import annotations

import json

from django import forms
from django.db import models
from django.forms.fields import InvalidJSONInput
from django.utils.html import format_html


class PrettyJSONWidget(forms.Textarea):
    def __init__(self, attrs=None):
        defaults = {"rows": 16, "cols": 100, "style": "font-family: monospace; width: 95%;", "spellcheck": "false"}
        super().__init__({**defaults, **(attrs or {})})


class PrettyJSONField(forms.JSONField):
    """A JSON form field that shows its value indented, accents kept."""

    widget = PrettyJSONWidget
    default_error_messages = {"invalid": "JSON invalide : vérifiez les guillemets, virgules et accolades."}

    def __init__(self, *args, empty_json=None, **kwargs):
        # An emptied textarea saves the column's default ({} or []), not NULL.
        self.empty_json = empty_json
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return self.empty_json
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, InvalidJSONInput):
            return value
        return json.dumps(value, indent=2, ensure_ascii=False, cls=self.encoder)


def json_object(value, *, field_label: str = "Ce champ"):
    """Return ``value`` when it is a JSON object (dict); raise a ValidationError otherwise."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise forms.ValidationError(f"{field_label} : un objet JSON ({{…}}) est attendu, pas une liste ni une valeur seule.")
    return value


def pretty_json_html(value):
    """A read-only ``<pre>`` block of ``value`` as indented JSON."""
    return format_html(
        '<pre style="white-space: pre-wrap; margin: 0;">{}</pre>',
        json.dumps(value, indent=2, ensure_ascii=False, default=str),
    )


class PrettyJSONAdminMixin:
    """Edit every JSONField of the model as indented JSON (put it before ModelAdmin)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.JSONField):
            kwargs.setdefault("form_class", PrettyJSONField)
            if not db_field.null:
                kwargs.setdefault("empty_json", db_field.get_default())
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ReadOnlyAdminMixin:
    """No add, change or delete from the admin: the list and the detail page stay visible to
    whoever has the view permission. Put it before ModelAdmin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInlineMixin:
    """An inline that shows related rows for information: every listed field read-only, no
    added or deleted row, no empty extra form. Put it before TabularInline / StackedInline."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return list(self.fields or ()) + list(self.readonly_fields)

    def has_add_permission(self, request, obj=None):
        return False
