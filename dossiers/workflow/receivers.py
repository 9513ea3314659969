"""The dossier workflow's reactions to what the lower apps announce, connected in one place
(``DossiersConfig.ready()``)."""
from __future__ import annotations

from .rules_run import run_rules_for_dossier


def rerun_rules_for_corrected_field(sender, *, field, changed_fields, actor, **kwargs) -> None:
    """``extraction.signals.field_corrected``: re-run the rules that read the field, in the
    verdict's transaction."""
    run_rules_for_dossier(field.dossier, changed_fields=changed_fields, actor=actor)
