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

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

echo "==> Worker django-q2 (qcluster)"
$PY manage.py qcluster &
pids+=($!)

cat <<MSG

  CEE Validation tourne sur  http://$HOST:$PORT/
    Administration (validateurs, administrateurs) : http://$HOST:$PORT/admin/
    Portail installateurs                        : http://$HOST:$PORT/portail/
    API + Swagger                                : http://$HOST:$PORT/api/v1/docs/
  Comptes de démonstration : voir ci-dessus (seed_demo). Ctrl-C pour arrêter.

MSG
$PY manage.py runserver "$HOST:$PORT" --noreload &
pids+=($!)
wait -n "${pids[@]}"
