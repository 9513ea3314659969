"""The activity log lives in accounts (issue 14) on the table it had in dossiers: the move
keeps its rows, its permissions and the old admin addresses."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.activity import log_activity
from accounts.models import Activity, Role
from accounts.roles import ROLE_GROUP_NAMES

BEFORE_THE_MOVE = [("accounts", "0005_rge_change_request"), ("dossiers", "0014_rge_activity_verbs")]


@pytest.mark.parametrize("old, new", [
    ("/admin/dossiers/activity/", "/admin/accounts/activity/"),
    ("/admin/dossiers/activity/?verb__exact=export", "/admin/accounts/activity/?verb__exact=export"),
    ("/admin/dossiers/activity/42/change/", "/admin/accounts/activity/42/change/"),
])
def test_old_activity_log_bookmarks_lead_to_its_new_admin_page(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_validators_still_see_the_activity_log(client, validator):
    log_activity("export", description="export des dossiers")
    client.force_login(validator)
    response = client.get("/admin/accounts/activity/")
    assert response.status_code == 200
    assert "export des dossiers" in response.content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's schema editor refuses to run inside the test's transaction; the move is state-only "
    "there too (makemigrations --check runs on both databases).",
)
def test_moving_the_log_to_accounts_keeps_its_rows_content_type_and_permissions(db):
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    ct_id = ContentType.objects.get_for_model(Activity).pk
    executor.migrate(BEFORE_THE_MOVE)
    old_apps = executor.loader.project_state(BEFORE_THE_MOVE).apps
    assert old_apps.get_model("contenttypes", "ContentType").objects.get(pk=ct_id).app_label == "dossiers"
    old_row = old_apps.get_model("dossiers", "Activity").objects.create(verb="export", description="avant le déplacement")

    MigrationExecutor(connection).migrate(leaves)

    moved = Activity.objects.get(pk=old_row.pk)
    assert (moved.verb, moved.description) == ("export", "avant le déplacement")
    content_type = ContentType.objects.get(pk=ct_id)
    assert (content_type.app_label, content_type.model) == ("accounts", "activity")
    validators = Group.objects.get(name=ROLE_GROUP_NAMES[Role.VALIDATOR])
    assert validators.permissions.filter(content_type_id=ct_id, codename="view_activity").exists()
