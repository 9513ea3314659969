"""A chunked upload through a real gunicorn, which de-chunks the body (``wsgi.input_terminated``):
the size limit answers instead of « Aucun fichier reçu ». Not in a test transaction: the server
process must see the token, so the rows are committed and removed at the end."""
from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from accounts.models import Installer
from accounts.tokens import issue_token
from tests.factories import UserFactory

from .test_chunked_uploads import MB, named

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_PORT = 8133


def serving(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_a_chunked_30_mb_upload_through_gunicorn_gets_the_file_size_limit(django_db_setup, django_db_blocker, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("gunicorn needs the test database from another process (PostgreSQL)")
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    with django_db_blocker.unblock():  # committed: the server process must see the token
        user = UserFactory()
        _token, key = issue_token(user, "gunicorn")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "cee.wsgi", "-b", f"127.0.0.1:{GUNICORN_PORT}", "-w", "1"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": url, "CEE_VAR_DIR": str(tmp_path / "var"),
                       "MEDIA_ROOT": str(tmp_path / "media")},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not serving(GUNICORN_PORT) and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.2)
        body = encode_multipart(BOUNDARY, {"files": [named("plan.pdf", b"%PDF-1.4\n" + b"0" * (30 * MB))]})
        client = http.client.HTTPConnection("127.0.0.1", GUNICORN_PORT, timeout=120)
        client.request(
            "POST", "/api/v1/bulk-uploads/", body=(body[i:i + MB] for i in range(0, len(body), MB)), encode_chunked=True,
            headers={"Authorization": f"Token {key}", "Content-Type": MULTIPART_CONTENT, "Transfer-Encoding": "chunked"},
        )
        response = client.getresponse()
        answer = response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
        with django_db_blocker.unblock():
            installer = user.installer
            user.delete()
            Installer.objects.filter(pk=installer.pk).delete()
    assert response.status == 400, answer[:500]
    assert '"too_large"' in answer and "trop volumineux" in answer
