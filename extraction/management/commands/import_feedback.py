"""``python manage.py import_feedback FILE.jsonl --validator EMAIL``: verdicts validated elsewhere.

One JSON object a line, ``{"document": <id>, "field": "<field name>", "value": <text | list |
true/false | null>}``, applied as the validator's verdicts through the review screen's
services, all or nothing (``extraction.learning.importing``). What they teach is used by the
documents ingested after the command returns.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from extraction.learning.importing import FeedbackImportError, import_feedback


class Command(BaseCommand):
    help = "Importe des retours de validation (JSON lines) comme verdicts d'un validateur."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.jsonl")
        parser.add_argument("--validator", required=True, metavar="EMAIL", help="Adresse du validateur auteur des verdicts.")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(email__iexact=options["validator"], is_active=True).first()
        if user is None:
            raise CommandError(f"Validateur introuvable ou inactif : {options['validator']}")
        try:
            with open(options["file"], encoding="utf-8") as handle:
                outcomes = import_feedback(handle, user)
        except OSError as error:
            raise CommandError(f"Lecture impossible : {error.strerror}") from None
        except FeedbackImportError as error:
            raise CommandError(f"{error} Rien n'a été importé.") from None
        self.stdout.write(
            f"{sum(outcomes.values())} verdict(s) : {outcomes['confirmed']} confirmé(s), {outcomes['corrected']} corrigé(s), "
            f"{outcomes['marked_wrong']} marqué(s) absent(s), {outcomes['unchanged']} déjà donné(s)."
            + (f" {outcomes['retyped']} document(s) reclassé(s) selon les champs de leurs lignes." if outcomes["retyped"] else "")
        )
