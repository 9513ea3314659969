"""The review matrix and rule r09 judge names and addresses alike: one fuzzy matcher
(cee.text.fuzzy_ratio) and one threshold, so the screen never shows as matching a pair
the rule flags, nor the reverse."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cee.text import FUZZY_THRESHOLD
from dossiers.review.matrix import _canonical, _same
from rules.dsl import FAILED, PASSED, evaluate

R09_RULES = [
    row["fields"] for row in json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "rules.json").read_text())
    if row["model"] == "rules.rule" and row["fields"]["code"].startswith("r09-")
]
FUZZY_MATCH = re.compile(r"FUZZY_MATCH\(([\w.]+), ([\w.]+)\) >= ([0-9.]+)")
FIELD = re.compile(r"\b[a-z_]+\.[a-z_]+\b")

# (name or address, the other, the same person or place?)
NAMES = [
    ("Jean Dupont", "DUPONT Jean", True),  # inverted first and last names
    ("Hélène Lefèvre", "HELENE LEFEVRE", True),  # accents, case
    ("M. et Mme DUPONT Jean", "Jean Dupont", True),  # civilities
    ("Madame Zoé Bernard", "BERNARD Zoe", True),
    ("Mlle Chloé Martin-Roux", "Martin Roux Chloe", True),  # hyphenated name
    ("Jean-Pierre Durand", "Durand Jean Pierre", True),
    ("Dupont Jean-Pierre", "Dupond Jean Pierre", True),  # one letter misread
    # The matrix had its own matcher and called these a mismatch while r09 passed them:
    ("Épouse Martin Claire", "Claire Martin", True),
    ("Marie Durand née Martin", "Marie Durand", True),
    ("Jean et Marie Dupont", "Dupont Jean", True),
    ("Jean Dupont", "Jean Durand", False),
    ("Jean Dupont", "Marie Durand", False),
    ("Claire Martin", "Claude Marin", False),
]
ADDRESSES = [
    ("12 avenue Jean Jaurès", "12 av. Jean Jaures", True),
    ("12 av Jean Jaurès", "12 AVENUE JEAN JAURES", True),
    ("5 bd Voltaire", "5 boulevard Voltaire", True),
    ("3 rue St Exupéry", "3 rue Saint-Exupéry", True),
    ("8 place Ste Croix", "8 pl. Sainte-Croix", True),
    ("7 che des Vignes", "7 chemin des vignes", True),
    ("3 allée des Tilleuls", "3 allée des Tilleuls 69003 Lyon", True),  # the tax notice's whole address
    # The matrix's own abbreviation table lacked these (a mismatch on the screen, r09 passed):
    ("3 fg St Antoine", "3 faubourg Saint-Antoine", True),
    ("2 sq. Monge", "2 square Monge", True),
    ("3 allée des Tilleuls", "18 rue Victor Hugo", False),
    ("14 rue des Lilas", "14 impasse des Roses", False),
]


def r09_verdict(rule: dict, a: str, b: str) -> bool:
    """Rule ``rule`` evaluated on a dossier whose two compared values are ``a`` and ``b``
    (every other field it reads, a postal code, equal on both sides)."""
    left, right, _threshold = FUZZY_MATCH.search(rule["expression"]).groups()
    context = {field: "69003" for field in FIELD.findall(rule["expression"])}
    context.update({left: a, right: b})
    outcome = evaluate(rule["expression"], context)
    assert outcome.status in (PASSED, FAILED), (rule["code"], outcome)
    return outcome.status == PASSED


def matrix_verdict(kind: str, a: str, b: str) -> bool:
    return _same(kind, _canonical(kind, a), _canonical(kind, b)) != "mismatch"


def test_every_r09_rule_uses_the_matchers_threshold():
    assert len(R09_RULES) >= 7
    for rule in R09_RULES:
        assert float(FUZZY_MATCH.search(rule["expression"]).group(3)) == FUZZY_THRESHOLD, rule["code"]


@pytest.mark.parametrize("kind, rule", [
    ("name" if "-nom-" in rule["code"] else "address", rule) for rule in R09_RULES
], ids=[rule["code"] for rule in R09_RULES])
def test_the_matrix_and_rule_r09_agree_on_names_and_addresses(kind, rule):
    for a, b, same in NAMES if kind == "name" else ADDRESSES:
        assert matrix_verdict(kind, a, b) is same, (a, b)
        assert r09_verdict(rule, a, b) is same, (rule["code"], a, b)
        assert r09_verdict(rule, b, a) is same, (rule["code"], b, a)
