"""Read the configured mailboxes once: attachments become dossier documents."""
import json

from django.core.management.base import BaseCommand, CommandError

from dossiers.mail.models import MailAccount
from dossiers.mail.services import fetch_all_mail, fetch_mail


class Command(BaseCommand):
    help = "Relève les boîtes mail actives : les pièces jointes deviennent des documents de dossiers."

    def add_arguments(self, parser):
        parser.add_argument("--account", help="Nom d'une seule boîte mail (même inactive).")
        parser.add_argument("--json", action="store_true", help="Résultat en JSON.")

    def handle(self, *args, **options):
        if options["account"]:
            account = MailAccount.objects.filter(name=options["account"]).first()
            if account is None:
                raise CommandError(f"Aucune boîte mail nommée « {options['account']} ».")
            reports = [fetch_mail(account)]
        else:
            reports = fetch_all_mail()
        if options["json"]:
            self.stdout.write(json.dumps([report.as_dict() for report in reports], ensure_ascii=False, indent=2))
            return
        if not reports:
            self.stdout.write("Aucune boîte mail active.")
        for report in reports:
            self.stdout.write(
                f"{report.account} : {report.stored} message(s) enregistré(s), {report.not_stored} non enregistré(s), "
                f"{report.marked} marqué(s) traité(s)."
            )
            for error in report.errors:
                self.stderr.write(f"  {error}")
