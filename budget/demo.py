"""Demo programmes and budgets of Birinchi May (the seed's resolutions and
priorities; budget lines in som as an ayil okmotu's finance office keeps
them). Idempotent, like the rest of the demo."""

import datetime
from decimal import Decimal

from .models import (
    BudgetDocument,
    BudgetLine,
    CouncilResolution,
    DevelopmentProgramme,
    LocalBudget,
    Priority,
)

D = datetime.date

# (number, date, title ky, title ru, convocation, session)
RESOLUTIONS = {
    "sedp-2018": ("23", D(2017, 11, 22),
                  "2018–2022-жылдарга социалдык-экономикалык өнүктүрүү программасын бекитүү жөнүндө",
                  "Об утверждении программы социально-экономического развития на 2018–2022 годы",
                  6, 18),
    "sedp-2022": ("1/5", D(2021, 12, 24),
                  "2022–2026-жылдарга социалдык-экономикалык өнүктүрүү программасын бекитүү жөнүндө",
                  "Об утверждении программы социально-экономического развития на 2022–2026 годы",
                  7, 1),
    "budget-2023": ("2/4", D(2022, 12, 23),
                    "2023-жылдын жергиликтүү бюджетин бекитүү жөнүндө",
                    "Об утверждении местного бюджета на 2023 год", 7, 2),
    "budget-2024": ("3/6", D(2023, 12, 22),
                    "2024-жылдын жергиликтүү бюджетин бекитүү жөнүндө",
                    "Об утверждении местного бюджета на 2024 год", 7, 3),
    "budget-2025": ("4/2", D(2024, 12, 20),
                    "2025-жылдын жергиликтүү бюджетин бекитүү жөнүндө",
                    "Об утверждении местного бюджета на 2025 год", 7, 4),
}  # fmt: skip

# key: (No., topic, title ky, title ru, expected result ky, ru, cost, from, to)
PRIORITIES_2018 = [
    ("water-2018", 1, "water", "Айры-Тамдын суу түтүгүн калыбына келтирүү",
     "Восстановление водопровода Айры-Тама",
     "Айры-Тамдын үй чарбалары таза суу менен камсыз болот.",
     "Домохозяйства Айры-Тама обеспечены чистой водой.", 3_500_000, 2018, 2020),
    ("kindergarten-2018", 2, "kindergarten", "Бала бакчаларды оңдоо", "Ремонт детских садов",
     "Бала бакчалардагы орундар 40ка көбөйөт.", "Мест в детских садах больше на 40.",
     1_200_000, 2019, 2022),
    ("roads-2018", 3, "roads", "Ички жолдорду шагылдоо", "Гравийное покрытие внутренних дорог",
     "12 км жол оңдолот.", "Отремонтировано 12 км дорог.", 2_000_000, 2018, 2022),
]  # fmt: skip

PRIORITIES_2022 = [
    ("water", 1, "water", "Айры-Там жана Ажек айылдарын таза ичүүчү суу менен камсыздоо",
     "Обеспечение сёл Айры-Там и Ажек чистой питьевой водой",
     "4,5 км суу түтүгү тартылат, 143 үй чарба таза суу алат.",
     "Проложено 4,5 км водопровода, 143 домохозяйства получают чистую воду.",
     6_800_000, 2022, 2025),
    ("kindergarten", 2, "kindergarten", "Бала бакчадагы орундарды көбөйтүү",
     "Увеличение мест в детских садах",
     "Кызыл-Тууда жаңы бала бакча, Айры-Тамда кошумча топ.",
     "Новый детский сад в Кызыл-Туу, дополнительная группа в Айры-Таме.",
     9_500_000, 2023, 2026),
    ("recreation", 3, "youth", "Жаштар жана аялдар үчүн эс алуу жайлары",
     "Места досуга для молодёжи и женщин",
     "Спорт аянтчасы жана аялдар үчүн кол өнөрчүлүк борбору ачылат.",
     "Открыты спортивная площадка и центр ремёсел для женщин.",
     1_800_000, 2022, 2024),
    ("flood", 4, "disaster", "Ажекти суу каптоодон коргоо", "Защита Ажека от паводков",
     "300 м дамба курулат, 2000 көчөт отургузулат.",
     "Построена дамба 300 м, высажено 2000 саженцев.", 2_400_000, 2022, 2023),
    ("roads", 5, "roads", "Айылдар ортосундагы жолдор", "Дороги между сёлами",
     "Жаңы-Турмуш – Айры-Там жолу шагылдалат.",
     "Дорога Жаны-Турмуш – Айры-Там покрыта гравием.", 3_000_000, 2024, 2026),
]  # fmt: skip

