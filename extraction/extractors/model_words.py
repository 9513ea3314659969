"""The model words after a product's brand in an item designation: pure functions.

« Isolant ISOVER GR 32 Revêtu Kraft 140 mm, R = 4,8 m².K/W »: after the brand, the model is the
run of model words (capitals, digits, a product line name, a roll's facing), up to a dimension
(140 mm), a price, a lower-case or descriptive word (posé, pompe…), a comma or a dash.
"""
from __future__ import annotations

import re

from ..types import Word
from .text import token_texts, token_tuple

MAX_REFERENCE_WORDS = 6
# A capitalised word that describes the product rather than names its model.
DESCRIPTIVE = frozenset({"revetu", "revetue", "revetus", "avec", "sans", "pose", "posee", "fourni", "fournie",
                         "fourniture", "epaisseur", "ep", "resistance", "lambda", "certifie", "certifiee", "acermi",
                         "marque", "reference", "ref", "modele", "type", "classe", "garantie", "dont", "soit",
                         # the product's kind, naming the next item or a description ("… ETBH16 Pompe à chaleur")
                         "pompe", "chaudiere", "isolant", "isolation", "poele", "chauffe", "ballon", "thermostat",
                         "fenetre", "membrane", "pare", "panneau", "panneaux", "rouleau", "rouleaux", "kit",
                         "module", "unite", "fiche", "operation", "cee", "bar", "main", "fourni", "installation",
                         # a performance the model is sold with, on the designation's next line (« Nuos Plus 250 » /
                         # « COP 2,76 selon EN 16147 », « ETAS 187 % », « Efficacité saisonnière … »)
                         "cop", "scop", "etas", "seer", "coefficient", "efficacite", "rendement", "performance",
                         "puissance"})
PERFORMANCE = frozenset({"cop", "scop", "etas", "seer", "coefficient", "efficacite", "rendement", "performance",
                         "puissance"})
# (« rm », « nm », « rnm »: a scan's « mm »)
# « Revêtu Kraft », « revêtu alu »: the facing of an insulation roll, part of its product's name
COATED = frozenset({"revetu", "revetue", "revetus", "revetues"})
FACINGS = frozenset({"kraft", "alu", "aluminium", "aluminise", "polypropylene", "voile"})
DIMENSION_UNITS = re.compile(r"^(?:mm|cm|m|m2|m²|m3|m³|ml|rm|nm|rnm)\b[.,;]?$", re.IGNORECASE)
# A power right after the model's number names the model (« Aquarea T-CAP 12 kW », « Bradford 10 kW »)
# and ends it; after a dash it describes it (« ETBH16 - 16 kW »).
POWER_UNIT = re.compile(r"^kw[.,;]?$", re.IGNORECASE)
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
AMOUNT = re.compile(r"\d{1,3}(?:[ .\u00a0]?\d{3})*,\d{2}")  # a price: decimal comma and cents
CURRENCIES = frozenset("€£$")
_GLUED_QUANTITY = re.compile(r"^(.*[A-Za-z])(\d{1,3}(?:[ .]\d{3})*,\d{2})$")
# What follows the quantity of an item line ("1 u × 204,00 €"): the number before it is no model.
QUANTITY_MARKS = frozenset({"u", "u.", "unite", "unité", "unités", "unites", "×", "x", "pce", "pièce", "pièces", "ens",
                            "ens.", "forfait", "ft", "lot"})
# « Marque : SOPREMA – Réf. Efigreen Duo+ »: a label naming the model after its brand
REFERENCE_LABELS = frozenset({"ref", "reference", "modele", "gamme"})
REFERENCE_SEPARATORS = frozenset({"-", "–", "—", ":", ",", "/"})
BRAND_MODEL_SEPARATORS = frozenset({"/", "·", "•", "|"})  # between a brand and its model, nothing else


def _numbered_model(words: list[Word], k: int) -> bool:
    """Word ``k`` opens a model: a capitalised word followed by a code with a digit that is no
    dimension (« Kit 165 DN25 », not « Rouleau 100 mm »)."""
    if not words[k].text[:1].isupper() or k + 1 >= len(words) or not any(c.isdigit() for c in words[k + 1].text):
        return False
    after = words[k + 2].text if k + 2 < len(words) else ""
    return not DIMENSION_UNITS.match(after) and not POWER_UNIT.match(after) and not AMOUNT.fullmatch(words[k + 1].text)


