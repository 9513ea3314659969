"""The field schemas' extraction hints, compiled once per spec (the keys are described in
``extraction.fields``)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from cee.text import fold
from ..types import FieldSpec
from .text import token_texts

STRING_MAX_WORDS = 12


@dataclass
class _Label:
    tokens: list[str]
    weight: float


@dataclass
class _Hints:
    labels: list[_Label]
    negative_labels: list[list[str]]
    right: bool
    below: bool
    max_below: int
    table: bool
    row_labels: list[list[str]]
    regex: list[re.Pattern]
    value_regex: re.Pattern | None
    percent: str
    currency: bool
    absolute: bool
    units: list[str]
    skip_units: list[str]
    zone: str | None
    context: tuple[tuple[str, ...], ...]
    avoid_context: tuple[tuple[str, ...], ...]
    block: dict | None
    block_anchors: list[_Label]
    scan: bool
    presence: dict | None
    max_words: int
    first_page_only: bool
    top_line: float
    top_line_exclude: tuple[tuple[str, ...], ...]
    statement: dict | None
    recipient: str | None = None
    recipient_weight: float = 0.7
    dateline: float = 0.0
    legal_form: float = 0.0
    holder: float = 0.0
    lexicon: str | None = None
    multiple: bool = False
    list_items: bool = False
    reject_values: frozenset = frozenset()
    period: str | None = None
    period_labels: frozenset = frozenset()
    max_value: float | None = None
    min_value: float | None = None
    split_name: dict | None = None
    party: dict | None = None
    quantity: dict | None = None
    sum_of: tuple[str, ...] = ()
    one_person: bool = False
    date_beside: dict | None = None
    distinct_from: tuple[str, ...] = ()
    company_name: bool = False  # the installer's name (hint « installer »: « name »)
    mail_domain: float = 0.0  # weight of the words spelling the document's e-mail or web domain
    town_after_postal: float = 0.0  # weight of a town after a labelled postal code and a garbled label
    avoid_section: tuple[tuple[str, ...], ...] = ()  # words of a numbered section heading the label is not under

    def in_value_regex(self, text: str) -> str | None:
        """``text`` cut to the field's ``value_regex`` (its first group, else the whole match);
        ``text`` as is without the hint; None where it does not fit."""
        if self.value_regex is None:
            return text
        m = self.value_regex.search(text)
        if not m:
            return None
        return (m.group(1) if m.groups() and m.group(1) is not None else m.group(0)).strip()

    @classmethod
    def from_spec(cls, spec: FieldSpec) -> "_Hints":
        seen = _HINTS_BY_ID.get(id(spec))
        if seen is not None and seen[0] is spec:
            return seen[1]
        key = (spec.name, spec.label, spec.data_type, json.dumps(spec.hints or {}, sort_keys=True, ensure_ascii=False))
        compiled = _HINTS_CACHE.get(key)
        if compiled is None:
            compiled = _HINTS_CACHE[key] = cls._compile(spec)
        if len(_HINTS_BY_ID) > 4096:
            _HINTS_BY_ID.clear()
        _HINTS_BY_ID[id(spec)] = (spec, compiled)
        return compiled

    @classmethod
    def _compile(cls, spec: FieldSpec) -> "_Hints":
        h = spec.hints or {}
        raw_labels = h.get("labels") or [spec.label]
        if isinstance(raw_labels, dict):
            items = list(raw_labels.items())
        else:
            items = [(label, 1.0) for label in raw_labels]
        labels = [_Label(token_texts(text), float(weight)) for text, weight in items if token_texts(text)]
        presence = h.get("presence")
        if presence is True:
            presence = {}
        statement = h.get("statement")
        if statement is True:
            statement = {}
        return cls(
            labels=labels,
            negative_labels=[token_texts(t) for t in h.get("negative_labels", []) if token_texts(t)],
            right=h.get("right", True),
            below=h.get("below", True),
            max_below=int(h.get("max_below", 2)),
            table=bool(h.get("table", False)),
            row_labels=[token_texts(t) for t in h.get("row_labels", []) if token_texts(t)],
            regex=[re.compile(p, re.IGNORECASE) for p in h.get("regex", [])],
            value_regex=re.compile(h["value_regex"], re.IGNORECASE) if h.get("value_regex") else None,
            percent=h.get("percent", "allow"),
            currency=bool(h.get("currency", False)),
            absolute=bool(h.get("absolute", False)),
            units=[_fold_unit(u) for u in h.get("units", [])],
            skip_units=[_fold_unit(u) for u in h.get("skip_units", [])],
            zone=h.get("zone"),
            context=tuple(tuple(token_texts(t)) for t in h.get("context", []) if token_texts(t)),
            avoid_context=tuple(tuple(token_texts(t)) for t in h.get("avoid_context", []) if token_texts(t)),
            block=h.get("block"),
            block_anchors=[_Label(token_texts(t), 1.0) for t in (h.get("block") or {}).get("anchors", []) if token_texts(t)],
            scan=bool(h.get("scan", False)),
            presence=presence if isinstance(presence, dict) else None,
            max_words=int(h.get("max_words", STRING_MAX_WORDS)),
            first_page_only=bool(h.get("first_page_only", False)),
            top_line=float(h.get("top_line", 0) or 0),
            top_line_exclude=tuple(tuple(token_texts(t)) for t in h.get("top_line_exclude", []) if token_texts(t)),
            statement=statement if isinstance(statement, dict) else None,
            recipient=h.get("recipient"),
            recipient_weight=float(h.get("recipient_weight", 0.7)),
            dateline=float(h.get("dateline", 0) or 0),
            legal_form=float(h.get("legal_form", 0) or 0),
            holder=float(h.get("holder", 0) or 0),
            lexicon=h.get("lexicon"),
            multiple=bool(h.get("multiple", False)),
            list_items=bool(h.get("list", False)),
            reject_values=frozenset(tuple(token_texts(t)) for t in h.get("reject_values", []) if token_texts(t)),
            period=h.get("period"),
            period_labels=frozenset(tuple(token_texts(t)) for t in h.get("period_labels", []) if token_texts(t)),
            max_value=float(h["max_value"]) if h.get("max_value") is not None else None,
            min_value=float(h["min_value"]) if h.get("min_value") is not None else None,
            split_name=h.get("split_name") if isinstance(h.get("split_name"), dict) else None,
            party=h.get("party") if isinstance(h.get("party"), dict) else None,
            quantity=h.get("quantity") if isinstance(h.get("quantity"), dict) else None,
            sum_of=tuple(str(name) for name in h.get("sum_of", ()) if name) if isinstance(h.get("sum_of"), list) else (),
            one_person=bool(h.get("one_person", False)),
            date_beside=h.get("date_beside") if isinstance(h.get("date_beside"), dict) else None,
            company_name=h.get("installer") == "name",
            mail_domain=float(h.get("mail_domain", 0) or 0),
            town_after_postal=float(h.get("town_after_postal", 0) or 0),
            distinct_from=tuple(str(n) for n in h.get("distinct_from", ()) if n) if isinstance(h.get("distinct_from"), list) else (),
            avoid_section=tuple(tuple(token_texts(t)) for t in h.get("avoid_section", []) if token_texts(t)),
        )


_HINTS_CACHE: dict[tuple, "_Hints"] = {}
_HINTS_BY_ID: dict[int, tuple[FieldSpec, "_Hints"]] = {}


def _fold_unit(text: str) -> str:
    return re.sub(r"[\s.]", "", fold(text)).replace("²", "2")