# (code, kind, topic, name ky, name ru, planned 2023)
LINES = [
    ("1111", "revenue", "", "Жеке адамдардын кирешесине салык", "Подоходный налог с физических лиц", 3_200_000),
    ("1131", "revenue", "", "Жер салыгы", "Земельный налог", 4_100_000),
    ("1132", "revenue", "", "Мүлк салыгы", "Налог на имущество", 1_350_000),
    ("1421", "revenue", "pasture", "Жайыттарды пайдалануу үчүн төлөм", "Плата за пользование пастбищами", 900_000),
    ("1422", "revenue", "", "Муниципалдык мүлктү ижарага берүү", "Аренда муниципального имущества", 650_000),
    ("1311", "revenue", "", "Республикалык бюджеттен теңдештирүүчү гранттар", "Выравнивающие гранты из республиканского бюджета", 9_800_000),
    ("1312", "revenue", "", "Республикалык бюджеттен стимулдаштыруучу гранттар", "Стимулирующие гранты из республиканского бюджета", 2_000_000),
    ("2111", "expenditure", "other", "Айыл өкмөтүнүн аппаратын күтүү", "Содержание аппарата айыл окмоту", 5_400_000),
    ("2211", "expenditure", "kindergarten", "Бала бакчалар", "Детские сады", 4_600_000),
    ("2212", "expenditure", "school", "Мектептерди күтүү", "Содержание школ", 2_100_000),
    ("2213", "expenditure", "transport", "Окуучуларды мектепке ташуу", "Подвоз учащихся в школу", 250_000),
    ("2311", "expenditure", "culture", "Китепканалар", "Библиотеки", 600_000),
    ("2312", "expenditure", "culture", "Маданият үйү", "Дом культуры", 900_000),
    ("2411", "expenditure", "water", "Ичүүчү суу менен камсыздоо", "Водоснабжение", 2_400_000),
    ("2412", "expenditure", "roads", "Жолдорду жана көпүрөлөрдү күтүү", "Содержание дорог и мостов", 2_300_000),
    ("2511", "expenditure", "health", "Фельдшердик-акушердик пункттар", "Фельдшерско-акушерские пункты", 450_000),
    ("2611", "expenditure", "other", "Көчөлөрдү жарыктандыруу жана көрктөндүрүү", "Освещение улиц и благоустройство", 1_500_000),
    ("2711", "expenditure", "other", "Социалдык жардам", "Социальная помощь", 800_000),
    ("2811", "expenditure", "disaster", "Резервдик фонд", "Резервный фонд", 700_000),
]  # fmt: skip

# year: (status, resolution, population, growth of the plan, executed share,
#        documents published {kind: date})
BUDGETS = {
    2023: ("executed", "budget-2023", 9870, Decimal("1.00"), Decimal("0.96"),
           {"draft": D(2022, 11, 10), "approved": D(2022, 12, 28),
            "citizens": D(2023, 2, 1), "execution": D(2024, 3, 15)}),
    2024: ("executed", "budget-2024", 10020, Decimal("1.08"), Decimal("0.97"),
           {"draft": D(2023, 11, 9), "approved": D(2023, 12, 27),
            "execution": D(2025, 3, 14)}),
    2025: ("executed", "budget-2025", 10150, Decimal("1.16"), Decimal("0.94"),
           {"draft": D(2024, 11, 12), "approved": D(2024, 12, 26),
            "execution": D(2026, 3, 16)}),
}  # fmt: skip

