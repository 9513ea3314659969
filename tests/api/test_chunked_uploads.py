"""Chunked uploads (Transfer-Encoding: chunked, no Content-Length), as gunicorn hands them to
Django: de-chunked, with ``wsgi.input_terminated``. They used to be read as empty
(« Aucun fichier reçu »); now the size limits answer as for any other upload."""
from __future__ import annotations

import io

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from tests.api.samples import facture_pdf

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def chunked(client, url: str, files: dict, *, terminated: bool = True):
    body = encode_multipart(BOUNDARY, files)
    environ = {"CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": io.BytesIO(body)}
    if terminated:
        environ["wsgi.input_terminated"] = True
    return client.generic("POST", url, b"", content_type=MULTIPART_CONTENT, **environ)


def named(name: str, data: bytes):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def test_a_chunked_30_mb_upload_gets_the_file_size_limit(api, media_root):
    big = b"%PDF-1.4\n" + b"0" * (30 * MB)

    response = chunked(api, "/api/v1/bulk-uploads/", {"files": [named("plan.pdf", big)]})

    assert response.status_code == 400, response.content[:500]
    files = response.json()["error"]["details"]["files"]
    assert files[0]["error"]["code"] == "too_large"
    assert "trop volumineux" in files[0]["error"]["message"]


def test_a_chunked_body_over_the_request_limit_gets_413(api, settings, media_root):
    settings.CEE_MAX_REQUEST_BYTES = 2 * MB
    files = {"files": [named(f"f{n}.pdf", b"%PDF-1.4\n" + b"0" * MB) for n in range(3)]}

    response = chunked(api, "/api/v1/bulk-uploads/", files)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


def test_a_chunked_upload_under_the_limits_is_accepted(api, media_root):
    response = chunked(api, "/api/v1/bulk-uploads/", {"files": [named("facture.pdf", facture_pdf("CHUNK-1"))]})

    assert response.status_code == 201, response.content[:500]
    assert response.json()["upload"]["accepted"] == 1


def test_a_server_that_cannot_read_chunked_bodies_gets_411(api):
    response = chunked(api, "/api/v1/bulk-uploads/", {"files": [named("facture.pdf", b"%PDF")]}, terminated=False)

    assert response.status_code == 411
    assert "Content-Length" in response.json()["error"]["message"]

