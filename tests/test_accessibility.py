"""Every public page type, in both languages, in Debian's Chromium: axe-core,
the Nu Html Checker, a keyboard, component contrast and a 360 px phone.

A page type added later joins by being listed in `public_pages`.
"""

import pytest
from django.utils import translation

from budget.models import Priority
from groups.models import InitiativeGroup
from hearings import services
from hearings.models import Hearing, Proposal
from tests import pagecheck

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not pagecheck.AXE.exists(), reason="run `make test`: it installs axe"),
]
S = Proposal.Status


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected into the page, which the portal's CSP would refuse.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def urls_with_a_failing_page(settings):
    settings.ROOT_URLCONF = "tests.urls"


def public_pages(language):
    """(name, path) of every public page type, from the demo's data (the `demo` fixture)."""
    group = InitiativeGroup.objects.order_by("pk").first()
    published = Hearing.objects.filter(status="published").order_by("starts_at").first()
    upcoming = Hearing.objects.filter(status="announced").first()
    accepted = Proposal.objects.filter(status=S.ACCEPTED_PROGRAMME).first()
    waiting = Proposal.objects.filter(status=S.AWAITING_MODERATION).first()
    corrected = Proposal.objects.filter(status=S.ACCEPTED_BUDGET).first()
    # A priority that took in proposals, of the programme a hearing discussed.
    priority = Priority.objects.filter(proposals__isnull=False).order_by("pk").first()
    if not corrected.events.exclude(correction_reason="").exists():
        services.correct_decision(
            corrected,
            kind=corrected.kind,
            status=S.PARTLY_ACCEPTED,
            decision_ky=corrected.decision_ky,
            decision_ru=corrected.decision_ru,
            reason="Протоколдо жарым-жартылай деп жазылган.",
            by=None,
        )
    with translation.override(language):
        return [
            ("home", "/"),
            ("groups", "/groups/"),
            ("group", group.get_absolute_url()),
            ("hearings", "/hearings/"),
            ("hearing", published.get_absolute_url()),
            ("upcoming hearing", upcoming.get_absolute_url()),
            ("proposals", "/proposals/"),
            ("search", "/proposals/?q=суу&status=accepted"),
            ("proposal", accepted.get_absolute_url()),
            ("corrected proposal", corrected.get_absolute_url()),
            ("new proposal", "/proposals/new/"),
            ("track", "/proposals/track/"),
            ("track, unknown code", "/proposals/track/?code=ZZZZ-ZZZZ"),
            ("track, not a code", "/proposals/track/?code=x"),
            ("tracked", f"/proposals/track/{waiting.tracking_code}/"),
            ("contacts", "/contacts/"),
            ("programmes", "/programmes/"),
            ("programme", priority.programme.get_absolute_url()),
            ("priority", priority.get_absolute_url()),
            ("budget", "/budget/"),
            ("budget of a year", "/budget/2023/"),
            ("projects", "/projects/"),
            ("projects, filtered", "/projects/?status=completed&kind=donor&year=2023"),
            ("project, amounts undisclosed", "/projects/ayry-tam-taza-suu/"),
            ("project, with its chart", "/projects/mektepke-tashuu/"),
            ("awards", "/awards/"),
            ("400", "/fail/400/"),
            ("403", "/fail/403/"),
            ("404", "/no-such-page/"),
            ("500", "/fail/500/"),
            ("503", "/fail/503/"),
            ("admin login paused", "/locked/"),
        ]


def path_in(language, path):
    return path if path.startswith(f"/{language}/") else f"/{language}{path}"


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_every_public_page_passes_the_checks(
    page, live_server, demo, tmp_path, urls_with_a_failing_page, language
):
    failures = {}
    saved = {}
    focused = set()

    def check(name, response):
        saved[name] = tmp_path / f"{pagecheck.slug(name) or 'page'}.html"
        saved[name].write_text(response.text(), encoding="utf-8")
        found = pagecheck.axe_violations(page)
        found += pagecheck.boundary_failures(page)
        found += pagecheck.focus_failures(page, kinds=focused)
        page.set_viewport_size({"width": 360, "height": 740})
        found += pagecheck.narrow_failures(page)
        page.set_viewport_size({"width": 1280, "height": 800})
        if found:
            failures[name] = found

    for name, path in public_pages(language):
        check(name, page.goto(live_server.url + path_in(language, path)))

    # A form after a failed submit: its error summary and fields with errors.
    page.goto(f"{live_server.url}/{language}/proposals/new/")
    with page.expect_navigation() as navigation:
        page.locator("form.proposal-form [type=submit]").click()
    check("new proposal, failed", navigation.value)

    for file_name, errors in pagecheck.nu_errors(saved.values()).items():
        name = next(n for n, p in saved.items() if p.name == file_name)
        failures.setdefault(name, []).extend(errors)
    # The keyboard reached every kind of control at least once.
    assert {
        "current menu link",
        "a",
        "button",
        "input text",
        "input checkbox",
        "input radio",
        "select",
        "textarea",
    } <= focused
    report = "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in failures.items())
    assert not failures, f"{language}:\n{report}"


def test_every_public_page_type_is_checked(demo):
    """A page added later must join `public_pages`, or this fails."""
    from django.urls import Resolver404, get_resolver, resolve

    names = set()
    for pattern in get_resolver("tests.urls").url_patterns:
        for sub in getattr(pattern, "url_patterns", [pattern]):
            namespace = getattr(sub, "namespace", None)
            for leaf in getattr(sub, "url_patterns", [sub]):
                if getattr(leaf, "name", None):
                    names.add(f"{namespace}:{leaf.name}" if namespace else leaf.name)
    # PDF reports are not pages: tests/test_reports.py reads them back.
    public = {
        n for n in names if not n.startswith("admin:") and n != "healthz" and not n.endswith("_pdf")
    }
    checked = set()
    for _name, path in public_pages("ky"):
        try:
            match = resolve(path_in("ky", path).split("?")[0], urlconf="tests.urls")
        except Resolver404:
            continue  # the 404 page
        checked.add(match.view_name)
    assert public - checked == set()


def test_a_failed_form_starts_with_a_summary_linking_to_its_fields(client, municipality):
    response = client.post("/ky/proposals/new/", {"website": ""})
    content = response.content.decode()
    assert "<title>Ката: " in content
    summary = content.split('class="alert alert-danger error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'href="#id_topic"' in summary and 'href="#id_text"' in summary
    assert 'href="#id_kind_0"' in summary
    assert "<title>Ката: " not in client.get("/ky/proposals/new/").content.decode()


def test_phone_links_and_alternates_are_well_formed(client, municipality):
    content = client.get("/ru/contacts/").content.decode()
    assert 'href="tel:+996777787138"' in content
    assert '<link rel="alternate" hreflang="ky" href="http://testserver/ky/contacts/">' in content
