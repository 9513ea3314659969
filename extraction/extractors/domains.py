"""The company a document's own e-mail address or website names (hint ``mail_domain``: a weight).

A company writes to its clients from its own domain: « contact@isofrance.fr » under the name
« ISO'FRANCE » in a sidebar, « www.renovconcept.fr » beside « RENOV CONCEPT ». Where the name
has no label and no place a reader knows (a logo above it that a scan read as « #7 » or « E / 4 »,
the title printed higher than the name), the words that spell the domain — a cell of their own,
a legal form after them at most — are the company's name. Mailboxes of providers (gmail, orange…)
name nobody; a domain spelt inside a sentence names a partner, not the issuer.
"""
from __future__ import annotations

import re

from ..types import FieldSpec
from .candidates import Candidate, _candidate, _values_in
from .field_hints import _Hints
from .labels import DocumentLayout
from .readers import NO_STOPS
from .text import compact

# « contact@isofrance.fr », « www.renovconcept.fr », « https://eco-alpes.com »: the domain's name
_ADDRESS_RE = re.compile(r"(?:[\w.+-]+@|\bwww\.|https?://(?:www\.)?)([a-z0-9][a-z0-9-]{1,40})\.[a-z]{2,6}\b",
                         re.IGNORECASE)
MAILBOX_PROVIDERS = frozenset({
    "gmail", "googlemail", "hotmail", "outlook", "live", "msn", "yahoo", "ymail", "icloud", "me", "aol", "orange",
    "wanadoo", "free", "sfr", "neuf", "bbox", "laposte", "numericable", "club-internet", "protonmail", "proton",
    "gmx", "example", "mail", "email",
})
LEGAL_FORMS = frozenset({"sa", "sas", "sasu", "sarl", "eurl", "snc", "sci", "ei", "eirl", "scop"})
MIN_DOMAIN = 4  # letters: « eco.fr » names too little to be matched to words
MAX_NAME_WORDS = 5


def domains_of(layout: DocumentLayout) -> set[str]:
    """The names of the domains the document's e-mail addresses and websites are on, spelt
    without signs (« eco-alpes » → « ecoalpes »), providers' mailboxes left out."""
    found = set()
    for page in layout.pages:
        for match in _ADDRESS_RE.finditer(page.text):
            name = match.group(1).lower()
            if name not in MAILBOX_PROVIDERS and len(compact(name)) >= MIN_DOMAIN:
                found.add(compact(name))
    return found


def domain_name_candidates(spec: FieldSpec, hints: _Hints, layout: DocumentLayout) -> list[Candidate]:
    """The first cell of words that spells one of the document's domains, weighted by the hint."""
    domains = domains_of(layout)
    if not domains:
        return []
    for page in layout.pages:
        for line in layout.lines[page.number]:
            for start, end in line.cells:
                words = line.words[start:end]
                while len(words) > 1 and compact(words[-1].text) in LEGAL_FORMS:
                    words = words[:-1]  # « ISO FRANCE SAS »
                if len(words) > MAX_NAME_WORDS or any("@" in w.text or "www" in w.text.lower() for w in words):
                    continue
                if compact(" ".join(w.text for w in words)) in domains:
                    return [_candidate(fv, value_words, hints.mail_domain, page.number, "mail_domain")
                            for fv, value_words in _values_in(spec.data_type, words, hints, NO_STOPS)[:1]]
    return []
