#!/usr/bin/env bash
# Idempotent set-up: system packages (when root and missing), the virtualenv and the
# Python dependencies (re-installed only when pyproject.toml changed).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

# Debian packages: OCR (Tesseract + French), PDF tools, the headless browser for end-to-end tests,
# pango for the invoice PDF renderer, and the IMAP server the mail-ingestion tests start (dovecot).
SYSTEM_PACKAGES=(tesseract-ocr tesseract-ocr-fra poppler-utils qpdf chromium chromium-driver
                 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core dovecot-imapd)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> Installation des paquets système : ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "!! Paquets système manquants (à installer par un administrateur) : ${missing[*]}" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> Création de l'environnement virtuel (.venv)"
  "$PYTHON" -m venv .venv
fi

stamp=.venv/.deps-sha256
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "==> Installation des dépendances Python (première fois : quelques minutes, torch inclus)"
  .venv/bin/pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/pip install -q -e ".[dev]" 2>&1 | grep -v -e "^WARNING: Location" -e "^  " -e "^!!" -e "^\*\*\*" || true
  .venv/bin/python -c "import django, torch, easyocr, pdfplumber, django_q" \
    || { echo "!! L'installation des dépendances a échoué" >&2; exit 1; }
  echo "$wanted" > "$stamp"
fi
