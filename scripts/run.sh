#!/usr/bin/env bash
# The main job: set everything up, then run the web server and a django-q2 worker together.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh

PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

echo "==> Migrations"
$PY manage.py migrate --no-input -v 0
echo "==> Données de référence (fiches, types de documents, champs, règles, prix)"
$PY manage.py load_reference_data
echo "==> Données de démonstration"
$PY manage.py seed_demo

# Ctrl-C (or SIGTERM) stops the worker and the web server, by force after a grace period.
source scripts/lib/processes.sh
trap stop_groups EXIT INT TERM

echo "==> Worker django-q2 (qcluster)"
start_group $PY manage.py qcluster

cat <<MSG

  CEE Validation tourne sur  http://$HOST:$PORT/
    Administration (validateurs, administrateurs) : http://$HOST:$PORT/admin/
    Portail installateurs                        : http://$HOST:$PORT/portail/
    API + Swagger                                : http://$HOST:$PORT/api/v1/docs/
  Comptes de démonstration : voir ci-dessus (seed_demo). Ctrl-C pour arrêter.

MSG
start_group $PY manage.py runserver "$HOST:$PORT" --noreload
wait -n "${group_pids[@]}" || true
