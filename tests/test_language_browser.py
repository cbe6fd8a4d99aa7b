"""The admin's autocomplete, in Debian's Chromium through Playwright."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from portal.roles import STAFF, sync_roles
from tests.factories import InitiativeGroupFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_autocomplete_answers_in_kyrgyz(page, live_server, municipality):
    """Django ships select2's Russian; the Kyrgyz is ours (portal/admin_i18n.py)."""
    sync_roles()
    user = UserFactory(username="aigul", is_staff=True)
    user.groups.add(Group.objects.get(name=STAFF))
    group = InitiativeGroupFactory(municipality=municipality)
    page.goto(f"{live_server.url}/ky/admin/login/")
    page.locator("#id_username").fill("aigul")
    page.locator("#id_password").fill("password-for-tests")
    page.locator("#login-form [type=submit]").click()
    page.goto(f"{live_server.url}/ky/admin/groups/initiativegroup/{group.pk}/change/")
    page.locator(".select2-selection").first.click()
    page.locator(".select2-search__field").fill("Жок-Жок")
    expect(page.locator(".select2-results")).to_contain_text("Натыйжа табылган жок")
    expect(page.locator(".select2-results")).not_to_contain_text("No results found")
