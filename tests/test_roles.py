"""Who may open what in the admin.

Every URL of every ModelAdmin registered with the admin site (its changelist,
add, change, delete and history pages, its own pages such as a proposal's
correction, and each action, exports included) is requested by an anonymous
visitor, a moderator, a member of the staff role and the superuser, and each
gets what the table below says; so do the admin site's own pages (its index,
each application's, the reports). The URLs and actions come from the site's
registry and URLs: a newly registered model, a new page or a new action fails
here until it has its row.
"""

from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import RequestFactory
from django.urls import URLPattern, reverse
from django.utils.translation import gettext

from hearings.models import ModerationQueue, Proposal
from portal.roles import STAFF, sync_roles
from projects.models import Award
from tests.factories import (
    ActivityFactory,
    CouncilResolutionFactory,
    DevelopmentProgrammeFactory,
    FundingContributionFactory,
    HearingFactory,
    LocalBudgetFactory,
    MembershipFactory,
    PersonFactory,
    ProposalFactory,
    SuperuserFactory,
    UserFactory,
)

S = Proposal.Status

# What a role gets: the page or the action's result, a 403, an action that is
# not offered to it (nothing runs: back to the list with "No action selected"),
# a 404. Anonymous visitors always get the login page.
OK, DENIED, REFUSED, NOT_FOUND = "ok", "403", "not offered", "404"
LOGIN = "login"
ROLES = ("moderator", "staff", "superuser")  # the columns of the table
STANDARD = ("changelist", "add", "change", "delete", "history", "action:delete_selected")


def row(moderator, staff, superuser=OK, **others):
    """The standard pages and delete action all alike; `others` as (moderator, staff, superuser)."""
    return {
        **dict.fromkeys(STANDARD, (moderator, staff, superuser)),
        **{kind.replace("__", ":"): outcomes for kind, outcomes in others.items()},
    }


ALL_OK = (OK, OK, OK)
STAFF_OK = (DENIED, OK, OK)
SUPERUSER_ONLY = (DENIED, DENIED, OK)

EXPECTED = {
    # Users and roles are the superuser's.
    "auth.group": row(DENIED, DENIED),
    "auth.user": row(DENIED, DENIED, password_change=SUPERUSER_ONLY),
    "portal.municipality": row(DENIED, OK),
    "portal.village": row(DENIED, OK),
    "groups.initiativegroup": row(
        DENIED,
        OK,
        action__export_members_csv=STAFF_OK,
        action__export_members_xlsx=STAFF_OK,
        action__dissolve=STAFF_OK,
        action__reactivate=STAFF_OK,
    ),
    "groups.person": row(DENIED, OK),
    "groups.activity": row(DENIED, OK),
    "hearings.hearing": row(DENIED, OK, protocol=STAFF_OK),
    "budget.councilresolution": row(DENIED, OK),
    "budget.developmentprogramme": row(DENIED, OK),
    # The import of lines from a spreadsheet, and its templates.
    "budget.localbudget": {
        **row(DENIED, OK),
        "import": STAFF_OK,
        "import_template_xlsx": STAFF_OK,
        "import_template_csv": STAFF_OK,
    },
    # The funding's export: the selected projects, or the list as filtered.
    "projects.project": {
        **row(DENIED, OK),
        "export_csv": STAFF_OK,
        "export_xlsx": STAFF_OK,
        "action:export_csv": STAFF_OK,
        "action:export_xlsx": STAFF_OK,
    },
    "projects.award": row(DENIED, OK),
    # A proposal's history must stay traceable: staff do not delete proposals.
    "hearings.proposal": {
        **row(DENIED, OK),
        "delete": SUPERUSER_ONLY,
        "action:delete_selected": (DENIED, REFUSED, OK),
        "correct": STAFF_OK,
        "action:start_review": STAFF_OK,
        "action:export_csv": STAFF_OK,
        "action:export_xlsx": STAFF_OK,
    },
    # A list with actions and nothing else, for everyone: no page to edit a
    # proposal around the state machine, nothing to add or delete.
    "hearings.moderationqueue": {
        "changelist": ALL_OK,
        "add": (DENIED, DENIED, DENIED),
        "change": (DENIED, DENIED, DENIED),
        "delete": (DENIED, DENIED, DENIED),
        "history": (DENIED, DENIED, DENIED),
        "action:approve": ALL_OK,
        "action:refuse_spam": ALL_OK,
        "action:refuse_abusive": ALL_OK,
    },
}

