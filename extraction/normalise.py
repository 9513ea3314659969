"""The one place that reads French formats and writes the canonical values of SPEC 4b.

``normalise(data_type, raw)`` turns what a document prints into the value stored on an
``ExtractedField``: ISO dates, dot decimals, 14-digit SIRET, 5-digit postal codes, a JSON
list of CEE codes, ``true``/``false``. It raises ``ValueError`` with a French message when
the text is not a value of that type. The ``parse_*`` functions return Python values for
code that needs them (the extractor, the rules, the corpus generator).

Decisions worth knowing:
- a two-digit year ``15.03.24`` is 2000–2069 for 00–69 and 1970–1999 for 70–99;
- a month without a day (``mars 2024``) is NOT a date: a field of type date needs a day;
- a single dot followed by exactly three digits (``12.450``) is a thousands separator, as
  French documents write it; with both ``,`` and ``.`` the last one is the decimal separator;
- decimals keep two places (``12450.00``) unless the text has more significant ones
  (``3.125`` stays ``3.125``);
- a SIRET must have 14 digits; whether its Luhn key is right is a rule's job, not this one.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from cee.text import SPACE_RE, fold

__all__ = [
    "normalise",
    "parse_date",
    "parse_amount",
    "parse_decimal",
    "parse_integer",
    "parse_siret",
    "parse_postal_code",
    "parse_cee_codes",
    "parse_boolean",
    "clean_string",
    "format_decimal",
    "amount_without_its_comma",
    "MONTHS",
]

# ---------------------------------------------------------------------------- dates

MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "jan": 1,
    "fevrier": 2, "fevr": 2, "fev": 2, "fevier": 2,
    "mars": 3, "mar": 3,
    "avril": 4, "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7, "juil": 7,
    "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9,
    "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))

# OCR reads digits as look-alike letters; only used inside tokens that are otherwise numeric.
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "i": "1", "S": "5", "B": "8"})

# (a scan splits a year's digits with spaces: « 03/05/2 025 », a typewriter font's « 28/03/20 2 5 »)
_NUMERIC_DATE_RE = re.compile(
    r"(?<![\dA-Za-z])(\d{1,2})\s?([/.\-])\s?(\d{1,2})\s?\2\s?(\d{4}|2 ?0 ?\d ?\d|\d{2})(?![\d])"
)
_ISO_DATE_RE = re.compile(r"(?<!\d)(\d{4})([\-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
_WORD_DATE_RE = re.compile(
    rf"(?<![\w])(\d{{1,2}})\s?(?:er|e|eme)?[\s.\-]*({_MONTH_ALT})\.?[\s.\-]*(\d{{4}}|\d{{2}})(?!\d)"
)
_MONTH_ONLY_RE = re.compile(rf"(?<![\w])({_MONTH_ALT})\.?\s+(\d{{4}})(?!\d)")


# An identifier's zero read as the letter O by a scan: before another zero after its letters
# (« FACO08171 » for FAC008171), or between digits (« 2024-0O12 »)
_ZERO_READ_AS_O_RE = re.compile(r"(?<=[A-Z])O(?=0)|(?<=\d)O(?=\d)")


def zeros_read_as_o(identifier: str) -> str:
    """``identifier`` (as a scan read it) with the zeros read as « O » put back."""
    return _ZERO_READ_AS_O_RE.sub("0", identifier) if "O" in identifier else identifier


# A maker's model code in capitals and digits (« EHBH08D6V », « WH-MDC09J3E5 »): a scan reads its
# zero before a digit as the letter O (« EHBHO8D6V »)
_MODEL_CODE_RE = re.compile(r"(?=(?:[A-Z-]*\d){2})[A-Z0-9-]{5,}")
_MODEL_ZERO_RE = re.compile(r"(?<=[A-Z0-9])O(?=\d[A-Z0-9-]*[A-Z])")  # (« ECO20 » may be printed so)


def zeros_in_model_codes(reference: str) -> str:
    """A product's reference as a scan read it, with the zeros of its model codes read as « O »
    put back (« Altherma 3 R EHBHO8D6V » → « … EHBH08D6V »), where letters follow in the code;
    words of letters stay (« PRO 2 »), and so does an « O » before the code's last digits (« ECO20 »)."""
    if "O" not in reference:
        return reference
    return " ".join(_MODEL_ZERO_RE.sub("0", word) if _MODEL_CODE_RE.fullmatch(word) else word
                    for word in reference.split(" "))


