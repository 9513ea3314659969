"""``python manage.py export_training_data --field date_facture --document-type facture --since 2026-01-01 --out FILE``

Human feedback as JSONL for training; exported rows are marked with the batch id.
"""
from __future__ import annotations

from django.core.management import BaseCommand

from dossiers.backoffice.training import export_training_jsonl, training_feedback
from dossiers.management.commands.export import parse_date


class Command(BaseCommand):
    help = "Exporte les retours humains en JSONL pour l'entraînement et marque les lignes exportées."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="fichier JSONL à écrire")
        parser.add_argument("--field", help="nom du champ (ex. date_facture)")
        parser.add_argument("--document-type", help="code du type de document (ex. facture)")
        parser.add_argument("--since", type=parse_date, help="retours créés à partir de cette date")
        parser.add_argument("--until", type=parse_date, help="retours créés jusqu'à cette date")
        parser.add_argument("--include-exported", action="store_true", help="reprendre aussi les lignes déjà exportées")
        parser.add_argument("--batch-id", help="identifiant de lot imposé (sinon généré)")

    def handle(self, *args, **options):
        filters = {k: str(options[k]) for k in ("field", "document_type", "since", "until") if options[k]}
        queryset = training_feedback(
            field=options["field"], document_type=options["document_type"], since=options["since"],
            until=options["until"], include_exported=options["include_exported"],
        )
        with open(options["out"], "w", encoding="utf-8") as handle:
            batch = export_training_jsonl(
                queryset, handle.write, include_exported=options["include_exported"], batch_id=options["batch_id"],
                filters=filters,
            )
        self.stdout.write(f"Lot {batch.batch_id} : {batch.count} retour(s) écrit(s) dans {options['out']}")