# The admin site's own pages: the index, each application's index (a role
# with nothing in an application gets a 404 there) and the reports.
SITE_EXPECTED = {
    "index": ALL_OK,
    "app:auth": (NOT_FOUND, NOT_FOUND, OK),
    "app:portal": (NOT_FOUND, OK, OK),
    "app:groups": (NOT_FOUND, OK, OK),
    "app:hearings": ALL_OK,
    "app:budget": (NOT_FOUND, OK, OK),
    "app:projects": (NOT_FOUND, OK, OK),
    # The reports read proposals: not for moderators.
    "reports": STAFF_OK,
    "reports_session": STAFF_OK,
    "reports_register": STAFF_OK,
    "reports_groups": STAFF_OK,
}
# The site's pages not walked here: signing in and out and one's own
# password are every user's; the autocomplete answers for a form's field
# (tests of its own); view_on_site sends to a public page.
SITE_NOT_WALKED = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "autocomplete",
    "jsi18n",
    "view_on_site",
}
# A fixed period, for the reports.
PERIOD = {"date_from": "2022-01-01", "date_to": "2022-12-31"}


def queued(municipality):
    proposal = ProposalFactory(
        municipality=municipality, status=S.AWAITING_MODERATION, origin="online"
    )
    return ModerationQueue.objects.get(pk=proposal.pk)


# One object per registered model, for its change, delete and history pages
# and its actions.
OBJECTS = {
    "auth.group": lambda m: Group.objects.get(name=STAFF),
    "auth.user": lambda m: UserFactory(username="someone"),
    "portal.municipality": lambda m: m,
    "portal.village": lambda m: m.villages.first(),
    "groups.initiativegroup": lambda m: MembershipFactory(group__municipality=m).group,
    "groups.person": lambda m: PersonFactory(municipality=m),
    "groups.activity": lambda m: ActivityFactory(group__municipality=m),
    "hearings.hearing": lambda m: HearingFactory(municipality=m),
    "budget.councilresolution": lambda m: CouncilResolutionFactory(municipality=m),
    "budget.developmentprogramme": lambda m: DevelopmentProgrammeFactory(municipality=m),
    "budget.localbudget": lambda m: LocalBudgetFactory(municipality=m),
    "projects.project": lambda m: FundingContributionFactory(project__municipality=m).project,
    "projects.award": lambda m: Award.objects.create(
        municipality=m, competition="Жергиликтүү демилгелер", year=2014
    ),
    # Decided, so that its correction page opens.
    "hearings.proposal": lambda m: ProposalFactory(municipality=m, status=S.ACCEPTED_BUDGET),
    "hearings.moderationqueue": queued,
}


def label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def superuser_request():
    request = RequestFactory().get("/")
    request.user = SuperuserFactory.build()
    return request


def admin_urls(model_admin):
    """{kind: (method, url name, action)} of one ModelAdmin, from its URLs and actions."""
    opts = model_admin.model._meta
    prefix = f"{opts.app_label}_{opts.model_name}_"
    kinds = {}
    for pattern in model_admin.get_urls():
        if pattern.name is None:
            # Django's bare <object_id>/ address, a redirect to the change page.
            continue
        assert pattern.name.startswith(prefix), pattern.name
        kind = pattern.name.removeprefix(prefix)
        kinds[kind] = ("get", pattern.name, "<" in str(pattern.pattern))
    # Every action the superuser is offered: any other role's are among them.
    for name in model_admin.get_actions(superuser_request()):
        kinds[f"action:{name}"] = ("post", f"{prefix}changelist", name)
    return kinds


def registered():
    return {label(model): model_admin for model, model_admin in admin.site._registry.items()}


CASES = sorted(
    (model_label, kind)
    for model_label, model_admin in registered().items()
    for kind in admin_urls(model_admin)
)


def outcome(response, changelist_url):
    """What the user got, in the table's words."""
    status = response.status_code
    if status == 302 and response["Location"].startswith(reverse("admin:login")):
        return LOGIN
    if status == 403:
        return DENIED
    if status == 404:
        return NOT_FOUND
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    if gettext("No action selected.") in notes:
        return REFUSED
    if status == 200 and response.wsgi_request.method == "POST":
        # The action's own answer (an export, a confirmation page), never the
        # list drawn again as if no action had been asked for.
        names = [t.name for t in response.templates]
        return REFUSED if "admin/change_list.html" in names else OK
    if status == 200 or (status == 302 and response["Location"] == changelist_url):
        return OK
    return f"{status} {response.get('Location', '')}"


