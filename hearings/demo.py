"""Demo hearings with the seed's exact figures.

Development programme hearing: 83 participants, 31 women; 23 proposals and
questions, the 11 questions from initiative groups; 8 proposals taken into
the programme. Local budget hearing: 135 participants (57 women, 78 men),
25 from initiative groups; 11 proposals, 7 taken into the budget (libraries,
a vehicle to deliver drinking water, a school bus among them). Three online
proposals await moderation. Idempotent: a proposal is looked up by its text.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from groups.models import InitiativeGroup

from . import services
from .models import Hearing, Proposal

TZ = ZoneInfo("Asia/Bishkek")
S = Proposal.Status

# (kind, topic, village, group slug, ky, ru, status, decision ky, decision ru)
PROGRAMME_ITEMS = [
    ("proposal", "water", "Айры-Там", None,
     "Айры-Там айылына таза ичүүчү суунун түтүгүн тартуу.",
     "Провести водопровод чистой питьевой воды в село Айры-Там.",
     S.ACCEPTED_PROGRAMME, "Программага 2023-жылга киргизилди, донорлордун каражаты тартылат.",
     "Включено в программу на 2023 год, будут привлечены средства доноров."),
    ("proposal", "water", "Ажек", None,
     "Ажек айылындагы суу сактагычты оңдоп, түтүктөрдү алмаштыруу.",
     "Отремонтировать резервуар в Ажеке и заменить трубы.",
     S.ACCEPTED_PROGRAMME, "Программага киргизилди (2024-жыл).", "Включено в программу (2024 год)."),
    ("proposal", "kindergarten", "Кызыл-Туу", None,
     "Кызыл-Туу айылында жаңы бала бакча куруу: орун жетишпейт.",
     "Построить новый детский сад в Кызыл-Туу: не хватает мест.",
     S.ACCEPTED_PROGRAMME, "Программага киргизилди, долбоордук-сметалык документация даярдалат.",
     "Включено в программу, готовится проектно-сметная документация."),
    ("proposal", "kindergarten", "Айры-Там", None,
     "Айры-Там бала бакчасында кошумча топ ачуу.",
     "Открыть дополнительную группу в детском саду Айры-Тама.",
     S.ACCEPTED_PROGRAMME, "Программага киргизилди.", "Включено в программу."),
    ("proposal", "youth", "Бирдик", None,
     "Жаштардын эс алуусу үчүн спорт аянтчасын куруу.",
     "Построить спортивную площадку для досуга молодёжи.",
     S.ACCEPTED_PROGRAMME, "Программага киргизилди, жаштар курулушка катышат.",
     "Включено в программу, молодёжь участвует в строительстве."),
    ("proposal", "women", "Айры-Там", None,
     "Аялдардын эс алуусу жана кол өнөрчүлүгү үчүн борбор ачуу.",
     "Открыть центр досуга и ремёсел для женщин.",
     S.ACCEPTED_PROGRAMME, "Программага киргизилди, маданият үйүнүн бир бөлмөсү бөлүнөт.",
     "Включено в программу, выделяется помещение в доме культуры."),
    ("proposal", "disaster", "Ажек", None,
     "Ажек айылын жазгы суу каптоодон коргоо үчүн дамба куруу.",
     "Построить дамбу для защиты Ажека от весенних паводков.",
     S.ACCEPTED_PROGRAMME, "Программага киргизилди, ӨКМ менен бирге ишке ашырылат.",
     "Включено в программу, реализуется совместно с МЧС."),
    ("proposal", "roads", "Жаңы-Турмуш", None,
     "Жаңы-Турмуш менен Айры-Тамдын ортосундагы жолду шагылдоо.",
     "Отсыпать гравием дорогу между Жаны-Турмушем и Айры-Тамом.",
     S.ACCEPTED_PROGRAMME, "Программага киргизилди.", "Включено в программу."),
    ("proposal", "youth", "Айры-Там", None,
     "Айылда чоң стадион куруу.", "Построить в селе большой стадион.",
     S.REJECTED, "Бюджеттин мүмкүнчүлүгү жок; анын ордуна спорт аянтчасы программага киргизилди.",
     "Нет возможности в бюджете; вместо этого в программу включена спортивная площадка."),
    ("proposal", "other", "Айры-Там", None,
     "Айыл өкмөтүнүн эсебинен базар куруу.", "Построить рынок за счёт айыл окмоту.",
     S.REJECTED, "Базар куруу айыл өкмөтүнүн милдетине кирбейт; жеке инвесторлорго сунушталат.",
     "Строительство рынка не входит в полномочия айыл окмоту; предложено частным инвесторам."),
    ("proposal", "roads", "Бирдик", None,
     "Бирдик айылынын көчөлөрүн жарыктандыруу.", "Осветить улицы села Бирдик.",
     S.DEFERRED, "Кийинки жылдын бюджетинде каралат.", "Будет рассмотрено в бюджете следующего года."),
    ("proposal", "culture", "Жаңы-Турмуш", None,
     "Жаңы-Турмуштагы маданият үйүн оңдоо.", "Отремонтировать дом культуры в Жаны-Турмуше.",
     S.DEFERRED, "Кийинки жылга жылдырылды.", "Перенесено на следующий год."),
    # The 11 questions, all from initiative groups, all answered.
    ("question", "water", "Айры-Там", "taza-suunun-bashaty",
     "Суу үчүн төлөм канча болот жана ким чогултат?",
     "Какой будет плата за воду и кто будет её собирать?",
     S.ANSWERED, "Тарифти тургундардын жыйыны бекитет; төлөмдү суу колдонуучулар бирикмеси чогултат.",
     "Тариф утверждает сход жителей; плату собирает объединение водопользователей."),
    ("question", "water", "Ажек", "taza-suunun-bashaty",
     "Ажекке суу качан жетет?", "Когда вода дойдёт до Ажека?",
     S.ANSWERED, "Суу сактагыч оңдолгондон кийин, 2024-жылы.", "После ремонта резервуара, в 2024 году."),
    ("question", "kindergarten", "Кызыл-Туу", "bilim-bulagy",
     "Жаңы бала бакча канча балага эсептелет?", "На сколько детей рассчитан новый детский сад?",
     S.ANSWERED, "75 балага, үч топ.", "На 75 детей, три группы."),
    ("question", "school", "Айры-Там", "bilim-bulagy",
     "Мектептин жылуулук системасы качан оңдолот?", "Когда отремонтируют отопление школы?",
     S.ANSWERED, "Жайкы эс алуу учурунда, жергиликтүү бюджеттен.",
     "Во время летних каникул, из местного бюджета."),
    ("question", "youth", "Бирдик", "zhashtar-demilgesi",
     "Спорт аянтчасын курууга жаштар кантип катыша алат?",
     "Как молодёжь может участвовать в строительстве спортплощадки?",
     S.ANSWERED, "Ашар түрүндө; демилгелүү топ тизме түзөт.",
     "Методом ашара; инициативная группа составит список."),
    ("question", "youth", "Айры-Там", "zhashtar-demilgesi",
     "Жаштар үчүн компьютердик курстар ачылабы?", "Откроются ли компьютерные курсы для молодёжи?",
     S.ANSWERED, "Мектеп менен бирге 2022-жылы ачылат.", "Откроются вместе со школой в 2022 году."),
    ("question", "pasture", "Бирдик", "zhayyt-zhana-mal",
     "Малды коомдук жайларда кармоо эрежелери качан бекитилет?",
     "Когда утвердят правила содержания скота в общественных местах?",
     S.ANSWERED, "Айылдык кеңештин кийинки сессиясында.", "На следующей сессии айылного кенеша."),
    ("question", "pasture", "Жаңы-Турмуш", "zhayyt-zhana-mal",
     "Жайыт үчүн төлөм өзгөрөбү?", "Изменится ли плата за пастбища?",
     S.ANSWERED, "Жайыт комитети 2022-жылга өзгөртпөйт.", "Пастбищный комитет на 2022 год не меняет."),
    ("question", "disaster", "Ажек", "azhek-koopsuz-ayil",
     "Дамбанын курулушуна ӨКМ жардам береби?", "Поможет ли МЧС в строительстве дамбы?",
     S.ANSWERED, "Ооба, техника жана таш менен.", "Да, техникой и камнем."),
    ("question", "culture", "Айры-Там", "madaniyat-zhana-kitepkana",
     "Китепканага жаңы китептер сатылып алынабы?", "Будут ли закуплены новые книги для библиотеки?",
     S.ANSWERED, "Бюджет боюнча угууда каралат.", "Будет рассмотрено на бюджетных слушаниях."),
    ("question", "transport", "Кызыл-Туу", "mektepke-zhol",
     "Чек арадагы айылдардын окуучулары мектепке кантип барат?",
     "Как будут добираться до школы учащиеся приграничных сёл?",
     S.ANSWERED, "Ата-энелер менен бирге ташууну уюштуруу каралууда.",
     "Рассматривается организация подвоза совместно с родителями."),
]  # fmt: skip

BUDGET_ITEMS = [
    ("proposal", "culture", "Айры-Там", "madaniyat-zhana-kitepkana",
     "Китепканалардын ишин жакшыртуу: китептер жана эмерек сатып алуу.",
     "Улучшить работу библиотек: купить книги и мебель.",
     S.ACCEPTED_BUDGET, "Бюджетте 60 000 сом каралды.", "В бюджете предусмотрено 60 000 сомов."),
    ("proposal", "water", "Ажек", "taza-suunun-bashaty",
     "Ичүүчү сууну жеткирүү үчүн автотранспорт сатып алуу.",
     "Купить автомобиль для подвоза питьевой воды.",
     S.ACCEPTED_BUDGET, "Бюджетте каралды.", "Предусмотрено в бюджете."),
    ("proposal", "transport", "Кызыл-Туу", "mektepke-zhol",
     "Окуучуларды мектепке ташуу үчүн автобус сатып алуу.",
     "Купить автобус для подвоза учащихся в школу.",
     S.ACCEPTED_BUDGET, "Жергиликтүү бюджеттен 250 000 сом, ата-энелер 50 000 сом.",
     "250 000 сомов из местного бюджета, 50 000 сомов — родители."),
    ("proposal", "school", "Айры-Там", None,
     "Мектептин терезелерин алмаштыруу.", "Заменить окна в школе.",
     S.ACCEPTED_BUDGET, "Бюджетте каралды.", "Предусмотрено в бюджете."),
    ("proposal", "kindergarten", "Айры-Там", None,
     "Бала бакчага төшөк-орун жана идиш-аяк сатып алуу.",
     "Купить постельные принадлежности и посуду для детского сада.",
     S.ACCEPTED_BUDGET, "Бюджетте каралды.", "Предусмотрено в бюджете."),
    ("proposal", "pasture", "Бирдик", None,
     "Жайытка баруучу жолду оңдоо.", "Отремонтировать дорогу к пастбищам.",
     S.ACCEPTED_BUDGET, "Жайыт комитети менен тең каржыланат.",
     "Софинансируется с пастбищным комитетом."),
    ("proposal", "health", "Жаңы-Турмуш", None,
     "ФАПтын чатырын оңдоо.", "Отремонтировать крышу ФАПа.",
     S.ACCEPTED_BUDGET, "Бюджетте каралды.", "Предусмотрено в бюджете."),
    ("proposal", "roads", "Айры-Там", None,
     "Бардык көчөлөргө асфальт төшөө.", "Заасфальтировать все улицы.",
     S.REJECTED, "Жергиликтүү бюджеттин мүмкүнчүлүгүнөн ашат; шагылдоо программада.",
     "Превышает возможности местного бюджета; отсыпка гравием есть в программе."),
    ("proposal", "other", "Айры-Там", None,
     "Айыл өкмөтүнүн кызматкерлерине жаңы унаа алуу.",
     "Купить новый автомобиль для сотрудников айыл окмоту.",
     S.REJECTED, "Артыкчылыктуу эмес: каражат окуучуларды ташууга багытталды.",
     "Не приоритетно: средства направлены на подвоз учащихся."),
    ("proposal", "youth", "Бирдик", None,
     "Жаштар борборуна компьютер сатып алуу.", "Купить компьютеры для молодёжного центра.",
     S.DEFERRED, "2024-жылдын бюджетинде каралат.", "Будет рассмотрено в бюджете 2024 года."),
    ("proposal", "roads", "Ажек", None,
     "Ажектеги көпүрөнү оңдоо.", "Отремонтировать мост в Ажеке.",
     S.DEFERRED, "Кийинки жылга жылдырылды.", "Перенесено на следующий год."),
]  # fmt: skip

ONLINE_AWAITING = [
    ("proposal", "roads", "Ажек", "Ажек айылындагы көпүрөнүн тосмосу сынган, балдар үчүн коркунучтуу.",
     "Асанова Гүлзат", "0777 45 67 89"),
    ("question", "kindergarten", "Кызыл-Туу",
     "Кызыл-Туудагы жаңы бала бакчага каттоо качан башталат?", "", ""),
    ("proposal", "youth", "Айры-Там", "Мектептин спорт залын кечинде жаштарга ачып берүү сунушу.",
     "Токтосунов Бектур", "0700 11 22 33"),
]  # fmt: skip


ANNOUNCEMENT_KY = (
    "Бардык тургундар чакырылат. Сунуштарыңызды алдын ала ушул сайт "
    "аркылуу же айыл өкмөтүнө жазуу жүзүндө берсеңиз болот."
)


def _at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=TZ)


def next_budget_hearing():
    """The budget hearing the demo announces: 11 December, 14:00, as in the
    seed; this year's while it is ahead, else next year's. The demo's own
    today decides, so it never announces a hearing that has passed."""
    now = timezone.now()
    starts_at = _at(timezone.localdate().year, 12, 11, 14)
    return starts_at if starts_at > now else _at(starts_at.year + 1, 12, 11, 14)


def _hearing(municipality, villages, kind, starts_at, by, *, lookup=None, **fields):
    """The hearing found by `lookup` (its date unless given), created or updated."""
    fields["village"] = villages.get("Айры-Там")
    hearing = Hearing.objects.filter(
        municipality=municipality, kind=kind, **(lookup or {"starts_at": starts_at})
    ).first()
    if hearing is None:
        hearing = Hearing(municipality=municipality, kind=kind, starts_at=starts_at, **fields)
        services.create_hearing(hearing, by=by)
    else:
        Hearing.objects.filter(pk=hearing.pk).update(starts_at=starts_at, **fields)
        hearing.refresh_from_db()
    return hearing


# Where the accepted items went (budget/demo.py): by their place in the lists above.
PROGRAMME_TARGETS = ["water", "water", "kindergarten", "kindergarten", "recreation",
                     "recreation", "flood", "roads"]  # fmt: skip
BUDGET_TARGETS = ["2311", "2411", "2213", "2212", "2211", "2412", "2511"]


def _items(hearing, items, villages, groups, by, targets):
    decided_on = (hearing.starts_at + datetime.timedelta(days=30)).date()
    for index, item in enumerate(items):
        kind, topic, village, group, ky, ru, status, decision_ky, decision_ru = item
        if Proposal.objects.filter(hearing=hearing, text_ky=ky).exists():
            continue
        proposal = Proposal(
            municipality=hearing.municipality,
            hearing=hearing,
            kind=kind,
            topic=topic,
            village=villages.get(village),
            group=groups.get(group),
            text_ky=ky,
            text_ru=ru,
        )
        # Received at the hearing, decided a month later: the history says so.
        services.register(proposal, by=by)
        services.record_decision(
            proposal,
            status,
            target=targets[index] if index < len(targets) else None,
            decision_ky=decision_ky,
            decision_ru=decision_ru,
            decided_on=decided_on,
            by=by,
        )


def load_hearings(municipality, by, budget):
    """The seed's two hearings, an announced one and online proposals;
    `budget` is what budget/demo.py loaded (programme, budget, targets)."""
    villages = {v.name_ky: v for v in municipality.villages.all()}
    groups = {g.slug: g for g in InitiativeGroup.objects.filter(municipality=municipality)}
    programme = _hearing(
        municipality,
        villages,
        Hearing.Kind.PROGRAMME,
        _at(2021, 11, 19),
        by,
        title_ky="2022–2026-жылдарга социалдык-экономикалык өнүктүрүү программасы боюнча коомдук угуу",
        title_ru="Общественные слушания по программе социально-экономического развития на 2022–2026 годы",
        place_ky="Айыл өкмөтүнүн жыйындар залы",
        place_ru="Зал заседаний айыл окмоту",
        programme=budget["programme"],
        attendance_total=83,
        attendance_women=31,
        attendance_men=52,
        protocol_ky="Угууга 83 адам катышты, анын 31и аялдар. 23 сунуш жана суроо түштү, "
        "анын ичинен 11 суроо демилгелүү топтордон болду. 8 сунуш программага киргизилди. "
        "Программа айылдык кеңештин 2021-жылдын 24-декабрындагы №1/5 токтому менен бекитилди.",
        protocol_ru="В слушаниях участвовали 83 человека, из них 31 женщина. Поступило "
        "предложений и вопросов: 23, из них 11 вопросов от инициативных групп. 8 предложений "
        "включены в ПСЭР. Программа утверждена постановлением айылного кенеша №1/5 от "
        "24 декабря 2021 года.",
    )
    priorities = [budget["priorities"][key] for key in PROGRAMME_TARGETS]
    _items(programme, PROGRAMME_ITEMS, villages, groups, by, priorities)
    services.set_hearing_status(programme, Hearing.Status.PUBLISHED, by=by)
    budget_hearing = _hearing(
        municipality,
        villages,
        Hearing.Kind.BUDGET,
        _at(2022, 11, 25, 14),
        by,
        title_ky="2023-жылдын жергиликтүү бюджетинин долбоору боюнча коомдук угуу",
        title_ru="Общественные слушания по проекту местного бюджета на 2023 год",
        place_ky="Айры-Там мектебинин чогулуш залы",
        place_ru="Актовый зал школы Айры-Тама",
        budget=budget["budget"],
        attendance_total=135,
        attendance_women=57,
        attendance_men=78,
        attendance_groups=25,
        protocol_ky="Катышуучулардын саны 135 адам, анын ичинен 57си аялдар, 78и эркектер, "
        "демилгелүү топтордон 25 адам катышты. Жалпысынан 11 сунуш түшүп, 7 сунуш "
        "бюджетте эске алынды.",
        protocol_ru="Участников 135 человек, из них 57 женщин и 78 мужчин; от инициативных "
        "групп — 25 человек. Всего поступило 11 предложений, 7 учтены в бюджете.",
    )
    lines = [budget["lines"][code] for code in BUDGET_TARGETS]
    _items(budget_hearing, BUDGET_ITEMS, villages, groups, by, lines)
    services.set_hearing_status(budget_hearing, Hearing.Status.PUBLISHED, by=by)
    upcoming = next_budget_hearing()
    _hearing(
        municipality,
        villages,
        Hearing.Kind.BUDGET,
        upcoming,
        by,
        # It moves with the calendar: found by its announcement, not its date.
        lookup={"status": Hearing.Status.ANNOUNCED, "announcement_ky": ANNOUNCEMENT_KY},
        title_ky=f"{upcoming.year + 1}-жылдын жергиликтүү бюджетинин долбоору боюнча коомдук угуу",
        title_ru=f"Общественные слушания по проекту местного бюджета на {upcoming.year + 1} год",
        place_ky="Айыл өкмөтүнүн жыйындар залы",
        place_ru="Зал заседаний айыл окмоту",
        announcement_ky=ANNOUNCEMENT_KY,
        announcement_ru="Приглашаются все жители. Предложения можно заранее подать через "
        "этот сайт или письменно в айыл окмоту.",
    )
    for kind, topic, village, text, name, phone in ONLINE_AWAITING:
        if Proposal.objects.filter(municipality=municipality, text_ky=text).exists():
            continue
        proposal = Proposal(
            municipality=municipality,
            kind=kind,
            topic=topic,
            village=villages.get(village),
            text_ky=text,
            author_name=name,
            show_author_name=bool(name),
            author_phone=phone,
        )
        services.submit_online(proposal, address=f"demo:{text[:10]}")
    return programme, budget_hearing
