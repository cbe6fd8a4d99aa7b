"""The projects app's rules in the database, and its funding figures: an
undisclosed amount is neither counted as zero nor hidden."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hearings import services
from hearings.models import Proposal
from projects.figures import by_kind
from projects.models import Project
from tests.factories import (
    BudgetLineFactory,
    FundingContributionFactory,
    MunicipalityFactory,
    PriorityFactory,
    ProjectFactory,
    ProposalFactory,
)

pytestmark = pytest.mark.django_db


def refused(constraint, make):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        make()


@pytest.mark.parametrize("field", ["planned", "actual", "estimated_value"])
def test_no_amount_is_negative(field):
    kind = "labour" if field == "estimated_value" else "local_budget"
    amounts = {"planned": None, field: -1}
    refused(
        f"contribution_{field}_not_negative",
        lambda: FundingContributionFactory(kind=kind, **amounts),
    )


@pytest.mark.parametrize("field", ["households", "families", "women", "men", "children", "pupils"])
def test_no_count_of_beneficiaries_is_negative(field):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(**{field: -1})


def test_an_undisclosed_contribution_carries_no_amount():
    refused(
        "contribution_undisclosed_has_no_amount",
        lambda: FundingContributionFactory(disclosed=False, planned=1000),
    )


def test_only_a_contribution_in_kind_has_an_estimate_and_a_description():
    refused(
        "contribution_estimate_only_in_kind",
        lambda: FundingContributionFactory(kind="donor", estimated_value=500),
    )
    in_kind = FundingContributionFactory(
        kind="food", planned=None, description_ky="Тамак", estimated_value=20000
    )
    assert in_kind.amount == 20000


def test_a_project_ends_after_it_starts_and_implements_one_thing():
    refused(
        "project_ends_after_it_starts",
        lambda: ProjectFactory(
            started_on=datetime.date(2023, 5, 1), ended_on=datetime.date(2023, 4, 1)
        ),
    )
    m = MunicipalityFactory()
    refused(
        "project_implements_one_target",
        lambda: ProjectFactory(
            municipality=m,
            priority=PriorityFactory(programme__municipality=m),
            budget_line=BudgetLineFactory(budget__municipality=m),
        ),
    )


def test_a_project_implements_what_its_own_municipality_planned():
    project = ProjectFactory.build(
        municipality=MunicipalityFactory(), priority=PriorityFactory(), slug="x"
    )
    with pytest.raises(ValidationError) as error:
        project.clean()
    assert list(error.value.message_dict) == ["priority"]


def test_slugs_are_made_from_the_kyrgyz_title_and_kept_apart():
    m = MunicipalityFactory()
    first = ProjectFactory(municipality=m, title_ky="Айры-Тамга таза суу")
    second = ProjectFactory(municipality=m, title_ky="Айры-Тамга таза суу")
    assert first.slug == "ayry-tamga-taza-suu"
    assert second.slug == "ayry-tamga-taza-suu-2"
    elsewhere = ProjectFactory(title_ky="Айры-Тамга таза суу")
    assert elsewhere.slug == first.slug


def test_funding_counts_what_is_known_and_says_what_is_not(django_assert_num_queries):
    project = ProjectFactory()
    FundingContributionFactory(
        project=project, kind="local_budget", planned=250_000, actual=240_000
    )
    FundingContributionFactory(project=project, kind="residents", planned=50_000)
    FundingContributionFactory(project=project, kind="donor", planned=None, disclosed=False)
    FundingContributionFactory(project=project, kind="labour", planned=None, estimated_value=10_000)
    FundingContributionFactory(project=project, kind="food", planned=None)  # no amount given
    FundingContributionFactory(kind="donor", planned=9_999_999)  # another project's
    with django_assert_num_queries(1):
        figures = Project.objects.with_funding().get(pk=project.pk)
    # Actual where known, else planned, else the estimate; never a zero for the unknown.
    assert figures.funding_known == 300_000
    assert figures.funding_local == 240_000
    assert figures.funding_undisclosed == 2
    assert figures.cofinancing == Decimal("0.25")  # 60 000 from others per 240 000


def test_without_local_money_there_is_no_cofinancing_ratio():
    project = ProjectFactory()
    FundingContributionFactory(project=project, kind="donor", planned=1000)
    assert Project.objects.with_funding().get(pk=project.pk).cofinancing is None


def test_funds_by_source_kind_keep_the_undisclosed_apart():
    project = ProjectFactory()
    FundingContributionFactory(project=project, kind="donor", planned=None, disclosed=False)
    FundingContributionFactory(project=project, kind="donor", planned=700)
    FundingContributionFactory(project=project, kind="local_budget", planned=300)
    FundingContributionFactory(project=project, kind="food", planned=None)
    rows = by_kind(project.contributions.all(), None)
    # A kind with no public amount has none, not 0; it comes last.
    assert [(r["kind"], r["known"], r["unknown"]) for r in rows] == [
        ("donor", 700, 1),
        ("local_budget", 300, 0),
        ("food", None, 1),
    ]


def test_a_proposal_accepted_into_a_project_names_it():
    project = ProjectFactory()
    proposal = ProposalFactory(municipality=project.municipality)
    with pytest.raises(ValidationError) as error:
        services.record_decision(proposal, Proposal.Status.ACCEPTED_PROJECT, by=None)
    assert list(error.value.message_dict) == ["project"]
    services.record_decision(proposal, Proposal.Status.ACCEPTED_PROJECT, target=project, by=None)
    proposal.refresh_from_db()
    assert (proposal.project, proposal.target) == (project, project)
    elsewhere = ProposalFactory()
    with pytest.raises(ValidationError) as error:
        services.record_decision(
            elsewhere, Proposal.Status.ACCEPTED_PROJECT, target=project, by=None
        )
    assert list(error.value.message_dict) == ["project"]
    refused(
        "proposal_project_decision_names_project",
        lambda: ProposalFactory(status="rejected", project=project),
    )
    refused(
        "proposal_one_target",
        lambda: ProposalFactory(
            municipality=project.municipality,
            status="partly_accepted",
            project=project,
            budget_line=BudgetLineFactory(budget__municipality=project.municipality),
        ),
    )


def test_a_grey_photo_is_served_as_a_colour_jpeg():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from projects.services import web_photo

    grey = io.BytesIO()
    Image.new("L", (2400, 1200), 128).save(grey, "PNG")
    stored = web_photo(SimpleUploadedFile("scan.png", grey.getvalue()))
    with Image.open(io.BytesIO(stored.read())) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (1600, 800))
