"""The parties of a contract, read from its preamble, and the correspondents of a printed e-mail.

A French convention names its parties before its articles, each with the role the rest of the
text calls it by::

    ENTRE LES SOUSSIGNÉS :
    La société Énergies du Santerre SAS, dont le siège social est situé …, ci-après dénommée
    « l'Obligé »,                                                               D'UNE PART,
    ET :
    Madame MAILLET Danielle, demeurant …, ci-après dénommé(e) « le Bénéficiaire »,  D'AUTRE PART,

The party is the name opening the clause that ends with « ci-après dénommé(e) « <rôle> » »:
from the start of that clause (after « Entre », « Et », « D'une part », or the previous
party's role) to its first comma or to the word that opens its description (« dont », «
demeurant », « représentée », « immatriculée »…). « D'une part » / « D'autre part » and the
article headings are never names.

A printed e-mail (Outlook, Thunderbird, a webmail) names its sender and recipient in its
headers: « De : Service Primes – ELMY Énergies <primes@elmy.fr> », « À : Anouk Collin
<anouk@…> ». The sender's display name often joins a department and the company with a dash:
the part that the body or the signature names again is the company.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from cee.text import fold
from ..types import Word
from .layout import Line
from .phrases import PageText

# « ci-après dénommée « l'Obligé » », « ci-après désigné(e) "le Bénéficiaire" », « ci-après « le Client » »,
# « ci-dessous dénommé le Délégataire, »: the role, up to its closing quote or the end of the clause
_ROLE_RE = re.compile(
    r"ci[- ]?(?:apres|dessous)\s*,?\s*(?:(?:denomme|designe|appele|nomme|indique)(?:\s*\(\s*e\s*\)|e)?s?\s*)?:?\s*"
    r"[«\"“]?\s*(?:l'|le\s|la\s|les\s)?\s*(?P<role>[a-z][a-z'\- ]{1,40}?)\s*(?:[»\"”,;.)]|\n|$)")
# What ends the previous party or opens the next one
_BOUNDARY_RE = re.compile(r"(?:\n\s*)?entre\s+les\s+(?:soussignes|parties)(?:\s*\(?e?s?\)?)?\s*:?|(?<![a-z'])entre\s*:?|"
                          r"(?:^|\n|\s)et\s*:|d'une\s+part\s*[,;.]?|d'autre\s+part\s*[,;.]?|"
                          r"(?:^|\n)\s*et\s*(?=\n)")
# Words that open the description of a party after its name (no comma before them)
_DESCRIPTION = frozenset({"dont", "demeurant", "domicilie", "domiciliee", "domicilie(e)", "represente", "representee",
                          "represente(e)", "immatriculee", "immatricule", "sise", "sis", "situe", "situee", "ne", "nee",
                          "ne(e)", "au", "agissant", "residant", "habitant", "ci-apres", "siret", "rcs", "siren"})
# What opens a company's name without being part of it
_INTRODUCTIONS = (("la", "societe"), ("l'entreprise",), ("la", "compagnie"), ("l'", "entreprise"), ("societe",))
_MAX_PARTY = 400  # characters between a party's start and its role


@dataclass(frozen=True)
class Party:
    role: str  # folded, without its article: « oblige », « beneficiaire »
    words: list[Word]  # its name
    page: int


def contract_parties(layout_pages: list[tuple[int, list[Line]]]) -> list[Party]:
    """The parties each preamble clause introduces with « ci-après dénommé(e) « rôle » »."""
    out = []
    for page, lines in layout_pages:
        text = PageText.of(lines)
        if "ci" not in text.text or ("apres" not in text.text and "dessous" not in text.text):
            continue
        previous_end = 0
        for m in _ROLE_RE.finditer(text.text):
            start = max(previous_end, m.start() - _MAX_PARTY)
            for b in _BOUNDARY_RE.finditer(text.text, start, m.start()):
                start = max(start, b.end())
            previous_end = m.end()
            words = _party_name(text.words_in(start, m.start()))
            if words:
                out.append(Party(fold(m.group("role")).strip(" -'"), words, page))
    return out


def _party_name(words: list[Word]) -> list[Word]:
    """The name opening a party's clause: up to its first comma or its description."""
    words = [w for w in words if w.text not in (":", "-", "–", "—")]
    # what closes the previous party (« », et M. Dupont »), a scan's speck before the name (« e »)
    while words and (not any(c.isalnum() for c in words[0].text) or fold(words[0].text) in ("et", "and")
                     or (len(words[0].text) == 1 and not words[0].text.isupper())):
        words = words[1:]
    folded = [fold(w.text) for w in words]
    for intro in _INTRODUCTIONS:
        if tuple(folded[:len(intro)]) == intro:
            words, folded = words[len(intro):], folded[len(intro):]
            break
    name: list[Word] = []
    for word, low in zip(words, folded):
        if low.rstrip(",;:") in _DESCRIPTION or low.startswith("("):
            break  # « X, dont le siège… », « X (ci-après « l'Obligé ») »
        stripped = word.text.rstrip(",;:")
        if stripped:
            name.append(Word(stripped, word.bbox, word.conf))
        if word.text.endswith((",", ";", ":")):
            break
    return name


# « De : », « From: », « Expéditeur : »; « À : », « Pour : », « To: », « Destinataire : »
_SENDER = ("de", "from", "expediteur")
_RECIPIENT = ("a", "pour", "to", "destinataire", "destinataires")
_DISPLAY_SPLIT_RE = re.compile(r"\s+[–—\-|/]\s+")


def mail_correspondents(lines: list[Line]) -> dict[str, list[Word]]:
    """The sender's and the recipient's display names of a printed e-mail's headers. A header
    that carries an address (« Nom <adresse@…> ») is one; one without (Outlook prints « De :
    Service Primes ») only beside the other correspondent's header (a letter's « À : » alone is
    no mail)."""
    found: dict[str, tuple[list[Word], bool]] = {}
    for line in lines[:40]:
        words = line.words
        head = _header_label(words)
        if head is None or head[0] in found:
            continue
        role, k = head
        rest = words[k:]
        name = []
        for word in rest:
            if "@" in word.text or word.text.startswith(("<", "[", "(")):
                break
            name.append(word)
        name = [Word(w.text.strip("'\"“”;"), w.bbox, w.conf) for w in name if w.text.strip("'\"“”;")]
        if name:
            found[role] = (name, any("@" in w.text for w in rest))
    both = len(found) == 2
    return {role: name for role, (name, address) in found.items() if address or both}


def _header_label(words: list[Word]) -> tuple[str, int] | None:
    """(« sender » | « recipient », the number of words of the label) where a line opens with
    a mail header's label and its colon."""
    if not words:
        return None
    first = fold(words[0].text)
    if first.endswith(":"):
        label, k = first[:-1], 1
    elif len(words) > 1 and words[1].text == ":":
        label, k = first, 2
    else:
        return None
    if label in _SENDER:
        return "sender", k
    if label in _RECIPIENT:
        return "recipient", k
    return None


_DASHES = frozenset("–—-")


def display_parts(words: list[Word]) -> list[list[Word]]:
    """A display name cut at its dashes: « Direction Commerciale CEE – Groupe Laurentin » is a
    department and a company; a dash a scan doubled (« Pôle Primes CEE -— Mint Énergie ») cuts too."""
    parts: list[list[Word]] = [[]]
    for word in words:
        if word.text in ("–", "—", "-", "|", "/") or (len(word.text) <= 3 and set(word.text) <= _DASHES):
            parts.append([])
        else:
            parts[-1].append(word)
    return [p for p in parts if p]
