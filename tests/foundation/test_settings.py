"""Settings by environment: embedded defaults with nothing set; production mode passes
``check --deploy`` without a warning."""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
PRODUCTION_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def run_manage(env, *args, tmp_path):
    clean_env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "CEE_VAR_DIR": str(tmp_path / "var"), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=clean_env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    database_url = os.environ.get("DATABASE_URL", "")
    env = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "cee.example.fr",
        "SITE_URL": "https://cee.example.fr",
        "DATABASE_URL": database_url if database_url.startswith("postgres") else PRODUCTION_DATABASE_URL,
    }
    result = run_manage(env, "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_on_sqlite_create_a_fresh_var_folder(tmp_path):
    """DJANGO_DEBUG=false with no DATABASE_URL: SQLite under a CEE_VAR_DIR that does not exist yet."""
    env = {
        "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "cee.example.fr",
        "SITE_URL": "https://cee.example.fr", "CEE_VAR_DIR": str(tmp_path / "fresh" / "var"),
    }
    probe = "from django.db import connection; connection.ensure_connection(); print(connection.settings_dict['NAME'])"
    result = run_manage(env, "shell", "-c", probe, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "fresh" / "var" / "db.sqlite3").exists()


def test_production_mode_without_site_url_refuses_to_start(tmp_path):
    """E-mails link to SITE_URL: in production a missing one would send installers to 127.0.0.1."""
    env = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "cee.example.fr"}
    result = run_manage(env, "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SITE_URL est obligatoire" in result.stderr


def test_production_mode_without_a_secret_key_refuses_to_start(tmp_path):
    result = run_manage({"DJANGO_DEBUG": "false", "ALLOWED_HOSTS": "cee.example.fr"}, "check", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_with_nothing_set_the_project_runs_on_embedded_defaults(tmp_path):
    probe = (
        "from django.conf import settings as s; import json; print(json.dumps({"
        "'engine': s.DATABASES['default']['ENGINE'], 'debug': s.DEBUG, "
        "'storage': s.STORAGES['default']['BACKEND'], 'orm_broker': s.Q_CLUSTER.get('orm'), "
        "'secret_set': bool(s.SECRET_KEY)}))"
    )
    result = run_manage({}, "shell", "-c", probe, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "engine": "django.db.backends.sqlite3",
        "debug": True,
        "storage": "django.core.files.storage.FileSystemStorage",
        "orm_broker": "default",
        "secret_set": True,
    }


def test_with_redis_the_broker_and_the_cache_are_shared_by_every_process(tmp_path):
    import socket

    import pytest

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379 (.ci/run starts one)")
    probe = (
        "from django.conf import settings as s; from django.core.cache import cache; import json; "
        "cache.set('probe', 41); cache.incr('probe'); print(json.dumps({"
        "'cache': s.CACHES['default']['BACKEND'], 'redis_broker': s.Q_CLUSTER.get('redis'), 'value': cache.get('probe')}))"
    )
    result = run_manage({"REDIS_URL": "redis://127.0.0.1:6379/15"}, "shell", "-c", probe, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {"cache": "django.core.cache.backends.redis.RedisCache", "redis_broker": "redis://127.0.0.1:6379/15",
                      "value": 42}


def test_the_embedded_sqlite_lets_the_web_read_while_a_worker_writes(tmp_path):
    """WAL journal (readers never wait for the worker's write) and a busy timeout: a portal
    page no longer waits seconds behind a pipeline transaction on SQLite."""
    probe = (
        "from django.db import connection; import json; cursor = connection.cursor(); "
        "cursor.execute('PRAGMA journal_mode'); mode = cursor.fetchone()[0]; "
        "cursor.execute('PRAGMA busy_timeout'); print(json.dumps({'mode': mode, 'busy_ms': cursor.fetchone()[0]}))"
    )
    result = run_manage({}, "shell", "-c", probe, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {"mode": "wal", "busy_ms": 30000}
