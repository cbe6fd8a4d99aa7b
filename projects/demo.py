"""The seed's community projects and awards (Birinchi May). Amounts the
source does not give stay empty or undisclosed: none is invented."""

import datetime
from decimal import Decimal

from groups.models import InitiativeGroup

from .models import Award, FundingContribution, Milestone, Output, Project, ProjectGroup

D = datetime.date
K = FundingContribution.Kind

# slug: (title ky, ru, status, started, ended, villages, problem ky, ru, done ky, ru,
#        beneficiaries, implements ("priority", key) or ("line", code))
PROJECTS = {
    "mektepke-tashuu": (
        "Чек арадагы айылдардын окуучуларын мектепке ташуу",
        "Подвоз учащихся из приграничных сёл в школу",
        "completed", D(2023, 2, 1), D(2023, 9, 1), ["Кызыл-Туу", "Бирдик"],
        "Чек арадагы айылдардын балдары мектепке алыс жөө барышчу.",
        "Дети из приграничных сёл ходили в школу пешком издалека.",
        "Окуучулар үчүн автобус сатылып алынды, ташуу уюштурулду.",
        "Куплен автобус для учащихся, организован подвоз.",
        {"pupils": 85}, ("line", "2213"),
    ),
    "ayry-tam-taza-suu": (
        "Айры-Тамга таза ичүүчү суу", "Чистая питьевая вода для Айры-Тама",
        "completed", D(2022, 5, 1), D(2023, 10, 15), ["Айры-Там"],
        "Айры-Тамдын тургундары сууну арыктан жана алыскы булактан ташышчу.",
        "Жители Айры-Тама носили воду из арыка и дальнего родника.",
        "4,5 км суу түтүгү төшөлдү. Аялдар топу жумушчуларга тамак бышырып берди.",
        "Проложено 4,5 км водопровода. Группа женщин готовила еду для рабочих.",
        {"households": 143, "women": 109, "men": 155, "children": 85}, ("priority", "water"),
    ),
    "azhek-damba": (
        "Ажекти суу каптоодон коргоочу дамба", "Дамба для защиты Ажека от паводков",
        "completed", D(2022, 8, 1), D(2023, 6, 1), ["Ажек"],
        "Жазгы суу каптоо Ажектин үйлөрүн жана талааларын бузуп кетчү.",
        "Весенние паводки разрушали дома и поля Ажека.",
        "300 м дамба курулуп, таш төшөлдү, 2000 көчөт отургузулду.",
        "Построена дамба 300 м, уложены камни, высажено 2000 саженцев.",
        {"families": 180}, ("priority", "flood"),
    ),
}  # fmt: skip

# slug: [(kind, source ky, ru, planned, actual, disclosed, in kind ky, ru)]
FUNDING = {
    "mektepke-tashuu": [
        (K.LOCAL_BUDGET, "Жергиликтүү бюджет", "Местный бюджет", 250_000, 250_000, True, "", ""),
        (K.RESIDENTS, "Ата-энелер", "Родители", 50_000, 50_000, True, "", ""),
    ],
    "ayry-tam-taza-suu": [
        (K.DONOR, "БУУнун Бүткүл дүйнөлүк азык-түлүк программасы",
         "Всемирная продовольственная программа ООН", None, None, False, "", ""),
        (K.FOOD, "Айры-Там аялдары", "Женщины Айры-Тама", None, None, True,
         "Жумушчулар үчүн тамак", "Питание для рабочих"),
        (K.LOCAL_BUDGET, "Жергиликтүү бюджет", "Местный бюджет", None, None, True, "", ""),
    ],
    "azhek-damba": [
        (K.LOCAL_BUDGET, "Айыл өкмөтү", "Айыл окмоту", None, None, True, "", ""),
        (K.REPUBLICAN_BUDGET, "Өзгөчө кырдаалдар министрлиги (ӨКМ)",
         "Министерство чрезвычайных ситуаций (МЧС)", None, None, True, "", ""),
        (K.LABOUR, "Демилгелүү топтун мүчөлөрү жана тургундар",
         "Члены инициативной группы и жители", None, None, True,
         "Дамбаны куруу жана көчөт отургузуу", "Строительство дамбы и посадка саженцев"),
    ],
}  # fmt: skip

# slug: [(quantity, unit ky, ru, what ky, ru)]
OUTPUTS = {
    "ayry-tam-taza-suu": [(Decimal("4.5"), "км", "км", "суу түтүгү", "водопровода")],
    "azhek-damba": [
        (300, "м", "м", "дамба, таш төшөлгөн", "дамбы с уложенным камнем"),
        (2000, "көчөт", "саженцев", "отургузулду", "высажено"),
    ],
    "mektepke-tashuu": [(1, "автобус", "автобус", "окуучулар үчүн", "для учащихся")],
}