_LETTER_OF_DIGIT = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B"})


def digits_read_for_letters(name: str) -> str:
    """A name in capitals as a scan read it with letters taken for the digits they look like put
    back: « 1S0 OUEST » → « ISO OUEST ». Only words of capitals and such digits, a letter among
    them (« 150 SUD », « 2M RENOV », « A2B » stay)."""
    words = name.split(" ")
    for k, word in enumerate(words):
        if any(c.isalpha() for c in word) and any(c in "0158" for c in word) \
                and all(c.isupper() or c in "0158'-" for c in word):
            words[k] = word.translate(_LETTER_OF_DIGIT)
    return " ".join(words)


def _fix_digits(token: str) -> str:
    """Map OCR look-alikes to digits in a token that is mostly digits already."""
    letters = sum(1 for c in token if c.isalpha() or c == "|")
    digits = sum(1 for c in token if c.isdigit())
    if digits and letters and digits >= 2 * letters:
        return token.translate(_DIGIT_LOOKALIKES)
    return token


def _fix_digit_tokens(text: str) -> str:
    return re.sub(r"[0-9OoDlIi|SB/.\-]+", lambda m: _fix_digits(m.group(0)), text)


def _year(value: str) -> int:
    value = value.replace(" ", "")
    year = int(value)
    if len(value) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _make_date(year: int, month: int, day: int, raw: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"Date impossible : « {raw.strip()} ».") from None


