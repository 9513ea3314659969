"""Evaluate an expression of the rule language against a JSON context.

    python manage.py rule_eval "devis.date_signature <= facture.date_facture" --context ctx.json

The context is a JSON object, flat ({"facture.date_facture": "2025-03-01"}) or nested
({"facture": {"date_facture": "2025-03-01"}}); "-" reads it from standard input. Prints the
outcome (for a true/false expression: passed / failed / not_evaluable / error), the value
and the values read. Exit status: 0 evaluated (whatever the outcome), 1 evaluation error
(type, runtime), 2 syntax error or unreadable context.
"""
from __future__ import annotations

import datetime
import json
import sys
from decimal import Decimal

from django.core.management import BaseCommand, CommandError

from rules.context import context_from_json
from rules.dsl import EvaluationError, NotEvaluable, RuleSyntaxError, evaluate_value
from rules.dsl.values import display, to_json


class Command(BaseCommand):
    help = "Évalue une expression du langage des règles sur un contexte JSON."

    def add_arguments(self, parser):
        parser.add_argument("expression")
        parser.add_argument("--context", help="Fichier JSON du contexte (« - » : entrée standard).")
        parser.add_argument("--today", help="Date du jour pour TODAY() (AAAA-MM-JJ).")
        parser.add_argument("--json", action="store_true", help="Sortie JSON.")

    def handle(self, *args, **options):
        values = self._context(options["context"])
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"--today : date AAAA-MM-JJ attendue, reçu « {options['today']} »", returncode=2) from exc
        status, value, error, reads = "error", None, "", {}
        try:
            value, reads = evaluate_value(options["expression"], values, today=today)
            status = {True: "passed", False: "failed"}.get(value, "value") if isinstance(value, bool) else (
                "not_evaluable" if value is None else "value")
        except RuleSyntaxError as exc:
            self.stderr.write(f"Erreur de syntaxe ligne {exc.line}, colonne {exc.column} : {exc.message}\n{exc.caret()}")
            raise CommandError("expression invalide", returncode=2) from exc
        except NotEvaluable as exc:
            status, error = "not_evaluable", str(exc)
            reads = getattr(exc, "reads", {})
        except EvaluationError as exc:
            status, error = "error", str(exc)
            reads = getattr(exc, "reads", {})
        if options["json"]:
            self.stdout.write(json.dumps({"status": status, "value": to_json(value), "error": error,
                                          "reads": to_json(reads)}, ensure_ascii=False))
        else:
            self.stdout.write(f"Résultat : {status}")
            if status in ("passed", "failed", "value"):
                self.stdout.write(f"Valeur : {display(value)}")
            if error:
                self.stdout.write(f"Message : {error}")
            for name, read in reads.items():
                self.stdout.write(f"  {name} = {display(read)}")
        if status == "error":
            raise CommandError(error or "erreur d'évaluation", returncode=1)

    def _context(self, path: str | None) -> dict:
        if not path:
            return {}
        try:
            text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
            data = json.loads(text, parse_float=Decimal)
            return context_from_json(data)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Contexte illisible : {exc}", returncode=2) from exc
