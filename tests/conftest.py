import os
import shutil

import pytest
from django.utils import translation

from tests.factories import MunicipalityFactory, StaffFactory, VillageFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# made by the same tests are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Tests never read the real date: every session runs on a clock that starts
# at this moment and ticks on (time-machine). TEST_CLOCK moves the start, e.g.
# TEST_CLOCK="2026-12-31T22:30:00+06:00" (`make test-newyear`, which CI runs).
DEFAULT_CLOCK = "2026-11-26T10:00:00+06:00"
DATABASE_NAMES = pytest.StashKey[dict]()


def pytest_configure(config):
    """Start the session's clock. The live server's threads share it; other
    processes (PostgreSQL, Chromium, make) and file times keep the real one,
    and the portal asks none of them for the time."""
    import datetime

    import time_machine

    clock = os.environ.get("TEST_CLOCK") or DEFAULT_CLOCK
    moment = datetime.datetime.fromisoformat(clock)
    if moment.tzinfo is None:
        raise pytest.UsageError(f"TEST_CLOCK needs a UTC offset: {clock!r}")
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def pytest_sessionstart(session):
    """Keep the databases' names to put back at the end (see below)."""
    from django.conf import settings

    session.config.stash[DATABASE_NAMES] = {
        alias: db["NAME"] for alias, db in settings.DATABASES.items()
    }


def pytest_sessionfinish(session):
    """With --reuse-db nothing tears the test database down, so the settings
    keep its "test_" name; `make mutate` runs pytest several times in one
    process, and each run would prefix the name again (test_test_...)."""
    from django.conf import settings
    from django.db import connections

    for alias, name in session.config.stash.get(DATABASE_NAMES, {}).items():
        settings.DATABASES[alias]["NAME"] = name
        connections[alias].settings_dict["NAME"] = name


def pytest_report_header(config):
    return f"clock: starts at {os.environ.get('TEST_CLOCK') or DEFAULT_CLOCK} (TEST_CLOCK)"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, launched once per session, with no network chatter."""
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def kyrgyz():
    """Each test starts in the default language, whatever the previous one left."""
    with translation.override("ky"):
        yield


@pytest.fixture(autouse=True)
def fresh_content_types():
    """A transactional test flushes the database and its content types come
    back with new ids: forget the cached ones, whatever ran before."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def no_rendered_reports():
    """Every test lays out its own PDFs (portal/reports.py keeps them)."""
    from django.core.cache import caches

    caches["reports"].clear()


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """`load_demo`, run once per session (per xdist worker): tests/demo_snapshot.py."""
    from tests import demo_snapshot

    with django_db_blocker.unblock():
        return demo_snapshot.take()


@pytest.fixture
def demo(db, demo_snapshot):
    """The demo's data (Birinchi May) in this test's database; the snapshot,
    whose row counts tell what each run of `load_demo` left."""
    from tests import demo_snapshot as snapshot

    snapshot.restore(demo_snapshot)
    return demo_snapshot


@pytest.fixture
def municipality(db):
    # The test client's host: pages find it even beside another municipality.
    municipality = MunicipalityFactory(
        name_ky="Биринчи Май",
        name_ru="Биринчи Май",
        domain="testserver",
        phones=["0777 787 138", "0700 637 912"],
        email="1-mai_ao@mail.ru",
    )
    VillageFactory(municipality=municipality, name_ky="Айры-Там", name_ru="Айры-Там")
    VillageFactory(municipality=municipality, name_ky="Ажек", name_ru="Ажек")
    return municipality


@pytest.fixture
def staff(db):
    """A member of the staff role, never a superuser (see SuperuserFactory)."""
    return StaffFactory()


def member_of(role, **fields):
    from django.contrib.auth.models import Group

    from portal.roles import sync_roles
    from tests.factories import UserFactory

    sync_roles()
    user = UserFactory(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def clerk(db):
    """A member of the ayil okmotu's staff role: what staff really can do."""
    from portal.roles import STAFF

    return member_of(STAFF, username="clerk", first_name="Айгүл")


@pytest.fixture
def moderator(db):
    """A moderator: the moderation queue and nothing else."""
    from portal.roles import MODERATORS

    return member_of(MODERATORS, username="moderator")


@pytest.fixture(autouse=True)
def no_cached_hosts():
    """Each test finds its municipalities afresh: the host lookups the
    default cache keeps (portal/models.py) outlive a test's rollback."""
    from django.core.cache import caches

    caches["default"].clear()
