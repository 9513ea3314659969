"""The zones of a French business letter, read without labels.

- **Recipient block**: two to four lines in one column ending with a postal code and a town
  (``Mme GUYOT Ginette`` / ``12 rue des Lilas`` / ``03100 Montluçon``), in the upper half of
  the first page. The block of the issuer (letterhead: the first lines of the page, or a
  block naming a company with SIRET, telephone, legal form) is told apart from the
  recipient's (a civility, or the block right of the letterhead). A label opening the block
  (``Client :``, ``Maître d'ouvrage``, ``Adresse des travaux``, ``Lieu du chantier``) is not
  part of it; a line that is a field label (``Téléphone``) never becomes a name.
- **Dateline**: ``Versailles, le 17 mai 2025`` / ``Fait à Lyon, le lundi 5 mai 2025`` / a
  contract's ``Fait en deux exemplaires à Paris, le 3 février 2025``: the document's date.
- **Company with its legal form** (``ÉCO-HABITAT 77 SAS``, ``SARL Dupont Isolation``) in the
  letterhead or in the legal footer (``… SAS au capital de 10 000 € – RCS …``): the issuer's
  raison sociale.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from cee.text import fold

from ..normalise import find_dates
from ..types import Word
from .layout import Line
from .text import bounded_edit_distance, token_texts, token_tuple

CIVILITY_RE = re.compile(r"^(?:m\.?|mr\.?|mme\.?|mlle\.?|monsieur|madame|mademoiselle|m\.? et mme\.?|mm\.?|"
                         r"monsieur et madame|m\.? o[uù] mme\.?)\s", re.IGNORECASE)
_POSTAL_TOWN_RE = re.compile(r"^(?:F-|FR-)?(\d{2}\s?\d{3})[:.,;]?\s+([A-Za-zÀ-ÿ'’\- ]{2,40}?)(?:\s+cedex(?:\s+\d+)?)?"
                             r"(?:\s*,?\s+(?:FR|France))?\.?$", re.IGNORECASE)
# A street, its postal code and town on one line (« 95 bis place Marcel Pagnol, 20000 Ajaccio »).
_STREET_POSTAL_TOWN_RE = re.compile(r"^\d{1,4}\s*(?:bis|ter|[a-c])?,?\s+[^,;]{3,60}?[,;]?\s+\d{2}\s?\d{3}\s+"
                                    r"[A-Za-zÀ-ÿ'’\- ]{2,40}?(?:\s+cedex(?:\s+\d+)?)?\.?$", re.IGNORECASE)
# A country after the town (« 06000 NICE, FR »): no part of the town's name.
_COUNTRY = frozenset({"fr", "france"})
_COMPANY_WORDS = frozenset({"siret", "siren", "rcs", "tel", "telephone", "fax", "email", "mail", "capital", "sas",
                            "sarl", "eurl", "sasu", "sa", "www", "tva", "ape", "naf", "rge"})
# Labels that open a recipient block without being part of it.
_BLOCK_LABELS = (("le", "beneficiaire", "des", "travaux"), ("beneficiaire", "des", "travaux"), ("le", "beneficiaire"),
                 ("vos", "coordonnees"), ("coordonnees", "du", "beneficiaire"), ("coordonnees", "du", "client"), ("client",), ("maitre", "d", "ouvrage"), ("adresse", "des", "travaux"), ("lieu", "du", "chantier"),
                 ("adresse", "du", "chantier"), ("adresse", "de", "l", "operation"), ("lieu", "de", "realisation"),
                 ("lieu", "des", "travaux"), ("adresse", "du", "chantier"), ("beneficiaire",), ("destinataire",),
                 ("facture", "a"), ("adresse", "de", "facturation"), ("a", "l", "attention", "de"),
                 ("adresse", "d", "intervention"), ("lieu", "d", "intervention"), ("site", "des", "travaux"),
                 ("adresse", "de", "realisation"), ("adresse", "du", "logement"),
                 # a store's « Livraison / pose chez » box, an installer's « Adresse de pose »
                 ("livraison", "pose", "chez"), ("pose", "chez"), ("livraison", "et", "pose"), ("adresse", "de", "pose"),
                 ("lieu", "de", "pose"), ("adresse", "d", "installation"), ("lieu", "d", "installation"))
# Those of them that head the address of the works (where a CEE operation is), not the client's own
_WORKS_LABELS = (("adresse", "des", "travaux"), ("lieu", "du", "chantier"), ("adresse", "du", "chantier"),
                 ("adresse", "de", "l", "operation"), ("lieu", "de", "realisation"), ("lieu", "des", "travaux"),
                 ("adresse", "d", "intervention"), ("lieu", "d", "intervention"), ("site", "des", "travaux"),
                 ("adresse", "de", "realisation"), ("adresse", "du", "logement"),
                 # a store's « Livraison / pose chez » box, an installer's « Adresse de pose »
                 ("livraison", "pose", "chez"), ("pose", "chez"), ("livraison", "et", "pose"), ("adresse", "de", "pose"),
                 ("lieu", "de", "pose"), ("adresse", "d", "installation"), ("lieu", "d", "installation"))
# capitals, with or without dots (« S.A.S. », « S.A.R.L. »: the trailing dot is stripped before matching)
_LEGAL_FORM_RE = re.compile(r"\b(SAS|SARL|EURL|SASU|SA|SCOP|SNC|S\.A\.S|S\.A\.R\.L|E\.U\.R\.L|S\.A\.S\.U|S\.A)\b")
_TOWN = r"[A-ZÀ-Ý][\w'’\-]*(?:[ \-](?:[A-ZÀ-Ý][\w'’\-]*|en|sur|sous|de|du|la|le|les|lès|d'[\w\-]+))*"
# "Versailles, le 17 mai 2025" (a comma after the town) or "Fait à Lyon le 5 mai 2025"; a scan may
# put a speck or a dash before it (« - Clermont-Ferrand, le 06-07-24 »)
# A contract's « Fait en deux exemplaires (originaux) à Paris, le … » / « Fait à Paris, en double exemplaire, le … »
_COPIES = r"en\s+(?:deux|trois|quatre|double|triple|\d+)\s+(?:exemplaires?|originaux)(?:\s+originaux)?"
_DATELINE_RE = re.compile(rf"^(?:[-–—.,'‘’•·_]\s+)?(?:(?:(?:[Ff]ait\s+)?[àaA]\s+)?{_TOWN}\s*,\s*le\s+|"
                          rf"[Ff]ait\s+(?:{_COPIES}\s*,?\s+)?[àa]\s+{_TOWN}\s*,?\s*(?:{_COPIES}\s*,?\s*)?le\s+)")


@dataclass
class Block:
    lines: list[list[Word]]  # name, street lines…, postal code and town
    page: int
    left: float
    top: float
    civility: bool
    company: bool
    labelled: bool = False  # opened by « Client », « Adresse des travaux », « Lieu du chantier »…
    works: bool = False  # opened by « Adresse des travaux », « Adresse d'intervention »…: the works' address
    introduced: bool = False  # named by the document's sentence: « Devis établi pour Mme X, résidant … »

    @property
    def name(self) -> list[Word]:
        return self.lines[0]

    @property
    def street(self) -> list[Word]:
        """The lines between the name and the town, from the one opening with a house number
        (« Alexandre Payet » / « 35 rue de la République »: a contact person, not the street)."""
        middle = self.lines[1:-1]
        numbered = [k for k, row in enumerate(middle) if row and row[0].text[:1].isdigit()]
        if numbered:
            middle = middle[numbered[0]:]
        return [w for row in middle for w in row]

    @property
    def postal_line(self) -> list[Word]:
        return self.lines[-1]


def _text(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


_SIGNATURE_HEADINGS = frozenset({"cachet", "signature", "signatures"})


def _label_at_start(toks: tuple[str, ...], label: tuple[str, ...]) -> bool:
    """Whether ``toks`` open with ``label``; on a scan one word of a label of three may be read
    with two slips (« Mañre d'ouvrage »: the others, « d ouvrage », spelt right), or be another
    between its first and last words, spelt right and of four letters or more (« Livraison / 2
    chez »; not « à l'ordre de » for « à l'attention de »)."""
    head = toks[:len(label)]
    if head == label:
        return True
    if len(label) < 3 or len(head) < len(label):
        return False
    wrong = [(k, read, word) for k, (read, word) in enumerate(zip(head, label)) if read != word]
    if len(wrong) != 1:
        return False
    k, read, word = wrong[0]
    return (len(word) >= 5 and bounded_edit_distance(read, word, 2) <= 2) or (
        0 < k < len(label) - 1 and len(label[0]) >= 4 and len(label[-1]) >= 4)


def _is_block_label(words: list[Word]) -> int:
    """How many words at the start of ``words`` are a block label (``Client :``), else 0."""
    toks = token_tuple(_text(words))
    for label in _BLOCK_LABELS:
        if _label_at_start(toks, label):
            taken, count = 0, 0
            for word in words:
                taken += len(token_texts(word.text))
                count += 1
                if taken >= len(label):
                    break
            while count < len(words) and words[count].text in (":", "-", "–"):
                count += 1
            return count
    return 0


def _cell_words(line: Line, x0: float) -> list[Word] | None:
    """The words of the cell of ``line`` that starts near ``x0``."""
    for start, end in line.cells:
        if abs(line.words[start].bbox[0] - x0) < 0.03:
            return line.words[start:end]
    return None


def recipient_blocks(lines: list[Line], page: int) -> list[Block]:
    """Address blocks (name, street, postal code and town) in the upper 60 % of a page; not a
    stamp's (the block just under a « Cachet » or « Signature » heading: a short attestation's
    signature zone stands in the upper half)."""
    blocks = []
    for index, line in enumerate(lines):
        if line.top > 0.6:
            break
        for start, end in line.cells:
            cell = line.words[start:end]
            match = _POSTAL_TOWN_RE.match(_text(cell))
            if not match:
                continue
            x0 = cell[0].bbox[0]
            rows = [cell]
            bottom_top = line.top
            labelled = stamp = works = False
            for above in reversed(lines[max(0, index - 4):index]):
                if bottom_top - above.bottom > 2.5 * line.height:
                    break
                if not above.token_set.isdisjoint(_SIGNATURE_HEADINGS):
                    stamp = True  # under « Cachet de l'entreprise »: the issuer's stamp, read by OCR
                    break
                words = _cell_words(above, x0)
                if words is None or not any(c.isalnum() for w in words for c in w.text):
                    continue  # a line of the other column, printed between two of ours; a scan's speck (« - »)
                skip = _is_block_label(words)
                if skip:
                    if words[skip:]:
                        rows.insert(0, words[skip:])
                    labelled = True
                    toks = token_tuple(_text(words[:skip]))
                    works = any(_label_at_start(toks, label) for label in _WORKS_LABELS)
                    break
                if words[-1].text.endswith(":"):
                    break  # "Adresse :" heads another field
                rows.insert(0, words)
                bottom_top = above.top
            if len(rows) < 2 or stamp:
                continue
            if len(rows) > 4:
                rows = rows[-4:]
            tokens = {t for row in rows for w in row for t in token_texts(w.text)}
            if tokens & _SIGNATURE_HEADINGS or {"bon", "pour", "accord"} <= tokens:
                continue  # a stamp read with the words beside it (« SERVICES LEFÈVRE Bon pour accord le … »)
            # the letterhead: a block opening the page on the left, or one its company's identifiers close
            # (« THERMIALPES » / street / « 16000 Angoulême » / « SIRET … »), or the sender's (« De »)
            company = bool(tokens & _COMPANY_WORDS) or (index - len(rows) < 1 and x0 < 0.4) \
                or _identified_below(lines, index, x0) or _sender_above(lines, index - len(rows), x0)
            civility = bool(CIVILITY_RE.match(_text(rows[0]) + " "))
            blocks.append(Block(rows, page, x0, min(w.bbox[1] for w in rows[0]), civility, company, labelled, works=works))
    return blocks


_IDENTIFIERS = frozenset({"siret", "siren", "rcs", "tva", "ape", "naf"})
_SENDER_HEADS = frozenset({("de",), ("emetteur",), ("expediteur",), ("vendeur",), ("prestataire",)})


def _identified_below(lines: list[Line], index: int, x0: float) -> bool:
    """The line under a block's postal line, in its column, gives a company's identifier."""
    if index + 1 >= len(lines) or lines[index + 1].top - lines[index].bottom > 1.5 * lines[index].height:
        return False
    words = _cell_words(lines[index + 1], x0)
    return bool(words) and token_texts(words[0].text)[:1] != [] and token_texts(words[0].text)[0] in _IDENTIFIERS


def _sender_above(lines: list[Line], heading: int, x0: float) -> bool:
    """The block is headed « De » (the sender's card beside « Adressé à »): ``heading``, the line above it."""
    if heading < 0 or heading >= len(lines):
        return False
    words = _cell_words(lines[heading], x0)
    return bool(words) and token_tuple(_text(words)) in _SENDER_HEADS


def recipient_block(lines: list[Line], page: int) -> Block | None:
    """The recipient's block: one with a civility first, else the right-most one that does
    not name a company (the letterhead is on the left, the recipient on the right)."""
    blocks = [b for b in recipient_blocks(lines, page) if len(b.lines) >= 2]
    if not blocks:
        return None
    with_civility = [b for b in blocks if b.civility]
    if with_civility:
        return with_civility[0]
    people = [b for b in blocks if not b.company]
    if not people:
        return None
    return max(people, key=lambda b: (b.left >= 0.45, -b.top))


def postal_and_town(words: list[Word]) -> tuple[list[Word], list[Word]]:
    """The postal code's words and the town's words of a ``03100 Montluçon`` line."""
    for k, word in enumerate(words):
        if re.fullmatch(r"(?:F-|FR-)?\d{5}[:.,;]?|\d{2}", word.text):  # « 71100: » of a scan
            if len(word.text) == 2 and k + 1 < len(words) and re.fullmatch(r"\d{3}", words[k + 1].text):
                return words[k:k + 2], _town(words[k + 2:])
            return words[k:k + 1], _town(words[k + 1:])
    return [], []


def _town(words: list[Word]) -> list[Word]:
    """The town's words after a postal code, without « cedex », its number, nor a country after a comma."""
    town = [w for w in words if w.text.lower() != "cedex" and not w.text.isdigit()]
    if town and town[-1].text.endswith(".") and len(town[-1].text) > 2:
        town[-1] = Word(town[-1].text[:-1], town[-1].bbox, town[-1].conf)  # « 21000 DIJON. »: a scan's speck
    if len(town) > 1 and town[-1].text.lower() in _COUNTRY:
        town = town[:-1]
        if town[-1].text.endswith(","):
            town[-1] = Word(town[-1].text.rstrip(","), town[-1].bbox, town[-1].conf)
    return town


# A letter's date alone in its cell, without the town: « Le 9 septembre 2024 », « Le 07/02/2024 »
_LONE_DATELINE_RE = re.compile(r"^Le\s+")
LONE_DATELINE_WORDS = 4  # « lundi 9 septembre 2024 » at most after « Le »


def dateline_words(lines: list[Line]) -> list[tuple[Line, list[Word]]]:
    """Datelines (``Versailles, le 17 mai 2025``, ``Le 9 septembre 2024`` alone in its cell):
    each line with the words after ``le``."""
    out = []
    for line in lines:
        for start, end in line.cells:
            words = line.words[start:end]
            text = _text(words)
            m = _DATELINE_RE.match(text)
            if not m:
                m = _LONE_DATELINE_RE.match(text)
                if m and len(text[m.end():].split()) > LONE_DATELINE_WORDS:
                    continue  # « Le 14/03/2025 à 10:42 – Yousign »: a sentence, not a dateline
            if not m or not find_dates(text[m.end():]):
                continue
            consumed, pos = 0, 0
            for consumed, word in enumerate(words):
                if pos >= m.end():
                    break
                pos += len(word.text) + 1
            out.append((line, words[consumed:]))
    return out


def company_names(lines: list[Line]) -> list[tuple[Line, list[Word]]]:
    """Company names written with their legal form, in the letterhead (top 20 % of the page) or
    in the legal footer (bottom 15 %), or in a legal mention (« … au capital de … ») anywhere:
    ``ÉCO-HABITAT 77 SAS``, ``SARL Dupont Isolation``; not a programme's sponsor (« Un programme
    Volténa Énergie SA »)."""
    out = []
    for line in lines:
        middle = 0.2 < line.top < 0.85
        for start, end in line.cells:
            words = line.words[start:end]
            if middle and "capital" not in {t for w in words for t in token_texts(w.text)}:
                continue  # (a legal mention, « … SASU au capital de … », above a long page's last lines counts)
            name = _company_in(words, letterhead=line.top <= 0.2)
            if name and token_texts(" ".join(w.text for w in name[:2]))[:2] not in (["un", "programme"], ["programme"]):
                out.append((line, name))  # (« Un programme Volténa Énergie SA »: the programme's sponsor)
    return out


def _company_in(words: list[Word], letterhead: bool = False) -> list[Word] | None:
    """The company name around the first legal form of ``words``: without the legal form where
    it opens the legal mention (« ISOL'CONFORT 63 » of « ISOL'CONFORT 63 SARL au capital de… »),
    as printed where a letterhead's name ends with it (« Au bon moulin SARL - 1242 chemin… »)."""
    name = _company_with_form(words)
    if name is None:
        return None
    forms = [k for k, w in enumerate(name) if _LEGAL_FORM_RE.fullmatch(w.text.strip(",.;–-"))]
    if letterhead and forms == [len(name) - 1]:
        after = words.index(name[-1]) + 1
        if after >= len(words) or words[after].text.lower() not in ("au", "à", "a"):
            return name
    bare = [w for w in name if not _LEGAL_FORM_RE.fullmatch(w.text.strip(",.;–-"))]
    return bare or None


# legal forms written out in a legal mention (« BOUYGUES TELECOM - Société Anonyme au capital de … »)
_SPELT_FORMS = (("societe", "anonyme"), ("societe", "par", "actions", "simplifiee"),
                ("societe", "a", "responsabilite", "limitee"), ("societe", "en", "nom", "collectif"),
                ("entreprise", "unipersonnelle", "a", "responsabilite", "limitee"), ("societe", "cooperative"))


def _spelt_form_at(words: list[Word]) -> int | None:
    """Where the first legal form written out in words begins in ``words``, before « au capital »."""
    if not any("capital" in w.text.lower() for w in words):
        return None
    folded = [fold(w.text.strip(",.;–-()")) for w in words]
    for k, first in enumerate(folded):
        if first not in ("societe", "entreprise"):
            continue
        for form in _SPELT_FORMS:
            end = k + len(form)
            if tuple(folded[k:end]) == form and "capital" in folded[end:end + 3]:
                return k
    return None


def _company_with_form(words: list[Word]) -> list[Word] | None:
    # the name runs until the clause ends: "au capital", a dash, a comma, "RCS", "SIRET"
    stops = {"au", "capital", "rcs", "siret", "siren", "-", "–", "—", "|", "tva", "n°", "immatriculée", "immatriculee"}
    forms = [k for k, w in enumerate(words) if _LEGAL_FORM_RE.fullmatch(w.text.strip(",.;–-"))]
    if not forms:
        k = _spelt_form_at(words)
        if k is None or k == 0:
            return None  # no form, or no name before it
        end = k - 1 if words[k - 1].text in ("-", "–", "—") else k
        if end and words[end - 1].text.endswith(","):  # « Isolation Durand, société par actions simplifiée … »
            last = words[end - 1]
            begin = _name_start(words, end - 1, stops)
            return words[begin:end - 1] + [Word(last.text.rstrip(","), last.bbox, last.conf)]
        begin = _name_start(words, end, stops)
        return words[begin:end] if end - begin >= 1 else None
    k = forms[0]
    if k == 0:  # "SARL Dupont Isolation, …"
        name = [words[0]]
        for word in words[1:]:
            if word.text.lower() in stops:
                break
            name.append(word)
            if word.text.endswith((",", ";")):
                break
        return name if len(name) >= 2 and len(name) <= 6 else None
    begin = _name_start(words, k, stops)
    if begin == k and k >= 2 and words[k - 1].text in ("-", "–", "—") and k + 1 < len(words) \
            and words[k + 1].text.lower() == "au":
        # « Logis Brico Services Habitat — SASU au capital de … »: the name before the dash
        begin = _name_start(words, k - 1, stops)
        return words[begin:k - 1] + [words[k]] if k - 1 > begin else None
    name = words[begin:k + 1]
    return name if len(name) >= 2 else None


def _name_start(words: list[Word], end: int, stops: set[str]) -> int:
    """Where the name ending before ``words[end]`` starts: back to a clause's end, five words at most."""
    begin = end
    while begin > 0 and not _ends_clause(words, begin - 1, stops) and end - begin < 5:
        begin -= 1
    return begin


def _ends_clause(words: list[Word], k: int, stops: set[str]) -> bool:
    """Whether ``words[k]``, before a legal form, is no part of the company's name: a stop word,
    a word closing a clause; « au » only before « capital » (« Au bon moulin SARL » is a name)."""
    text = words[k].text.lower()
    if text == "au":
        return k + 1 < len(words) and words[k + 1].text.lower() == "capital"
    return text in stops or words[k].text.endswith((",", ";", ":"))


# Who a sentence introduces, then where that person lives: « Je soussigné(e) CARRE Maryse,
# demeurant … » (an attestation; a scan's stray accent: « démeurant »), « Devis établi pour Madame WEBER Pauline, résidant … »,
# « Facture établie à l'attention de Mme LECOMTE Claire, domicilié(e) au … » (a quote or an
# invoice naming its client in a sentence).
_IDENTITY_RE = re.compile(
    r"(?:(?P<statement>soussign[ée]+(?:\s*\(e\)|e?s?))"
    r"|(?:[ée]tablie?|[ée]mise?|adress[ée]e?|r[ée]dig[ée]e?|[ée]dit[ée]e?)(?:\s*\(e\))?\s+"
    r"(?:pour|au\s+nom\s+de|[àa]\s+l['’]\s?attention\s+de|[àa]\s+l['’]\s?intention\s+de)"
    r"|pour\s+le\s+compte\s+de|au\s+b[ée]n[ée]fice\s+de)"
    r"\s+(?P<name>[^,;]{3,60}?)\s*[,;]\s*(?:d[ée]m[ée]urant|domicili[ée]+(?:\s*\(e\)|e)?|r[ée]sidant|habitant)\s+"
    r"(?:au\s+|à\s+|a\s+)?(?P<street>[^,;]{3,80}?)(?:\s*[,;]?\s*(?P<cp>\d{2}\s?\d{3})\s+|\s*[,;]\s*)"
    r"(?P<town>[^,.;()\d][^,.;()]{1,39}?)\s*(?:[,.;(]|$)",
    re.IGNORECASE)


def sentence_identity(lines: list[Line], page: int) -> Block | None:
    """The person of « Je soussigné(e) CARRE Maryse, demeurant 4 chemin de la Paix, 75011 Paris »
    (an attestation written in sentences) or of « Devis établi pour Madame WEBER Pauline,
    résidant 163 ter cours du Parc, 40100 Dax » (a client named in a sentence), as a block: name,
    street, postal code and town; a comma a scan read as a semicolon still ends the name or the
    street, and a sentence whose postal code a scan lost (« … allée Gambetta, Nancy, ») still
    gives the name and the street. The block is ``company`` for a statement (« soussigné »): the document's own words
    about its signatory, which a recipient block printed above outweighs; a client named so is
    the document's recipient whatever blocks the page prints."""
    words = [w for line in lines for w in line.words]
    text, spans, pos = [], [], 0
    for word in words:
        text.append(word.text)
        spans.append((pos, pos + len(word.text)))
        pos += len(word.text) + 1
    m = _IDENTITY_RE.search(" ".join(text))
    if not m:
        return None

    def words_of(group: str) -> list[Word]:
        start, end = m.span(group)
        return [w for w, (s, e) in zip(words, spans) if e > start and s < end]

    def trimmed(group: str) -> list[Word]:
        out = words_of(group)
        return [Word(w.text.rstrip(",;."), w.bbox, w.conf) for w in out if w.text.rstrip(",;.")]

    name, street = trimmed("name"), trimmed("street")
    postal_line = trimmed("cp") + trimmed("town")
    if not name or not street:
        return None
    return Block([name, street, postal_line], page, name[0].bbox[0], name[0].bbox[1], True, False,
                 introduced=not m.group("statement"))


def holder_names(lines: list[Line]) -> list[list[Word]]:
    """The names over an address in the upper half of a page: name, street, postal code and town,
    left-aligned or centred on one axis (a certificate's holder printed without a label, the
    body's logo beside it), the upper-most first."""
    names = []
    for index, line in enumerate(lines):
        if line.top > 0.5:
            break
        for start, end in line.cells:
            cell = line.words[start:end]
            text = _text(cell)
            one_line = _STREET_POSTAL_TOWN_RE.match(text)
            if not one_line and not _POSTAL_TOWN_RE.match(text):
                continue
            rows = [cell]
            for above in reversed(lines[max(0, index - 4):index]):
                row = _aligned_cell(above, cell)
                if row is None:
                    continue  # a line of the other column (the body's logo), between two of ours
                if rows[0][0].bbox[1] - row[0].bbox[3] > 2.5 * line.height:
                    break
                rows.insert(0, row)
            if one_line and len(rows) >= 2:
                names.append(rows[-2])  # « 95 bis place Marcel Pagnol, 20000 Ajaccio » under the name
            elif len(rows) >= 3 and rows[-2][0].text[:1].isdigit():
                names.append(rows[-3])
    return names


def _aligned_cell(line: Line, cell: list[Word]) -> list[Word] | None:
    """The cell of ``line`` that starts where ``cell`` starts or is centred on its axis."""
    left, axis = cell[0].bbox[0], (cell[0].bbox[0] + cell[-1].bbox[2]) / 2
    for start, end in line.cells:
        words = line.words[start:end]
        if abs(words[0].bbox[0] - left) < 0.02 or abs((words[0].bbox[0] + words[-1].bbox[2]) / 2 - axis) < 0.02:
            return words
    return None