def visit(client, user, method, url, data):
    """One request as `user`, undone afterwards: every role meets the same rows."""
    client.cookies.clear()  # no session or message left by the one before
    with transaction.atomic():
        if user is not None:
            client.force_login(user)
        response = client.post(url, data) if method == "post" else client.get(url)
        transaction.set_rollback(True)
    return response


@pytest.fixture
def users(db, moderator, clerk):
    return {"moderator": moderator, "staff": clerk, "superuser": SuperuserFactory()}


def test_every_registered_admin_has_its_row():
    urls = {model_label: set(admin_urls(ma)) for model_label, ma in registered().items()}
    assert set(urls) == set(EXPECTED) == set(OBJECTS)
    for model_label, kinds in urls.items():
        assert kinds == set(EXPECTED[model_label]), model_label
        for kind in kinds:
            assert len(EXPECTED[model_label][kind]) == len(ROLES), (model_label, kind)


@pytest.mark.parametrize(("model_label", "kind"), CASES)
def test_each_role_gets_what_the_table_says(client, municipality, users, model_label, kind):
    assert model_label in EXPECTED and model_label in OBJECTS, (
        f"{model_label} is registered in the admin: give it its row in EXPECTED and OBJECTS"
    )
    assert kind in EXPECTED[model_label], f"{model_label}: say who may use {kind}"
    model_admin = registered()[model_label]
    if model_label == "auth.group":
        sync_roles()
    obj = OBJECTS[model_label](municipality)
    method, url_name, detail = admin_urls(model_admin)[kind]
    changelist_url = reverse(f"admin:{admin_urls(model_admin)['changelist'][1]}")
    if method == "post":
        url = changelist_url
        data = {"action": detail, "index": "0", "_selected_action": [obj.pk]}
    else:
        url = reverse(f"admin:{url_name}", args=[obj.pk] if detail else [])
        data = None
    got = {"anonymous": outcome(visit(client, None, method, url, data), changelist_url)}
    for role in ROLES:
        got[role] = outcome(visit(client, users[role], method, url, data), changelist_url)
    expected = dict(zip(ROLES, EXPECTED[model_label][kind], strict=True))
    assert got == {"anonymous": LOGIN, **expected}, (model_label, kind, url)


def site_pages():
    """The admin site's own named pages, one per application for app_list."""
    names = set()
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLPattern) and pattern.name:
            if pattern.name == "app_list":
                names |= {f"app:{model._meta.app_label}" for model in admin.site._registry}
            else:
                names.add(pattern.name)
    return names


def test_every_page_of_the_admin_site_has_its_row():
    assert site_pages() - SITE_NOT_WALKED == set(SITE_EXPECTED)


@pytest.mark.parametrize("site_page", sorted(SITE_EXPECTED))
def test_each_role_gets_what_the_table_says_on_the_admins_own_pages(
    client, municipality, users, site_page
):
    if site_page.startswith("app:"):
        url = reverse("admin:app_list", args=[site_page.removeprefix("app:")])
    else:
        url = reverse(f"admin:{site_page}")
    if site_page.startswith("reports_"):
        HearingFactory(municipality=municipality)
        url = f"{url}?{urlencode(PERIOD)}"
    got = {"anonymous": outcome(visit(client, None, "get", url, None), None)}
    for role in ROLES:
        got[role] = outcome(visit(client, users[role], "get", url, None), None)
    expected = dict(zip(ROLES, SITE_EXPECTED[site_page], strict=True))
    assert got == {"anonymous": LOGIN, **expected}


def test_the_staff_role_deletes_no_proposal_and_edits_no_history(clerk):
    """What the table's "not offered" and 403s for proposals rest on."""
    assert not clerk.has_perm("hearings.delete_proposal")
    assert not clerk.has_perm("hearings.add_proposalevent")
    assert not clerk.has_perm("hearings.change_proposalevent")
    assert clerk.has_perm("hearings.change_proposal")
    assert not clerk.is_superuser
