"""An app server keeps nothing on its own disk but uploaded media, so that
several of them can stand behind one load balancer (README, "More than one
server"): sessions, login lockouts, rendered reports and the rate limit live
in PostgreSQL; the default cache is per process or a shared one."""

import os
from pathlib import Path

import pytest
from django.conf import global_settings, settings
from django.core.management import call_command
from django.db import connection

from hearings.models import Proposal
from portal import settings as production
from tests.test_hearings import submission

# What a run of the tests itself writes in the checkout, and the media.
NOT_THE_APP = {".git", ".venv", "node_modules", "mutants", ".pytest_cache", "__pycache__"}


def files_under(root, skip):
    found = {}
    for folder, dirs, names in os.walk(root):
        dirs[:] = [
            d
            for d in dirs
            if d not in NOT_THE_APP and Path(folder, d) not in skip and not d.startswith(".")
        ]
        for name in names:
            if name.startswith(".coverage"):
                continue
            path = Path(folder, name)
            stat = path.stat()
            found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


def test_the_production_settings_keep_no_state_on_local_disk():
    for name, cache in production.CACHES.items():
        assert "filebased" not in cache["BACKEND"], name
    assert production.CACHES["reports"]["BACKEND"].endswith("db.DatabaseCache")
    engine = getattr(production, "SESSION_ENGINE", global_settings.SESSION_ENGINE)
    assert engine.endswith(("backends.db", "backends.cached_db"))
    assert "filebased" not in getattr(production, "EMAIL_BACKEND", "")
    assert production.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")


@pytest.mark.django_db
def test_serving_writes_nothing_but_media_to_disk(client, demo, clerk, settings_override):
    call_command("createcachetable", verbosity=0)
    skip = {Path(settings.MEDIA_ROOT), Path(production.MEDIA_ROOT)}
    before = files_under(settings.BASE_DIR, skip)
    proposal = Proposal.objects.public().first()
    for url in (
        "/ky/",
        "/ky/proposals/",
        "/ky/proposals/?q=көпүрө",
        proposal.get_absolute_url(),
        "/ky/proposals/register.pdf",
        "/ru/proposals/register.pdf",
        "/ky/groups/",
        "/ky/hearings/",
        "/ky/budget/",
        "/ky/projects/",
    ):
        assert client.get(url).status_code == 200, url
    municipality = proposal.municipality
    assert client.post("/ky/proposals/new/", submission(municipality)).status_code == 302
    client.force_login(clerk)
    assert client.get("/ky/admin/hearings/proposal/").status_code == 200
    assert files_under(settings.BASE_DIR, skip) == before
    # The rendered reports went to the database, which every server shares.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM portal_report_cache")
        assert cursor.fetchone()[0] == 2


@pytest.fixture
def settings_override(settings):
    """The production caches (the tests keep reports in memory)."""
    settings.CACHES = production.CACHES
    return settings
