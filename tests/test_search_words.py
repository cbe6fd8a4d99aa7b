"""A misspelt search word is compared with its municipality's own words,
which PostgreSQL keeps as the proposals are written (hearings.SearchWord)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from hearings import services
from hearings.models import Proposal, SearchWord
from tests.factories import MunicipalityFactory, ProposalFactory


def words(municipality):
    return {str(word) for word in SearchWord.objects.filter(municipality=municipality)}


def test_the_words_follow_the_texts_however_they_are_written(municipality, clerk):
    first = ProposalFactory(
        municipality=municipality, text_ky="Ак-Суудагы көпүрөнү оңдоо", text_ru="Мост"
    )
    other = MunicipalityFactory()
    ProposalFactory(municipality=other, text_ky="Мектеп салуу", text_ru="")
    # Joined words are kept as their parts, the way a search looks for them.
    assert words(municipality) == {"ак", "суудагы", "көпүрөнү", "оңдоо", "мост"}
    assert words(other) == {"мектеп", "салуу"}

    second = ProposalFactory(municipality=municipality, text_ky="Көпүрөнү боёо", text_ru="")
    # Edited: its old words go unless another proposal still has them.
    first.text_ky = "Жолду оңдоо"
    first.save()
    assert words(municipality) == {"жолду", "оңдоо", "мост", "көпүрөнү", "боёо"}
    Proposal.objects.filter(pk=first.pk).update(text_ru="Дорога")
    assert "мост" not in words(municipality) and "дорога" in words(municipality)
    # A decision's words count too.
    services.record_decision(
        first,
        status=Proposal.Status.DEFERRED,
        decided_on=datetime.date(2023, 4, 3),
        decision_ky="Бюджетке киргизилди",
        decision_ru="",
        by=clerk,
    )
    assert {"бюджетке", "киргизилди"} <= words(municipality)
    # Deleted: its words go with it, the other municipality's stay.
    second.delete()
    assert words(municipality) == {"жолду", "оңдоо", "дорога", "бюджетке", "киргизилди"}
    Proposal.objects.filter(municipality=municipality).delete()
    assert words(municipality) == set()
    assert words(other) == {"мектеп", "салуу"}


def test_a_proposal_moved_to_another_municipality_takes_its_words_along(municipality):
    proposal = ProposalFactory(municipality=municipality, text_ky="Сугат арык", text_ru="")
    other = MunicipalityFactory()
    Proposal.objects.filter(pk=proposal.pk).update(municipality=other)
    assert words(municipality) == set() and words(other) == {"сугат", "арык"}


def found(client, query, language="ky"):
    return client.get(f"/{language}/proposals/", {"q": query}).content.decode()


def test_a_misspelt_word_finds_the_proposals_it_was_meant_for(client, municipality):
    ProposalFactory(
        municipality=municipality,
        text_ky="Трансформаторду алмаштыруу керек",
        text_ru="Заменить трансформатор",
    )
    ProposalFactory(municipality=municipality, text_ky="Бакчага орун", text_ru="Места в саду")
    for query, language in [
        ("трансформатр", "ky"),
        ("ТРАНСФОРМАТОРДУ алмаштруу", "ky"),  # every word may be misspelt
        ("трансформтор", "ru"),
        ("заменть", "ru"),
    ]:
        content = found(client, query, language)
        assert "Трансформаторду алмаштыруу" in content or "Заменить трансформатор" in content, query
        assert "Бакчага орун" not in content and "Места в саду" not in content
    # Each word must be found: one like nothing there finds nothing.
    content = found(client, "трансформатр жапжаңы")
    assert "Трансформаторду" not in content
    with translation.override("ky"):
        assert gettext("Nothing matches. Try fewer words or other filters.") in content


def test_a_misspelt_word_finds_nothing_hidden_or_of_another_municipality(client, municipality):
    """The words list holds words of proposals not yet published: they may
    be looked for, but only public proposals of this municipality show."""
    ProposalFactory(
        municipality=municipality,
        status=Proposal.Status.AWAITING_MODERATION,
        origin="online",
        text_ky="Трансформаторду жашыруун алмаштыруу",
    )
    ProposalFactory(text_ky="Трансформаторду башка айылда алмаштыруу")
    content = found(client, "трансформатр")
    assert "жашыруун" not in content and "башка айылда" not in content


def test_misspelt_words_cost_two_queries_more_than_words_spelt_right(client, municipality):
    """However many words are misspelt: one query finds the words like
    each, one counts again."""
    ProposalFactory(municipality=municipality, text_ky="Трансформаторду алмаштыруу")
    found(client, "трансформатор")  # the page's facts, kept from here on
    with CaptureQueriesContext(connection) as right:
        assert "Трансформаторду" in found(client, "трансформатор алмаштыруу")
    with CaptureQueriesContext(connection) as typo:
        assert "Трансформаторду" in found(client, "трансформатр алмаштруу")
    assert len(typo) == len(right) + 2
