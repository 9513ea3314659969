"""What the portal and the review screen say about a dossier beyond its fields:
``{% missing_premium_reason dossier as why %}`` (why no premium, from
billing.pricing.missing_premium_reason) and ``{% part_types doc documents as types %}`` (the
types of a split file's parts)."""
from __future__ import annotations

from django import template

from billing.pricing import missing_premium_reason as reason_for
from dossiers.models import DossierOperation, Timeline

register = template.Library()


@register.simple_tag
def missing_premium_reason(dossier) -> str:
    if dossier.premium_eur:
        return ""
    codes = list(DossierOperation.objects.filter(dossier_id=dossier.pk).values_list("operation__code", flat=True))
    if not codes:
        return ""
    signed = Timeline.objects.filter(dossier_id=dossier.pk).values_list("date_signature", flat=True).first()
    return reason_for(premium=dossier.premium_eur, engagement_date=signed, installer=dossier.installer_id,
                      operation_codes=codes)


@register.simple_tag
def part_types(document, documents) -> str:
    """« Devis, Facture »: the types of ``document``'s parts among ``documents`` (the dossier's
    list), in page order, each once; a part not classified yet reads « type en cours de
    reconnaissance »."""
    names: list[str] = []
    for part in sorted((d for d in documents if d.parent_id == document.pk), key=lambda d: d.page_start or 0):
        name = part.document_type.name if part.document_type_id else "type en cours de reconnaissance"
        if name not in names:
            names.append(name)
    return ", ".join(names)