def find_dates(text: str) -> list[tuple[dt.date, int, int]]:
    """Every date written in ``text``: (date, start, end) in the order they appear.

    Impossible dates (31/02) are skipped. Offsets refer to ``text`` itself.
    """
    folded = _fold_keep_length(_fix_digit_tokens(text))  # look-alike letters fixed one for one
    found: list[tuple[dt.date, int, int]] = []
    for regex, order in ((_ISO_DATE_RE, "ymd"), (_NUMERIC_DATE_RE, "dmy"), (_WORD_DATE_RE, "dMy")):
        for m in regex.finditer(folded):
            try:
                if order == "ymd":
                    value = dt.date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
                elif order == "dmy":
                    value = dt.date(_year(m.group(4)), int(m.group(3)), int(m.group(1)))
                else:
                    value = dt.date(_year(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
            except ValueError:
                continue
            if any(not (m.end() <= s or m.start() >= e) for _, s, e in found):
                continue
            found.append((value, m.start(), m.end()))
    found.sort(key=lambda item: item[1])
    return found


def _fold_keep_length(text: str) -> str:
    """Lower case without accents, one output character per input character (offsets hold)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in base if not unicodedata.combining(c)) or ch
        out.append(base[0].lower() if len(base) >= 1 else ch)
    return "".join(out)


def parse_date(raw: str) -> dt.date:
    """Read one date: ``15/03/2024``, ``15-03-2024``, ``15.03.24``, ``15 mars 2024``,
    ``1er mars 2024``, ``02 Juillet 2015``, ``2024-03-15``. Raises ValueError otherwise."""
    if not raw or not raw.strip():
        raise ValueError("Date absente.")
    text = _fix_digit_tokens(SPACE_RE.sub(" ", raw))
    folded = _fold_keep_length(text)
    for regex, order in ((_ISO_DATE_RE, "ymd"), (_NUMERIC_DATE_RE, "dmy"), (_WORD_DATE_RE, "dMy")):
        m = regex.search(folded)
        if not m:
            continue
        if order == "ymd":
            return _make_date(int(m.group(1)), int(m.group(3)), int(m.group(4)), raw)
        if order == "dmy":
            return _make_date(_year(m.group(4)), int(m.group(3)), int(m.group(1)), raw)
        return _make_date(_year(m.group(3)), MONTHS[m.group(2)], int(m.group(1)), raw)
    if _MONTH_ONLY_RE.search(folded):
        raise ValueError(f"Date incomplète (jour manquant) : « {raw.strip()} ».")
    raise ValueError(f"Date illisible : « {raw.strip()} » (attendu par exemple 15/03/2024 ou 15 mars 2024).")


# ---------------------------------------------------------------------------- numbers

_CURRENCY_RE = re.compile(r"(€|eur(?:os?)?\b|ttc\b|ht\b|h\.t\.|t\.t\.c\.|net\b)", re.IGNORECASE)
_NUMBER_RE = re.compile(r"[-+−]?\s?\d[\d\s.,'\u00a0\u202f\u2009]*")


_OCR_THOUSANDS_RE = re.compile(r"(?<=\d)[:;](?=\d{3}[.,]\d{2}(?!\d))")  # a scan's colon for the thousands' space


def _number_text(raw: str) -> str:
    """The numeric part of ``raw`` with currency words and units removed."""
    text = SPACE_RE.sub(" ", raw).strip()
    text = _CURRENCY_RE.sub(" ", text)
    text = re.sub(r"(m²|m2|m\.?2|kwh|kw|%|w/m\.?k|m²\.?k/w|m2\.?k/w)", " ", text, flags=re.IGNORECASE)
    text = _fix_digit_tokens(text)
    text = _OCR_THOUSANDS_RE.sub(" ", text)  # « 3:998,45 »
    return text.strip()


def parse_decimal(raw: str, *, thousands_dot: bool = True) -> Decimal:
    """Read a French or English written number: ``12 450,00``, ``12.450,00``, ``12,450.00``,
    ``1 234.5``, ``-150,00``. Currency symbols and units around it are ignored.

    ``thousands_dot``: a single dot followed by exactly three digits is a thousands separator.
    """
    if raw is None or not str(raw).strip():
        raise ValueError("Nombre absent.")
    text = _number_text(str(raw))
    matches = [m.group(0).strip() for m in _NUMBER_RE.finditer(text)]
    matches = [m for m in matches if any(c.isdigit() for c in m)]
    if not matches:
        raise ValueError(f"Nombre illisible : « {str(raw).strip()} ».")
    if len(matches) > 1:
        raise ValueError(f"Plusieurs nombres dans « {str(raw).strip()} ».")
    number = matches[0].replace("−", "-")
    negative = number.startswith("-")
    number = re.sub(r"[\s'+\-\u00a0\u202f\u2009]", "", number).rstrip(".,")
    if not number:
        raise ValueError(f"Nombre illisible : « {str(raw).strip()} ».")
    last_comma, last_dot = number.rfind(","), number.rfind(".")
    if last_comma >= 0 and last_dot >= 0:
        decimal_sep = "," if last_comma > last_dot else "."
        thousands = "." if decimal_sep == "," else ","
        number = number.replace(thousands, "")
        if number.count(decimal_sep) > 1:
            raise ValueError(f"Nombre illisible : « {str(raw).strip()} ».")
        number = number.replace(decimal_sep, ".")
    elif last_comma >= 0:
        if number.count(",") > 1:
            # 1,234,567 (English thousands) — only when every group has three digits
            groups = number.split(",")
            if all(len(g) == 3 for g in groups[1:]):
                number = "".join(groups)
            else:
                raise ValueError(f"Nombre illisible : « {str(raw).strip()} ».")
        else:
            number = number.replace(",", ".")
    elif last_dot >= 0:
        groups = number.split(".")
        if len(groups) > 2:
            if all(len(g) == 3 for g in groups[1:]):
                number = "".join(groups)
            else:
                raise ValueError(f"Nombre illisible : « {str(raw).strip()} ».")
        elif thousands_dot and len(groups[1]) == 3 and groups[0] not in ("", "0"):
            number = "".join(groups)
    try:
        value = Decimal(number)
    except InvalidOperation:
        raise ValueError(f"Nombre illisible : « {str(raw).strip()} ».") from None
    return -value if negative else value


def amount_without_its_comma(raw: str) -> Decimal | None:
    """``raw`` read as an amount whose decimal comma OCR lost or read as a dot, with cents:
    « 97728€ » (977,28 €) → 977.28, « 3.668.441 » (3 668,44 €, a speck after it read as a
    digit) → 3668.44; ``None`` when ``raw`` already shows its cents or has too few digits.
    For amounts too large to be what their field holds, read by OCR."""
    try:
        text = _number_text(str(raw))
    except TypeError:
        return None
    matches = [m.group(0) for m in _NUMBER_RE.finditer(text) if any(c.isdigit() for c in m.group(0))]
    if len(matches) != 1:
        return None
    number = re.sub(r"[\s'+\-−\u00a0\u202f\u2009]", "", matches[0]).rstrip(".,")
    groups = re.split(r"[.,]", number)
    if len(groups) > 1:
        if len(groups[-1]) <= 2:
            return None  # its cents are there
        units, cents = "".join(groups[:-1]), groups[-1][:2]
    elif len(number) >= 3:
        units, cents = number[:-2], number[-2:]
    else:
        return None
    return Decimal(f"{units}.{cents}")


def parse_amount(raw: str) -> Decimal:
    """An amount in euros (``12 450,00 €``, ``12450,00 EUR``): a Decimal with two places."""
    return parse_decimal(raw).quantize(Decimal("0.01"))


def format_decimal(value: Decimal) -> str:
    """``12450`` → ``12450.00``; ``3.125`` stays ``3.125`` (no significant digit is lost)."""
    value = Decimal(value)
    if value == value.quantize(Decimal("0.01")):
        return f"{value.quantize(Decimal('0.01')):f}"
    return f"{value.normalize():f}"


def parse_integer(raw: str) -> int:
    """``25 115``, ``25.115``, ``2 024``, ``3,00`` → int; a fractional part other than zero is refused."""
    value = parse_decimal(raw)
    if value != value.to_integral_value():
        raise ValueError(f"Nombre entier attendu : « {str(raw).strip()} ».")
    return int(value)


# ---------------------------------------------------------------------------- identifiers

def _digits_only(raw: str) -> str:
    text = _fix_digit_tokens(SPACE_RE.sub(" ", raw))
    return re.sub(r"[\s.\-/]", "", text)


def parse_siret(raw: str) -> str:
    """``123 456 789 00012``, ``123.456.789.00012`` → ``12345678900012``; 14 digits or ValueError."""
    if not raw or not raw.strip():
        raise ValueError("SIRET absent.")
    text = re.sub(r"(?i)^\s*(n°|no|siret)\s*:?\s*", "", raw.strip())
    digits = _digits_only(text)
    if not digits.isdigit():
        raise ValueError(f"Un SIRET ne contient que des chiffres : « {raw.strip()} ».")
    if len(digits) != 14:
        raise ValueError(f"Un SIRET compte 14 chiffres, « {raw.strip()} » en a {len(digits)}.")
    return digits


def parse_postal_code(raw: str) -> str:
    """``69100``, ``69 100``, ``20090`` (Corse) → 5 digits; codes that no French commune uses are refused."""
    if not raw or not raw.strip():
        raise ValueError("Code postal absent.")
    digits = _digits_only(raw.strip())
    if not digits.isdigit() or len(digits) != 5:
        raise ValueError(f"Un code postal compte 5 chiffres : « {raw.strip()} ».")
    department = int(digits[:2])
    if department in (0, 96, 99):
        raise ValueError(f"Code postal inconnu : « {raw.strip()} ».")
    return digits


def parse_cee_codes(raw: str) -> list[str]:
    """Every CEE operation code in ``raw`` (``BAR TH 171``, ``bar-th171``…), canonical and unique."""
    from .operation_codes import find_cee_codes

    codes = find_cee_codes(raw or "")
    if not codes:
        raise ValueError(f"Aucun code d'opération CEE reconnu dans « {(raw or '').strip()} ».")
    return codes


_TRUE_WORDS = {"oui", "yes", "vrai", "true", "1", "x", "coche", "cochee", "signe", "signee", "o", "ok", "present", "presente"}
_FALSE_WORDS = {"non", "no", "faux", "false", "0", "non coche", "non cochee", "non signe", "non signee", "absent", "absente", "n"}
_TRUE_MARKS = {"☒", "☑", "✓", "✔", "✗", "✘", "[x]", "(x)"}
_FALSE_MARKS = {"☐", "□", "[ ]", "( )", "[]", "()"}


def parse_boolean(raw: str) -> bool:
    """``oui``/``non``, ``x``, ``coché``, ``signé``, ``☑``/``☐`` → bool; anything else is a ValueError."""
    if raw is None:
        raise ValueError("Valeur oui/non absente.")
    stripped = raw.strip()
    if stripped in _TRUE_MARKS:
        return True
    if stripped in _FALSE_MARKS:
        return False
    text = re.sub(r"[\s:.!]+$", "", fold(stripped))
    if text in _TRUE_WORDS:
        return True
    if text in _FALSE_WORDS:
        return False
    if text.startswith(("non ", "pas ")):
        return False
    if text.startswith(("signe le", "signee le", "signe par", "signee par", "lu et approuve")):
        return True
    raise ValueError(f"Valeur oui/non attendue : « {stripped} ».")


def clean_string(raw: str) -> str:
    """Spaces collapsed; separators left at either end by a label (``:``, ``-``) removed."""
    text = SPACE_RE.sub(" ", raw or "").strip()
    text = re.sub(r"^[\s:;,\-–—=]+|[\s:;,\-–—=]+$", "", text)
    if not text:
        raise ValueError("Texte vide.")
    return text


# ---------------------------------------------------------------------------- entry point

def normalise(data_type: str, raw: str) -> str:
    """The canonical text of ``raw`` read as ``data_type`` (extraction.models.DataType values).

    Raises ValueError (French message) when ``raw`` is not a value of that type.
    """
    if raw is None:
        raise ValueError("Valeur absente.")
    raw = str(raw)
    if data_type == "date":
        return parse_date(raw).isoformat()
    if data_type == "decimal":
        return format_decimal(parse_decimal(raw))
    if data_type == "integer":
        return str(parse_integer(raw))
    if data_type == "siret":
        return parse_siret(raw)
    if data_type == "postal_code":
        return parse_postal_code(raw)
    if data_type == "cee_code":
        return json.dumps(parse_cee_codes(raw))
    if data_type == "boolean":
        return "true" if parse_boolean(raw) else "false"
    if data_type == "string":
        return clean_string(raw)
    raise ValueError(f"Type de donnée inconnu : « {data_type} ».")


# A street number and its « bis » / « ter » a scan read as one word (« 77ter rue du Général de Gaulle »)
_GLUED_STREET_NUMBER_RE = re.compile(r"^(\d{1,4})(bis|ter|quater)\b", re.IGNORECASE)


def street_number_spaced(address: str) -> str:
    """``address`` with a street number glued to its « bis », « ter », « quater » set apart:
    « 77ter rue … » → « 77 ter rue … »."""
    return _GLUED_STREET_NUMBER_RE.sub(r"\1 \2", address)
