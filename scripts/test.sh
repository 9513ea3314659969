#!/usr/bin/env bash
# The test suite. PostgreSQL when reachable (or DATABASE_URL set), SQLite otherwise.
# Extra arguments go to pytest (e.g. ./scripts/test.sh tests/rules -x).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/bootstrap.sh

if [ -z "${DATABASE_URL:-}" ] && [ "${CEE_TEST_DB:-postgres}" = "postgres" ]; then
  if .venv/bin/python - <<'PY' 2>/dev/null
import psycopg
psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
PY
  then
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cee
  fi
fi
if [ "${CEE_TEST_DB:-}" = "sqlite" ]; then unset DATABASE_URL; fi
echo "==> Tests sur ${DATABASE_URL:-SQLite (défaut embarqué)}"

export CEE_VAR_DIR=${CEE_VAR_DIR:-$(mktemp -d)}
set +e
.venv/bin/pytest -p no:cacheprovider "$@"
rc=$?
set -e
# pytest's "no tests collected" (5) is a failure of the suite, not a success.
exit $rc
