"""The findings of the November 2026 security and reliability review, each
closed with a test that fails without its fix."""

import datetime
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

import psycopg
import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, close_old_connections, connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hearings import services
from hearings.models import Hearing, Proposal
from portal.admin_site import DeclaredLookupsOnly
from portal.wsgi import application
from tests.factories import (
    HearingFactory,
    MembershipFactory,
    PersonFactory,
    ProposalFactory,
    UserFactory,
    protocol_pdf,
)
from tests.test_hearing_entry import hearing_form, saved
from tests.test_hearings import submission
from tests.test_settings import coverage_env

ROOT = Path(__file__).resolve().parent.parent
S = Proposal.Status


def links(content):
    """Every address the page links to or loads."""
    return re.findall(r'(?:href|src|action)="([^"]*)"', content)


def on_this_site(url):
    return (url.startswith("/") and not url.startswith("//")) or url.startswith(
        ("http://testserver/", "https://testserver/", "#", "tel:", "mailto:")
    )


# --- 1. Admin lists filter and sort only by what they declare ---------------


def test_every_admin_of_the_site_refuses_undeclared_lookups():
    for model_admin in admin.site._registry.values():
        assert isinstance(model_admin, DeclaredLookupsOnly), model_admin


@pytest.mark.parametrize(
    "query",
    [
        "author_email__startswith=a",
        "author_phone__startswith=0",
        "submitter_hash__startswith=a",
        "text__contains=x",
        "author_email=gulzat@example.kg",
        "o=99",
        "o=x",
    ],
)
def test_a_moderator_cannot_probe_private_fields_of_the_queue(
    client, municipality, moderator, query
):
    proposal = ProposalFactory(
        municipality=municipality,
        status=S.AWAITING_MODERATION,
        origin="online",
        author_email="gulzat@example.kg",
        author_phone="0777 45 67 89",
        submitter_hash="abc",
    )
    client.force_login(moderator)
    response = client.get("/ky/admin/hearings/moderationqueue/")
    assert proposal.display_code in response.content.decode()
    response = client.get(f"/ky/admin/hearings/moderationqueue/?{query}")
    assert response.status_code == 400
    assert proposal.display_code not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "author_phone__startswith=0777",
        "author_email__startswith=g",
        "submitter_hash__startswith=a",
        "decided_by__email__startswith=a",
        # A declared filter's field, with a lookup no filter offers.
        "status__startswith=rec",
        "submitted_at__gte=2022-01-01",
    ],
)
def test_staff_cannot_filter_proposals_by_private_fields(client, municipality, clerk, query):
    ProposalFactory(municipality=municipality, author_phone="0777 45 67 89")
    client.force_login(clerk)
    assert client.get(f"/ky/admin/hearings/proposal/?{query}").status_code == 400


def test_declared_filters_still_work(client, municipality, clerk):
    village = municipality.villages.first()
    received = ProposalFactory(municipality=municipality, village=village, text_ky="Алынды")
    ProposalFactory(municipality=municipality, status=S.UNDER_REVIEW, text_ky="Каралууда")
    client.force_login(clerk)
    url = "/ky/admin/hearings/proposal/"
    response = client.get(f"{url}?status__exact=received")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [received]
    response = client.get(f"{url}?village__id__exact={village.pk}&topic__exact=water&missing=ru")
    assert response.status_code == 200
    year = timezone.localdate(received.submitted_at).year
    assert client.get(f"{url}?submitted_at__year={year}").status_code == 200
    # Columns: 0 the action checkbox, 1 the code, 3 the kind.
    assert client.get(f"{url}?q=Алынды&o=-1.3").status_code == 200
    assert client.get("/ky/admin/hearings/hearing/?kind__exact=budget").status_code == 200
    assert client.get("/ky/admin/groups/person/?sex__exact=f&category=deputy").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "phone__startswith=0555",
        "notes__contains=Жеке",
        "birth_year__gte=1990",
        "birth_year=1980",
        "memberships__person__phone__startswith=0",
        # Column 3 is the birth year (0 is the action checkbox): shown, never a sort key.
        "o=3",
    ],
)
def test_staff_cannot_filter_or_sort_people_by_private_fields(client, municipality, clerk, query):
    PersonFactory(municipality=municipality)
    client.force_login(clerk)
    assert client.get("/ky/admin/groups/person/?o=1").status_code == 200
    assert client.get(f"/ky/admin/groups/person/?{query}").status_code == 400


