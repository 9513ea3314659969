"""First load and warm load of every screen, each first load in a fresh process.

Usage (on the demo data: ``manage.py seed_demo``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cee CEE_VAR_DIR=/tmp/cee .venv/bin/python bench/first_load.py

For each screen a new Python process loads ``cee.wsgi`` as a gunicorn worker does (not
timed), logs in (validator or
installer) and requests the page with Django's test Client (middleware, view, queries,
templates; DEBUG off): the first request is what a user meets after a deploy or a worker
restart (imports and caches filled on first use), then the median of 5 more is the warm
time. Prints milliseconds per screen and whether the first request imported PyTorch or
EasyOCR (the web process never needs them). Target: every screen under 1 s, first load included.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r'''
import json, os, statistics, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cee.settings")
from cee.wsgi import application  # what gunicorn loads when a worker starts
from django.conf import settings
settings.DEBUG = False
from django.test import Client
from accounts.models import User
user = User.objects.filter(email={email!r}).first() or User.objects.filter(**{lookup!r}).first()
client = Client()
client.force_login(user)
started = time.perf_counter()
response = client.get({url!r})
first = (time.perf_counter() - started) * 1000
warm = []
for _ in range(5):
    started = time.perf_counter()
    client.get({url!r})
    warm.append((time.perf_counter() - started) * 1000)
print(json.dumps({{"status": response.status_code, "first_ms": first, "warm_ms": statistics.median(warm),
                  "torch": "torch" in sys.modules, "easyocr": "easyocr" in sys.modules}}))
'''

VALIDATOR = ("validateur@cee.local", {"is_staff": True, "is_superuser": False})
ADMIN = ("admin@cee.local", {"is_superuser": True})
INSTALLER = ("installateur@cee.local", {"installer__isnull": False})


def screens() -> list[tuple[str, str, tuple]]:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cee.settings")
    django.setup()
    from dossiers.models import Dossier, DossierStatus
    from extraction.models import EngineConfig
    from rules.models import Rule

    queued = Dossier.objects.filter(status=DossierStatus.READY_FOR_REVIEW).order_by("pk").first()
    installer_dossier = Dossier.objects.filter(installer__users__email=INSTALLER[0]).order_by("pk").first()
    rule = Rule.objects.order_by("pk").first()
    engine = EngineConfig.objects.order_by("pk").first()
    listed = [
        ("file de revue", "/admin/dossiers/dossier/", VALIDATOR),
        ("écran de revue", f"/admin/dossiers/dossier/{queued.pk}/review/" if queued else "", VALIDATOR),
        ("tableau de bord", "/admin/", VALIDATOR),
        ("atelier des règles", f"/admin/rules/rule/{rule.pk}/change/" if rule else "", ADMIN),
        ("réglages des moteurs (liste)", "/admin/extraction/engineconfig/", ADMIN),
        ("réglages des moteurs (fiche)", f"/admin/extraction/engineconfig/{engine.pk}/change/" if engine else "", ADMIN),
        ("journal d'activité", "/admin/accounts/activity/", ADMIN),
        ("portail : mes dossiers", "/portail/", INSTALLER),
        ("portail : un dossier", f"/portail/dossiers/{installer_dossier.pk}/" if installer_dossier else "", INSTALLER),
    ]
    return [item for item in listed if item[1]]


def main() -> None:
    env = {**os.environ, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "true")}
    print(f"{'écran':32} {'1er (ms)':>9} {'chaud (ms)':>10}  statut  torch/easyocr importés")
    for name, url, (email, lookup) in screens():
        code = CHILD.format(root=str(ROOT), email=email, lookup=lookup, url=url)
        result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
        if result.returncode or not lines:
            print(f"{name:32} échec : {result.stderr.strip().splitlines()[-1:]}")
            continue
        figures = json.loads(lines[-1])
        heavy = "oui" if figures["torch"] or figures["easyocr"] else "non"
        print(f"{name:32} {figures['first_ms']:9.0f} {figures['warm_ms']:10.1f}  {figures['status']:6}  {heavy}")
    print(f"charge : {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
