"""Render times of the council's PDF reports: a benchmark, run by hand.

    make bench-reports    (or: .venv/bin/python scripts/bench_reports.py)

On a throw-away test database: the demo's data, then a generated large set
(a 300-item hearing, 100 groups with 1,500 members, a year with 20
hearings). Prints each report's queries, the median time of its layout
(warm process, no cached PDF) and of the same report asked again, which
the reports cache serves (portal/reports.py).
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")

import django

django.setup()

from django.conf import settings  # noqa: E402

settings.ALLOWED_HOSTS.append("large.example")  # the generated municipality's host

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)


def timed(client, url):
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, (time.perf_counter() - start) * 1000


def measure(client, url, runs):
    """Queries; the layout's time (median of `runs`, reports cache emptied
    each time); the time of the same report again (from the cache)."""
    from django.core.cache import caches

    with CaptureQueriesContext(connection) as queries:
        response, _ = timed(client, url)
    count = len(queries)  # before the next request empties the log
    laid_out, again = [], []
    for _ in range(runs):
        caches["reports"].clear()
        laid_out.append(timed(client, url)[1])
        again.append(timed(client, url)[1])
    return (
        count,
        statistics.median(laid_out),
        statistics.median(again),
        len(response.content),
    )


def large_set():
    from hearings import services
    from tests.factories import (
        HearingFactory,
        InitiativeGroupFactory,
        MembershipFactory,
        MunicipalityFactory,
        ProposalFactory,
        VillageFactory,
    )

    municipality = MunicipalityFactory(name_ky="Чоң айыл", domain="large.example")
    villages = VillageFactory.create_batch(5, municipality=municipality)
    for group in InitiativeGroupFactory.create_batch(100, municipality=municipality):
        MembershipFactory.create_batch(15, group=group)
    year = [
        HearingFactory(
            municipality=municipality,
            starts_at=datetime.datetime(2025, 1 + i // 2, 10 + i % 2, 10, tzinfo=datetime.UTC),
            attendance_total=80,
            attendance_women=40,
        )
        for i in range(20)
    ]
    big = year[0]
    for number in range(1, 301):
        proposal = ProposalFactory(
            municipality=municipality,
            hearing=big,
            origin="hearing",
            protocol_number=number,
            village=villages[number % 5],
        )
        services.record_decision(
            proposal,
            "rejected",
            decision_ky="Каражат жок.",
            decided_on=datetime.date(2025, 2, 1),
            by=None,
        )
    return big


def main():
    runs = int(os.environ.get("RUNS", "5"))
    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        from django.contrib.auth import get_user_model

        call_command("load_demo", verbosity=0)
        user = get_user_model().objects.get(username="demo")
        from hearings.models import Hearing

        demo_hearing = Hearing.objects.get(kind="programme")
        big = large_set()
        period = "date_from=2025-01-01&date_to=2025-12-31"
        cases = [
            ("demo", "127.0.0.1", f"/ky/hearings/{demo_hearing.pk}/protocol.pdf"),
            (
                "demo",
                "127.0.0.1",
                "/ky/admin/reports/register.pdf?date_from=2014-01-01&date_to=2030-12-31",
            ),
            (
                "demo",
                "127.0.0.1",
                "/ky/admin/reports/groups.pdf?date_from=2014-01-01&date_to=2030-12-31",
            ),
            (
                "demo",
                "127.0.0.1",
                "/ky/admin/reports/session.pdf?date_from=2021-01-01&date_to=2022-12-31",
            ),
            ("large", "large.example", f"/ky/hearings/{big.pk}/protocol.pdf"),
            ("large", "large.example", f"/ky/admin/reports/groups.pdf?{period}"),
            ("large", "large.example", f"/ky/admin/reports/session.pdf?{period}"),
        ]
        print(
            f"{'data':6} {'report':62} {'queries':>7} {'laid out ms':>11} {'again ms':>9} {'KB':>6}"
        )
        for data, host, url in cases:
            client = Client(HTTP_HOST=host)
            client.force_login(user)
            count, laid_out, again, size = measure(client, url, runs)
            print(
                f"{data:6} {url[:62]:62} {count:7d} {laid_out:11.0f} {again:9.0f} {size // 1024:6d}"
            )
    finally:
        teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main()