def reference_words(words: list[Word], glued: bool = False, next_line_first: str = "",
                    previous: str = "", kind: frozenset[str] = frozenset(), brand: tuple[str, ...] = ()) -> tuple[list[Word], bool]:
    """The model words opening ``words`` (what follows a brand in a designation), and whether
    they run to the end of ``words`` (the designation may go on on the next line). ``glued``:
    the first word holds the brand itself (« weber.therm »): it is the model's first word.
    ``next_line_first``: the first word of the designation's next line (« XM ultra » / « 22 »);
    ``previous``: the model's last word on the line before, when ``words`` carry it on;
    ``kind``: the folded words of the designation before the brand (« Ballon tampon 50 L »): a
    lower-case word of them ending the designation after the model's number is the model's
    (« De Dietrich B 50 tampon »); ``brand``: the brand's folded words, where a range named after the
    brand takes the lower-case word that ends the designation after it (« Steico Steico zell »)."""
    out: list[Word] = []
    labelled = False
    for k, word in enumerate(words):
        if glued and k == 0:
            out.append(Word(word.text.rstrip(",;:"), word.bbox, word.conf))
            continue
        text = word.text.strip()
        if not out and _introduces_reference(words, k, labelled):
            labelled = labelled or text not in REFERENCE_SEPARATORS
            continue  # « SOPREMA – Réf. Efigreen Duo+ », « Atlantic, modèle : Alféa »
        if k == 0 and not glued and text in BRAND_MODEL_SEPARATORS:
            continue  # « Atlantic / Alfea Excellia A.I. 11 », « Proclima · Tescon No.1 »
        if not text or text in {"-", "–", "—", ":", "|", "/", "(", "+"} or text.startswith("("):
            return out, False
        bare = text.rstrip(",;:")
        folded = token_texts(bare)
        if not folded:
            return out, False
        following = words[k + 1].text.strip() if k + 1 < len(words) else next_line_first
        if "=" in bare or (len(bare) <= 2 and following.startswith("=")):
            return out, False  # « R = 7,50 m².K/W », « U=1,3 »: a performance, not the model
        if AMOUNT.fullmatch(bare.rstrip("!|'")) or any(c in CURRENCIES for c in bare):
            # the item's price or quantity, read on the designation's line by a scan (« Majrex 200 85,00 »,
            # « XM 150,00! », the cell's edge read as a sign)
            return out, False
        glued = _GLUED_QUANTITY.match(bare)
        if glued and out:  # « XM125,00 »: the quantity's cell run into the model's by the text layer
            return out + [Word(glued.group(1), word.bbox, word.conf)], False
        if out and DIMENSION_UNITS.match(bare) and NUMBER.fullmatch(out[-1].text) and not _model_letter(words, k):
            out.pop()  # "140 mm": the number was a dimension, not part of the model (« Yutaki M » is one)
            return out, False
        if labelled and out and NUMBER.fullmatch(bare) and DIMENSION_UNITS.match(following) and k + 1 < len(words) \
                and not any(c.isdigit() for w in out for c in w.text):
            # « référence Pige 40 cm », « réf. Vana 60 mm »: a labelled model named by its size alone
            return out + [Word(bare, word.bbox, word.conf), Word(following.rstrip(".,;"), words[k + 1].bbox,
                                                                 words[k + 1].conf)], False
        if bare[:1].isdigit() and ((DIMENSION_UNITS.match(following) and not _model_letter(words, k + 1)) or
                                   (k + 1 < len(words) and following.lower() in QUANTITY_MARKS)):
            return out, False  # (a « LOT 2 – … » heading the next line is no quantity)
        if POWER_UNIT.match(bare):
            before = out[-1].text if out else previous
            if NUMBER.fullmatch(before):
                out.append(Word(bare.rstrip(".,;"), word.bbox, word.conf))
            return out, False
        if out and folded[0] in COATED and token_texts(following)[:1] and (token_texts(following)[0] in FACINGS
                                                                         or NUMBER.fullmatch(following)):
            # « GR 32 Revêtu Kraft »: the facing names the product (GR 32 Nu is another, certified apart);
            # so does a range's number after it (« IBR Revêtu 320 »; « … Revêtu 140 mm » ends before the size)
            out.append(Word(bare, word.bbox, word.conf))
            continue
        lower = bare[:1].islower() and not any(c.isdigit() for c in bare)
        if lower and k == len(words) - 1 and folded[0] in kind and out and NUMBER.fullmatch(out[-1].text):
            return out + [Word(bare, word.bbox, word.conf)], False
        if lower and k == len(words) - 1 and brand and tuple(token_texts(" ".join(w.text for w in out))) == brand:
            return out + [Word(bare, word.bbox, word.conf)], False
        if lower and not (out and len(bare) <= 6 and any(c.isdigit() for c in following)):
            return out, False  # a lower-case word describes ("posé", "soufflé"); "ultra 22" goes on
        if folded[0] in DESCRIPTIVE and not (labelled and not out) \
                and not (not out and folded[0] not in PERFORMANCE and _numbered_model(words, k)):
            return out, False  # (« réf. Kit 165 DN25 », « Caleffi Kit 165 DN25 »: the model's own word; « ETAS 184 » is none)
        out.append(Word(bare, word.bbox, word.conf))
        if bare != text or len(out) >= MAX_REFERENCE_WORDS:
            return out, False
    return out, True


def _model_letter(words: list[Word], k: int) -> bool:
    """Whether ``words[k]``, a unit's letters, is a capital letter of the model before a code
    with a digit (« Altherma 3 M EBLA11E3V3 »), not metres."""
    return (k + 1 < len(words) and words[k].text.isupper() and len(words[k].text) == 1
            and any(c.isdigit() for c in words[k + 1].text))


def _introduces_reference(words: list[Word], k: int, labelled: bool) -> bool:
    """Whether ``words[k]``, between a brand and its model, is a reference's label (« Réf. »,
    « modèle ») or the separator before or after one."""
    text = words[k].text.strip()
    if text in REFERENCE_SEPARATORS:
        if labelled:
            return True
        following = token_tuple(words[k + 1].text) if k + 1 < len(words) else ()
        return bool(following) and following[0] in REFERENCE_LABELS
    folded = token_tuple(text)
    return not labelled and len(folded) == 1 and folded[0] in REFERENCE_LABELS