# Lines that did better or worse than the rest: executed share by code.
EXECUTION = {"1311": Decimal("1.00"), "1131": Decimal("0.89"), "2811": Decimal("0.40")}


def _resolutions(municipality):
    result = {}
    for key, (number, adopted_on, ky, ru, convocation, session) in RESOLUTIONS.items():
        result[key], _ = CouncilResolution.objects.update_or_create(
            municipality=municipality,
            number=number,
            adopted_on=adopted_on,
            defaults={
                "title_ky": ky,
                "title_ru": ru,
                "convocation": convocation,
                "session": session,
            },
        )
    return result


def _programme(municipality, resolution, first, last, ky, ru, priorities):
    programme, _ = DevelopmentProgramme.objects.update_or_create(
        municipality=municipality,
        first_year=first,
        last_year=last,
        defaults={
            "title_ky": ky,
            "title_ru": ru,
            "status": DevelopmentProgramme.Status.APPROVED,
            "resolution": resolution,
        },
    )
    result = {}
    for (
        key,
        number,
        topic,
        title_ky,
        title_ru,
        result_ky,
        result_ru,
        cost,
        start,
        end,
    ) in priorities:
        result[key], _ = Priority.objects.update_or_create(
            programme=programme,
            number=number,
            defaults={
                "topic": topic,
                "title_ky": title_ky,
                "title_ru": title_ru,
                "expected_result_ky": result_ky,
                "expected_result_ru": result_ru,
                "planned_cost": cost,
                "first_year": start,
                "last_year": end,
            },
        )
    return programme, result


def _budget(municipality, year, resolutions):
    status, resolution, population, growth, executed_share, documents = BUDGETS[year]
    budget, _ = LocalBudget.objects.update_or_create(
        municipality=municipality,
        year=year,
        defaults={
            "status": status,
            "resolution": resolutions[resolution],
            "population": population,
        },
    )
    lines = {}
    # Round to whole thousands so that revenue and expenditure stay equal.
    for code, kind, topic, ky, ru, planned in LINES:
        amount = (Decimal(planned) * growth / 1000).quantize(Decimal("1")) * 1000
        share = EXECUTION.get(code, executed_share)
        lines[code], _ = BudgetLine.objects.update_or_create(
            budget=budget,
            kind=kind,
            code=code,
            defaults={
                "topic": topic,
                "name_ky": ky,
                "name_ru": ru,
                "planned": amount,
                "revised": None,
                "executed": (amount * share).quantize(Decimal("1")),
            },
        )
    for kind, published_on in documents.items():
        BudgetDocument.objects.get_or_create(budget=budget, kind=kind, published_on=published_on)
    return budget, lines


def load_budget(municipality):
    """Programmes, budgets and the targets the demo hearings' decisions name."""
    resolutions = _resolutions(municipality)
    _programme(
        municipality,
        resolutions["sedp-2018"],
        2018,
        2022,
        "2018–2022-жылдарга социалдык-экономикалык өнүктүрүү программасы",
        "Программа социально-экономического развития на 2018–2022 годы",
        PRIORITIES_2018,
    )
    programme, priorities = _programme(
        municipality,
        resolutions["sedp-2022"],
        2022,
        2026,
        "2022–2026-жылдарга социалдык-экономикалык өнүктүрүү программасы",
        "Программа социально-экономического развития на 2022–2026 годы",
        PRIORITIES_2022,
    )
    budgets = {year: _budget(municipality, year, resolutions) for year in BUDGETS}
    budget_2023, lines_2023 = budgets[2023]
    return {
        "programme": programme,
        "priorities": priorities,
        "budget": budget_2023,
        "lines": lines_2023,
    }
