"""Requeue or fail documents left in processing by a killed worker (also scheduled every 5 min)."""
from django.core.management.base import BaseCommand

from dossiers.workflow.processing import recover_stuck_documents


class Command(BaseCommand):
    help = "Relance (ou met en échec) les documents bloqués « en traitement » au-delà du délai des tâches."

    def add_arguments(self, parser):
        parser.add_argument("--no-enqueue", action="store_true", help="Ne pas remettre les dossiers en file d'attente.")

    def handle(self, *args, **options):
        summary = recover_stuck_documents(enqueue=not options["no_enqueue"])
        self.stdout.write(
            f"Relancés : {len(summary['requeued'])} ; en échec : {len(summary['failed'])} ; "
            f"dossiers remis en file : {len(summary['dossiers'])}"
        )
