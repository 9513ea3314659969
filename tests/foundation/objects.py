"""Build one saved object of any model, for tests that must cover every registered model.

Known models come from the shared factories; any other model gets its required fields
filled from their types, reusing an existing row for each required foreign key.
"""
from __future__ import annotations

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from accounts.models import Installer, User
from documents.models import DocumentSearchVector
from dossiers.models import Dossier
from tests.factories import DocumentFactory, DossierFactory, InstallerFactory, UserFactory


def _document_search_vector():
    """On PostgreSQL the trigger wrote the row when the document was inserted."""
    return DocumentSearchVector.objects.get_or_create(document=DocumentFactory(text="Devis de pompe à chaleur"))[0]


FACTORIES = {Installer: InstallerFactory, User: UserFactory, Dossier: DossierFactory,
             DocumentSearchVector: _document_search_vector}

# Values a model needs to be visible through its own manager (django-q2's failed tasks are a
# proxy of Task filtered on success=False).
FIELD_OVERRIDES = {"django_q.Failure": {"success": False}}


def any_object(model):
    """An existing row of ``model``, or a new one."""
    return model._default_manager.order_by("pk").first() or make_object(model)


def make_object(model):
    """Create and return a new row of ``model`` with every required field filled."""
    if model in FACTORIES:
        return FACTORIES[model]()
    if model is ContentType:
        return ContentType.objects.get_for_model(User)
    values = {}
    for field in model._meta.concrete_fields:
        if _optional(field):
            continue
        values[field.name] = _value_for(field)
    values.update(FIELD_OVERRIDES.get(model._meta.label, {}))
    return model._default_manager.create(**values)


def _optional(field) -> bool:
    if isinstance(field, models.AutoField):
        return True
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return True
    if field.null or field.has_default():
        return True
    # Blank text is a valid value; a blank non-text field still needs one.
    return field.blank and isinstance(field, (models.CharField, models.TextField, models.FileField))


def _value_for(field):
    if field.is_relation:
        related = field.related_model
        # A one-to-one target must be fresh; any existing row does for a foreign key.
        return make_object(related) if field.one_to_one else any_object(related)
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.EmailField):
        return f"{uuid.uuid4().hex[:10]}@exemple.fr"
    if isinstance(field, models.GenericIPAddressField):
        return "127.0.0.1"
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.DurationField):
        return datetime.timedelta(seconds=1)
    if isinstance(field, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(field, (models.IntegerField, models.FloatField)):
        # Year-like keys and positive counters both accept this.
        return 2026 if field.primary_key else 1
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, (models.CharField, models.TextField)):
        text = uuid.uuid4().hex
        return text[: field.max_length] if field.max_length else text
    if isinstance(field, models.BinaryField):
        return b"x"
    raise NotImplementedError(f"No test value for {field.model.__name__}.{field.name} ({type(field).__name__})")