def test_staff_cannot_filter_groups_by_members_contacts(client, municipality, clerk):
    MembershipFactory(group__municipality=municipality)
    client.force_login(clerk)
    url = "/ky/admin/groups/initiativegroup/"
    assert client.get(f"{url}?status__exact=active").status_code == 200
    assert client.get(f"{url}?memberships__person__phone__startswith=0").status_code == 400
    assert client.get(f"{url}?members__notes__contains=a").status_code == 400


# --- 2. A form body in another charset is a 400 in the visitor's language ----

CSRF = "a" * 32


@pytest.mark.parametrize("url", ["/ky/", "/ky/proposals/new/", "/ky/admin/login/"])
@pytest.mark.parametrize("charset", ["utf-16", "latin-1"])
def test_a_post_in_another_charset_is_a_400(municipality, url, charset):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF
    response = client.post(
        url,
        f"csrfmiddlewaretoken={CSRF}&text=x",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400
    assert "Сурамды окуу мүмкүн болгон жок" in response.content.decode()


def test_the_400_page_is_in_russian_on_russian_pages(municipality):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF
    response = client.post(
        "/ru/proposals/new/",
        f"csrfmiddlewaretoken={CSRF}",
        content_type="application/x-www-form-urlencoded; charset=utf-16",
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'lang="ru"' in content
    assert "Не удалось прочитать запрос" in content


def test_a_post_in_another_charset_is_a_400_through_wsgi():
    """What gunicorn sees: the WSGI application itself, no test client."""
    body = f"csrfmiddlewaretoken={CSRF}&text=x".encode("utf-16")
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/ky/proposals/new/",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/x-www-form-urlencoded; charset=utf-16",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": f"csrftoken={CSRF}",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    started = []
    # As the test client does: no database connection is opened or closed here.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        response = application(environ, lambda status, headers, *args: started.append(status))
        content = b"".join(response).decode()
        response.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert started == ["400 Bad Request"]
    assert "Сурамды окуу мүмкүн болгон жок" in content


# --- 3. No link leaves the site --------------------------------------------


@pytest.mark.parametrize("path_info", ["//evil.example/", "///evil.example/"])
def test_the_404_page_links_only_to_this_site(client, municipality, path_info):
    # What a server passes on for //evil.example/ and /%2F%2Fevil.example/
    # (the test client would read the first as a host).
    response = client.get("/", PATH_INFO=path_info)
    assert response.status_code == 404
    content = response.content.decode()
    assert "evil.example" not in content
    for url in links(content):
        assert on_this_site(url), url
    assert 'href="/ru/"' in content  # the other language's home page


def test_the_language_switcher_keeps_a_real_page_and_its_query(client, municipality):
    content = client.get("/ky/proposals/?topic=water").content.decode()
    assert 'href="/ru/proposals/?topic=water"' in content
    proposal = ProposalFactory(municipality=municipality)
    content = client.get(f"/ru/proposals/{proposal.pk}/").content.decode()
    assert f'href="/ky/proposals/{proposal.pk}/"' in content


def test_language_links_give_a_path_and_an_absolute_address(rf, municipality):
    from portal.context_processors import portal

    request = rf.get("/ky/contacts/")
    request.municipality = None
    ru = next(link for link in portal(request)["language_links"] if link["code"] == "ru")
    assert ru["url"] == "/ru/contacts/"
    assert str(ru["absolute_url"]) == "http://testserver/ru/contacts/"


# --- 4. Admin logins are throttled ------------------------------------------

LOGIN = "/ky/admin/login/"


def log_in(client, username, password, address, url=LOGIN, **headers):
    return client.post(
        url,
        {"username": username, "password": password, "next": "/ky/admin/"},
        REMOTE_ADDR=address,
        **headers,
    )


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


def test_five_wrong_passwords_lock_the_user_out_from_that_address(client, clerk, axes_on):
    for _attempt in range(4):
        response = log_in(client, "clerk", "wrong", "10.0.0.1")
        assert response.status_code == 200  # the form again, with its error
    assert log_in(client, "clerk", "wrong", "10.0.0.1").status_code == 429
    # Now even the right password is refused.
    response = log_in(client, "clerk", "password-for-tests", "10.0.0.1")
    assert response.status_code == 429
    content = response.content.decode()
    assert "Кирүү убактылуу токтотулду" in content
    assert "Күтүү убактысы мүнөт менен: 15" in content
    assert "_auth_user_id" not in client.session
    ru = log_in(client, "clerk", "password-for-tests", "10.0.0.1", url="/ru/admin/login/")
    assert ru.status_code == 429
    assert "Вход временно приостановлен" in ru.content.decode()
    assert "Время ожидания в минутах: 15" in ru.content.decode()


def test_a_lockout_leaves_other_users_and_addresses_alone(clerk, axes_on):
    UserFactory(username="other", is_staff=True)
    for _attempt in range(6):
        log_in(Client(), "clerk", "wrong", "10.0.0.1")
    assert log_in(Client(), "other", "password-for-tests", "10.0.0.2").status_code == 302
    assert log_in(Client(), "clerk", "password-for-tests", "10.0.0.3").status_code == 302
    assert log_in(Client(), "clerk", "password-for-tests", "10.0.0.1").status_code == 429


def test_a_success_clears_the_failures(clerk, axes_on):
    for _attempt in range(4):
        log_in(Client(), "clerk", "wrong", "10.0.0.1")
    assert log_in(Client(), "clerk", "password-for-tests", "10.0.0.1").status_code == 302
    for _attempt in range(4):
        log_in(Client(), "clerk", "wrong", "10.0.0.1")
    assert log_in(Client(), "clerk", "password-for-tests", "10.0.0.1").status_code == 302


def test_the_lockout_counts_the_address_the_proxy_gives(clerk, axes_on, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    for _attempt in range(5):
        log_in(Client(), "clerk", "wrong", "127.0.0.1", HTTP_X_REAL_IP="203.0.113.5")
    locked = log_in(
        Client(), "clerk", "password-for-tests", "127.0.0.1", HTTP_X_REAL_IP="203.0.113.5"
    )
    assert locked.status_code == 429
    elsewhere = log_in(
        Client(), "clerk", "password-for-tests", "127.0.0.1", HTTP_X_REAL_IP="198.51.100.7"
    )
    assert elsewhere.status_code == 302


def test_logins_are_throttled_by_the_real_settings():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert django_settings.AXES_RESET_ON_SUCCESS is True
    assert "axes.middleware.AxesMiddleware" in django_settings.MIDDLEWARE


# --- 5. Protocol files -------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name="Протокол угуу 2022.pdf", content=None):
    return SimpleUploadedFile(name, content or protocol_pdf(), content_type="application/pdf")


def stored(media):
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def test_a_protocol_gets_an_unguessable_name(client, municipality, clerk, media):
    client.force_login(clerk)
    response = client.post(
        "/ky/admin/hearings/hearing/add/",
        hearing_form(municipality, protocol_file=upload()),
    )
    assert saved(response)
    name = Hearing.objects.get().protocol_file.name
    assert re.fullmatch(rf"protocols/{timezone.now().year}/[A-Za-z0-9_-]{{32}}\.pdf", name), name
    assert stored(media) == [name]


def test_a_replaced_or_cleared_protocol_leaves_storage(
    client, municipality, clerk, media, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/ky/admin/hearings/hearing/add/", hearing_form(municipality, protocol_file=upload())
        )
    hearing = Hearing.objects.get()
    first = hearing.protocol_file.name
    change = f"/ky/admin/hearings/hearing/{hearing.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change, hearing_form(municipality, protocol_file=upload("new.pdf")))
    assert saved(response)
    hearing.refresh_from_db()
    assert hearing.protocol_file.name != first
    assert stored(media) == [hearing.protocol_file.name]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change, hearing_form(municipality, **{"protocol_file-clear": "on"}))
    assert saved(response)
    hearing.refresh_from_db()
    assert not hearing.protocol_file
    assert stored(media) == []


def test_a_deleted_hearing_takes_its_protocol_along(
    client, municipality, clerk, media, django_capture_on_commit_callbacks
):
    hearing = HearingFactory(municipality=municipality)
    hearing.protocol_file.save("p.pdf", upload(), save=True)
    assert stored(media)
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/ky/admin/hearings/hearing/{hearing.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Hearing.objects.exists()
    assert stored(media) == []


def test_a_rolled_back_save_keeps_the_old_protocol(
    municipality, media, django_capture_on_commit_callbacks
):
    hearing = HearingFactory(municipality=municipality)
    hearing.protocol_file.save("p.pdf", upload(), save=True)
    old = hearing.protocol_file.name
    hearing.protocol_file = upload("new.pdf")
    # As when the admin's later steps (the items, the status) refuse the save.
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.save_hearing(hearing, previous_protocol=old)
        raise RuntimeError("a later step failed")
    assert old in stored(media)


def test_the_migration_renames_protocols_stored_under_their_own_names(
    municipality, media, django_capture_on_commit_callbacks
):
    import importlib

    from django.apps import apps
    from django.core.files.storage import default_storage

    migration = importlib.import_module("hearings.migrations.0005_protocol_file_names")
    old = default_storage.save("protocols/2022/Протокол угуу.pdf", upload())
    hearing = HearingFactory(municipality=municipality, protocol_file=old)
    with django_capture_on_commit_callbacks(execute=True):
        migration.rename_stored_protocols(apps, None)
    hearing.refresh_from_db()
    assert re.fullmatch(r"protocols/\d{4}/[A-Za-z0-9_-]{32}\.pdf", hearing.protocol_file.name)
    assert stored(media) == [hearing.protocol_file.name]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("protocol.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>"),
        ("protocol.pdf", b"%PDF-1.7 content"),
        ("protocol.png", b"\x89PNG\r\n\x1a\n<html></html>"),
        ("protocol.jpg", b"\xff\xd8\xff<html></html>"),
    ],
)
def test_a_file_that_only_starts_like_a_pdf_or_image_is_refused(
    client, municipality, clerk, media, name, content
):
    client.force_login(clerk)
    response = client.post(
        "/ky/admin/hearings/hearing/add/",
        hearing_form(municipality, protocol_file=upload(name, content)),
    )
    assert response.status_code == 200
    assert "protocol_file" in response.context["adminform"].form.errors
    assert not Hearing.objects.exists()
    assert stored(media) == []


# --- 6. A safety valve on the moderation queue ------------------------------


def waiting(municipality, count, ago=datetime.timedelta(minutes=5)):
    for _n in range(count):
        ProposalFactory(
            municipality=municipality,
            status=S.AWAITING_MODERATION,
            origin="online",
            submitted_at=timezone.now() - ago,
        )


def test_a_full_queue_turns_new_submissions_away(client, municipality, settings):
    settings.PROPOSAL_QUEUE_LIMIT = 3
    waiting(municipality, 3)
    response = client.post("/ky/proposals/new/", submission(municipality))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "кийинчерээк кайра аракет кылыңыз" in response.content.decode()
    assert Proposal.objects.count() == 3
    response = client.post("/ru/proposals/new/", submission(municipality))
    assert "попробуйте ещё раз позже" in response.content.decode()
    assert Proposal.objects.count() == 3


def test_only_the_last_hours_backlog_counts(client, municipality, settings):
    settings.PROPOSAL_QUEUE_LIMIT = 3
    waiting(municipality, 2)
    waiting(municipality, 5, ago=datetime.timedelta(hours=2))
    ProposalFactory.create_batch(5, municipality=municipality)  # published ones
    assert client.post("/ky/proposals/new/", submission(municipality)).status_code == 302
    with pytest.raises(services.QueueFull):
        services.submit_online(Proposal(municipality=municipality), address="10.1.1.1")


def test_the_queue_limit_comes_from_the_environment():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup(); "
            "print(settings.PROPOSAL_QUEUE_LIMIT)",
        ],
        cwd=ROOT,
        env={**os.environ, "PROPOSAL_QUEUE_LIMIT": "17"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "17", result.stderr


@pytest.mark.parametrize("user", ["clerk", "moderator"])
def test_the_admin_index_shows_the_queue_in_one_query(client, municipality, user, request):
    waiting(municipality, 4, ago=datetime.timedelta(days=3))
    client.force_login(request.getfixturevalue(user))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ky/admin/")
    content = response.content.decode()
    assert "Модерацияны күткөн онлайн сунуштар: 4" in content
    assert 'href="/ky/admin/hearings/moderationqueue/"' in content
    assert len([q for q in queries if "hearings_proposal" in q["sql"]]) == 1
    ru = client.get("/ru/admin/").content.decode()
    assert "Онлайн-предложения, ожидающие модерации: 4" in ru


def test_the_admin_index_says_nothing_of_the_queue_to_others(client, municipality):
    client.force_login(UserFactory(is_staff=True))
    content = client.get("/ky/admin/").content.decode()
    assert "Модерацияны күткөн" not in content


# --- 7. When the database is down -------------------------------------------


def database_down():
    return mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("the database is down"),
    )