MILESTONES = {
    "ayry-tam-taza-suu": [
        (D(2022, 5, 1), "Долбоор башталды", "Начало проекта", 0),
        (D(2023, 3, 1), "2 км түтүк төшөлдү", "Проложено 2 км труб", 45),
        (D(2023, 10, 15), "Суу айылга келди", "Вода пришла в село", 100),
    ],
    "azhek-damba": [
        (D(2022, 8, 1), "Иш башталды", "Начало работ", 0),
        (D(2023, 6, 1), "Дамба бүттү, көчөттөр отургузулду",
         "Дамба завершена, саженцы высажены", 100),
    ],
}  # fmt: skip

GROUPS = {
    "mektepke-tashuu": [("mektepke-zhol", "initiator")],
    "ayry-tam-taza-suu": [("taza-suunun-bashaty", "initiator"), ("ayry-tam-ayaldary", "participant")],
    "azhek-damba": [("azhek-koopsuz-ayil", "initiator")],
}  # fmt: skip

# (competition ky, ru, year, place, initiative, group slug, prize, bought ky, ru)
AWARDS = [
    ("«Жергиликтүү демилгелер» сынагы", "Конкурс «Местные инициативы»", 2014, 1,
     "Таза суунун башаты таза болсун", "taza-suunun-bashaty", 100_000,
     "Бала бакча үчүн эмерек", "Мебель для детского сада"),
    ("«Бюджеттик процесске жарандардын реалдуу катышуусу» сынагы",
     "Конкурс «Реальное участие граждан в бюджетном процессе»", 2015, 1, "", None, 170_000,
     "Тургундар менен жолугушуулар үчүн жабдуулар жана эмерек",
     "Оборудование и мебель для встреч с жителями"),
]  # fmt: skip


def load_projects(municipality, budget):
    """The three projects and two awards; `budget` is what budget/demo.py loaded."""
    villages = {v.name_ky: v for v in municipality.villages.all()}
    groups = {g.slug: g for g in InitiativeGroup.objects.filter(municipality=municipality)}
    projects = {}
    for slug, row in PROJECTS.items():
        (title_ky, title_ru, status, started, ended, names, problem_ky, problem_ru,
         done_ky, done_ru, beneficiaries, (target, key)) = row  # fmt: skip
        project, _ = Project.objects.update_or_create(
            municipality=municipality,
            slug=slug,
            defaults={
                "title_ky": title_ky,
                "title_ru": title_ru,
                "status": status,
                "started_on": started,
                "ended_on": ended,
                "problem_ky": problem_ky,
                "problem_ru": problem_ru,
                "done_ky": done_ky,
                "done_ru": done_ru,
                "priority": budget["priorities"][key] if target == "priority" else None,
                "budget_line": budget["lines"][key] if target == "line" else None,
                **beneficiaries,
            },
        )
        project.villages.set([villages[name] for name in names])
        for group, role in GROUPS.get(slug, []):
            ProjectGroup.objects.update_or_create(
                project=project, group=groups[group], defaults={"role": role}
            )
        for kind, ky, ru, planned, actual, disclosed, what_ky, what_ru in FUNDING.get(slug, []):
            FundingContribution.objects.update_or_create(
                project=project,
                kind=kind,
                source_name_ky=ky,
                defaults={
                    "source_name_ru": ru,
                    "planned": planned,
                    "actual": actual,
                    "disclosed": disclosed,
                    "description_ky": what_ky,
                    "description_ru": what_ru,
                },
            )
        for quantity, unit_ky, unit_ru, what_ky, what_ru in OUTPUTS.get(slug, []):
            Output.objects.update_or_create(
                project=project,
                description_ky=what_ky,
                defaults={
                    "quantity": quantity,
                    "unit_ky": unit_ky,
                    "unit_ru": unit_ru,
                    "description_ru": what_ru,
                },
            )
        for date, ky, ru, progress in MILESTONES.get(slug, []):
            Milestone.objects.update_or_create(
                project=project,
                date=date,
                defaults={"description_ky": ky, "description_ru": ru, "progress": progress},
            )
        projects[slug] = project
    for competition_ky, competition_ru, year, place, initiative, group, prize, ky, ru in AWARDS:
        Award.objects.update_or_create(
            municipality=municipality,
            year=year,
            competition_ky=competition_ky,
            defaults={
                "competition_ru": competition_ru,
                "place": place,
                "initiative_ky": initiative,
                "initiative_ru": initiative,
                "group": groups.get(group),
                "prize_amount": prize,
                "purchase_ky": ky,
                "purchase_ru": ru,
            },
        )
    return projects
