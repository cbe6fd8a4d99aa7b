import os
import shutil

import pytest
from django.utils import translation

from tests.factories import MunicipalityFactory, StaffFactory, VillageFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# made by the same tests are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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


@pytest.fixture
def municipality(db):
    municipality = MunicipalityFactory(
        name_ky="Биринчи Май",
        name_ru="Биринчи Май",
        phones=["0777 787 138", "0700 637 912"],
        email="1-mai_ao@mail.ru",
    )
    VillageFactory(municipality=municipality, name_ky="Айры-Там", name_ru="Айры-Там")
    VillageFactory(municipality=municipality, name_ky="Ажек", name_ru="Ажек")
    return municipality


@pytest.fixture
def staff(db):
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