def test_a_submission_while_the_database_is_down_says_it_was_not_saved(client, municipality):
    data = submission(municipality)
    with database_down():
        response = client.post("/ky/proposals/new/", data)
    assert response.status_code == 503
    content = response.content.decode()
    assert "Сиз жөнөткөн нерсе сакталган жок." in content
    assert response["Retry-After"]
    with database_down():
        response = client.post("/ru/proposals/new/", data)
    assert response.status_code == 503
    assert "То, что вы отправили, не сохранено." in response.content.decode()
    assert 'lang="ru"' in response.content.decode()


def test_a_submission_failing_half_way_says_it_was_not_saved(client, municipality):
    with mock.patch.object(
        services, "submit_online", side_effect=OperationalError("connection lost")
    ):
        response = client.post("/ky/proposals/new/", submission(municipality))
    assert response.status_code == 503
    assert "Сиз жөнөткөн нерсе сакталган жок." in response.content.decode()


def test_the_municipality_lookup_failing_gives_the_503_page(client, db):
    with mock.patch(
        "portal.models.Municipality.objects.for_host", side_effect=OperationalError("down")
    ):
        response = client.get("/ru/")
    assert response.status_code == 503
    content = response.content.decode()
    assert "Портал временно недоступен" in content
    assert "не сохранено" not in content  # nothing was being sent


