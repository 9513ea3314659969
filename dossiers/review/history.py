"""The review screen's history tab: the activity log and the fields' changes, newest first."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from accounts.models import ActivityVerb

HISTORY_LIMIT = 60


@dataclass
class HistoryEntry:
    at: datetime
    who: str
    what: str
    detail: str
    kind: str  # activity | field


# The activity log's verbs, as the history tab names them (ActivityVerb's French labels).
VERB_LABELS = dict(ActivityVerb.choices)
_FIELD_CHANGES = {"+": "Champ créé", "~": "Champ", "-": "Champ supprimé"}


def history_entries(activities, field_history, field_labels: dict[int, str]) -> list[HistoryEntry]:
    entries = [
        HistoryEntry(
            at=item.created_at,
            who=_who(item.actor),
            what=VERB_LABELS.get(item.verb, "Action non répertoriée"),
            detail=item.description,
            kind="activity",
        )
        for item in activities
    ]
    for record in field_history:
        value = record.corrected_value if record.status == "corrected" else record.value
        label = field_labels.get(record.id, f"champ n° {record.id}")
        entries.append(
            HistoryEntry(
                at=record.history_date,
                who=_who(record.history_user) if record.history_user_id else "pipeline",
                what=_FIELD_CHANGES.get(record.history_type, "Champ"),
                detail=f"{label} — {record.get_status_display().lower()} : {short_text(value) or '(vide)'}",
                kind="field",
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:HISTORY_LIMIT]


def _who(user) -> str:
    if user is None:
        return "système"
    return user.get_full_name() or user.email


def short_text(value, limit: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"
