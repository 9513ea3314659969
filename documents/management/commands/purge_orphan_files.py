"""Delete stored files that no document or page refers to any more."""
import datetime as dt

from django.core.management.base import BaseCommand

from documents.storage import purge_orphan_files


class Command(BaseCommand):
    help = "Supprime du stockage les fichiers orphelins (aucun document ni page ne les référence)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=60)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **options):
        removed = purge_orphan_files(older_than=dt.timedelta(minutes=options["older_than_minutes"]), dry_run=options["dry_run"])
        verb = "à supprimer" if options["dry_run"] else "supprimés"
        for name in removed:
            self.stdout.write(name)
        self.stdout.write(f"{len(removed)} fichier(s) orphelin(s) {verb}.")
