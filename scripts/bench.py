"""Page timings with a large municipality: a benchmark, run by hand.

    make bench            (or: .venv/bin/python scripts/bench.py [--scale N])
    make bench BENCH_ARGS=--national   (the national set, served by gunicorn:
                                        scripts/bench_national.py, its options)

Creates a throw-away test database, fills it with N-times the demo's size
(groups, people, hearings, proposals), then requests the main pages and
prints, for each, the queries it made and its median and worst time.
Nothing here runs in the test suite: timings are not deterministic.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")
    import warnings

    import django

    django.setup()
    # Pages are served from the sources here, not from collectstatic's output.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)


def fill(scale):
    from tests.factories import (
        HearingFactory,
        InitiativeGroupFactory,
        MembershipFactory,
        MunicipalityFactory,
        ProposalFactory,
        VillageFactory,
    )

    municipality = MunicipalityFactory(name_ky="Биринчи Май")
    villages = VillageFactory.create_batch(5, municipality=municipality)
    groups = InitiativeGroupFactory.create_batch(8 * scale, municipality=municipality)
    for group in groups:
        group.villages.set(villages[:2])
        MembershipFactory.create_batch(15, group=group)
    hearings = HearingFactory.create_batch(2 * scale, municipality=municipality)
    for index in range(40 * scale):
        ProposalFactory(
            municipality=municipality,
            hearing=hearings[index % len(hearings)],
            origin="hearing",
            group=groups[index % len(groups)],
            village=villages[index % len(villages)],
            text_ky=f"Ажек айылындагы көпүрөнү оңдоо сунушу {index}",
        )
    return groups[0], hearings[0]


def measure(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Read now: later requests reset the log the context reads from.
    count = len(queries)
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    assert response.status_code == 200, (url, response.status_code)
    return count, statistics.median(timings), max(timings)


def main():
    if "--national" in sys.argv[1:]:
        # Its own process layout (a database of its own, gunicorn): see its docstring.
        from bench_national import main as national

        return national([arg for arg in sys.argv[1:] if arg != "--national"])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="times the demo's size")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--national", action="store_true", help="the national bench (scripts/bench_national.py)"
    )
    args = parser.parse_args()

    setup_django()
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        group, hearing = fill(args.scale)
        client = Client()
        urls = [
            "/ky/",
            "/ky/groups/",
            f"/ky/groups/{group.slug}/",
            "/ky/hearings/",
            f"/ky/hearings/{hearing.pk}/",
            "/ky/proposals/",
            "/ky/proposals/?q=көпүрө",
            "/ky/proposals/?status=pending&topic=water",
        ]
        print(f"scale {args.scale}: {8 * args.scale} groups, {40 * args.scale} proposals")
        print(f"{'page':45} {'queries':>7} {'median ms':>10} {'worst ms':>9}")
        for url in urls:
            count, median, worst = measure(client, url, args.runs)
            print(f"{url:45} {count:7d} {median:10.1f} {worst:9.1f}")
    finally:
        teardown_databases(databases, verbosity=0)


if __name__ == "__main__":
    main()
