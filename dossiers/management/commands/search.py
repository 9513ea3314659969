"""``manage.py search QUERY [--json]``: the global search of the back office, from the command line."""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from dossiers.global_search import LIMIT, global_search


class Command(BaseCommand):
    help = "Recherche globale : dossiers (référence, bénéficiaire, adresse), installateurs (nom, SIRET) et texte des documents."

    def add_arguments(self, parser):
        parser.add_argument("query", help="Les mots cherchés, par ex. \"renov energie rhone\" (tous doivent figurer).")
        parser.add_argument("--json", action="store_true", help="Résultats en JSON.")
        parser.add_argument("--limit", type=int, default=LIMIT, help=f"Résultats au plus par catégorie ({LIMIT}).")

    def handle(self, *args, query, json: bool = False, limit: int = LIMIT, **options):
        results = global_search(query, limit=limit)
        if json:
            self.stdout.write(_dumps(results.as_dict()))
            return
        self.stdout.write(f"{results.total} résultat(s) pour « {query} »")
        for label, hits in (("Dossiers", results.dossiers), ("Installateurs", results.installers),
                            ("Documents", results.documents)):
            if hits:
                self.stdout.write(f"\n{label} :")
                for hit in hits:
                    self.stdout.write(f"  {hit.title} — {hit.subtitle}  [{hit.url}]  ({hit.rank})")


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