def test_error_pages_render_without_the_database(client, municipality):
    with database_down():
        response = client.get("/ky/no-such-page/")
    assert response.status_code == 404
    assert "Бет табылган жок" in response.content.decode()


@pytest.mark.parametrize("status", [400, 403, 404, 500, 503])
def test_error_pages_need_no_database(db, status):
    from django.core.exceptions import BadRequest, PermissionDenied
    from django.http import Http404
    from django.utils.functional import SimpleLazyObject
    from django.views import defaults

    from portal import views
    from portal.models import Municipality

    request = RequestFactory().get("/ky/")
    request.municipality = SimpleLazyObject(lambda: Municipality.objects.for_host("testserver"))
    pages = {
        400: lambda: views.bad_request(request, BadRequest()),
        403: lambda: defaults.permission_denied(request, PermissionDenied()),
        404: lambda: defaults.page_not_found(request, Http404()),
        500: lambda: views.server_error(request),
        503: lambda: views.service_unavailable(request),
    }
    with database_down():
        response = pages[status]()
    assert response.status_code == status
    content = response.content.decode()
    assert '<html lang="ky"' in content
    assert "<h1" in content  # the page itself, not a plain-text fallback


def test_a_database_error_outside_any_view_gets_the_503_page(db):
    from portal.views import server_error

    request = RequestFactory().get("/ky/")
    try:
        raise OperationalError("down")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


