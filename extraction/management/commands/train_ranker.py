"""``python manage.py train_ranker [--champ NOM ...]``: a new version of the learned ranking of
each field's candidates, trained on the validated documents (``extraction.ranking.training``);
prints, per field, the version, whether it is used and its figures against the rule-based
order on the validated documents held out of its training. Run nightly by django-q2
(``extraction.schedules``)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from extraction.ranking.training import train_rankers


class Command(BaseCommand):
    help = ("Entraîne une nouvelle version du classement appris des candidats de chaque champ sur les documents "
            "validés, la mesure face à l'ordre des règles et ne l'utilise que si elle fait mieux.")

    def add_arguments(self, parser):
        parser.add_argument("--champ", action="append", dest="fields", metavar="NOM",
                            help="N'entraîner que ce champ (répétable) ; par défaut tous.")

    def handle(self, *args, **options):
        verbosity = options["verbosity"]

        def progress(done: int, total: int) -> None:
            if verbosity and (done == total or done % 25 == 0):
                self.stdout.write(f"Lecture des documents validés : {done}/{total}")

        results = train_rankers(set(options["fields"] or []) or None, progress)
        trained = [r for r in results if r.version is not None]
        self.stdout.write(f"{len(trained)} champ(s) entraîné(s), {sum(r.is_active for r in trained)} utilisé(s) ; "
                          f"{len(results) - len(trained)} sans assez d'exemples.")
        for r in results:
            if r.version is None:
                if verbosity > 1:
                    self.stdout.write(f"  {r.field_name} : non entraîné ({r.skipped})")
                continue
            figures = (f"F1 {r.model.f1:.3f} (P {r.model.precision:.3f}, R {r.model.recall:.3f}) contre {r.rules.f1:.3f} "
                       f"pour les règles, sur {r.model.documents} document(s) mis de côté" if r.model.documents
                       else "pas de document mis de côté")
            self.stdout.write(f"  {r.field_name} v{r.version} {'utilisé' if r.is_active else 'non utilisé'} : {figures} ; "
                              f"{r.documents} document(s), {r.examples} candidat(s).")