def test_healthz_answers_over_plain_http_behind_the_ssl_redirect(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/ky/").status_code == 301


# --- 8. After logging in, the admin ----------------------------------------


@pytest.mark.parametrize("next_url", [None, "https://evil.example/", "//evil.example/"])
@pytest.mark.parametrize("language", ["ky", "ru"])
def test_logging_in_without_a_safe_next_lands_on_the_admin(client, clerk, next_url, language):
    data = {"username": "clerk", "password": "password-for-tests"}
    if next_url:
        data["next"] = next_url
    response = client.post(f"/{language}/admin/login/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/admin/"


# --- 9. The served database keeps PostgreSQL's durability --------------------


def server_setting(name):
    """A setting as a connection that is not the tests' own (no options) sees it."""
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname="postgres",
    ) as conn:
        return conn.execute(f"SHOW {name}").fetchone()[0]


@pytest.mark.parametrize("name", ["fsync", "synchronous_commit", "full_page_writes"])
def test_the_database_server_keeps_its_durability(db, name):
    assert server_setting(name) == "on"


def test_only_the_tests_connections_skip_waiting_for_the_disk(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "off"


def test_db_sh_does_not_turn_durability_off():
    script = (ROOT / "scripts" / "db.sh").read_text()
    assert not re.search(r"^\s*(fsync|synchronous_commit|full_page_writes)\s*=\s*off", script, re.M)


# --- 10. Production installs leave the development .venv alone ---------------


def test_the_readme_installs_production_elsewhere_than_the_development_venv():
    readme = (ROOT / "README.md").read_text()
    production = readme.split("## Production start", 1)[1]
    assert "UV_PROJECT_ENVIRONMENT=" in production
    for line in production.splitlines():
        if "venv.sh" in line and "--no-dev" in line:
            assert line.startswith("UV_PROJECT_ENVIRONMENT=/"), line
    assert ".venv/bin/" not in production.split("### ", 1)[0]


@pytest.fixture
def make_project(tmp_path):
    """The Makefile with stand-ins for what its venv rule looks at."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for name in ("pyproject.toml", "uv.lock", ".python-version"):
        (tmp_path / name).write_text("")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    # The file system's clock, not the tests' (tests/conftest.py sets that one).
    old = (tmp_path / "uv.lock").stat().st_mtime - 3600
    for name in ("pyproject.toml", "uv.lock", ".python-version"):
        os.utime(tmp_path / name, (old, old))
    return tmp_path


def venv_rule_runs(project):
    result = subprocess.run(
        ["make", "-n", ".venv/.synced"], cwd=project, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr
    return "scripts/venv.sh" in result.stdout


def test_make_repairs_a_venv_stripped_of_its_dev_tools(make_project):
    (make_project / ".venv" / ".synced").write_text("")
    old = (make_project / ".venv" / ".synced").stat().st_mtime - 1800
    pytest_script = make_project / ".venv" / "bin" / "pytest"
    pytest_script.write_text("")
    os.utime(pytest_script, (old, old))
    assert not venv_rule_runs(make_project)
    pytest_script.unlink()  # what `uv sync --no-dev` leaves
    assert venv_rule_runs(make_project)


# --- make serve ----------------------------------------------------------------


def test_the_local_production_like_settings(tmp_path):
    code = (
        "import django; from django.conf import settings as s; django.setup(); "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "sorted(s.ALLOWED_HOSTS), s.STORAGES['staticfiles']['BACKEND'].rsplit('.', 1)[-1], "
        "bool(s.SECRET_KEY))"
    )
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "portal.settings_serve",
        "SERVE_SECRET_FILE": str(tmp_path / "secret"),
        "DEBUG": "1",  # a development .env or shell must not turn DEBUG on here
        **coverage_env(),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "False",
        "False",
        "False",
        "['.localhost',",
        "'127.0.0.1']",
        "CompressedManifestStaticFilesStorage",
        "True",
    ]
    # The secret is made once and kept.
    secret = (tmp_path / "secret").read_text()
    assert len(secret.strip()) >= 50
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=60)
    assert (tmp_path / "secret").read_text() == secret
