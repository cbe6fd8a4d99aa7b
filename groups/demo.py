"""Demo initiative groups of Birinchi May, after the seed document.

Eight active groups (five founded in 2014), women over 30 % of the members
overall, the group of 50 women behind the Airy-Tam water pipeline, and
activities such as drafting the livestock rules and field inspections.
Idempotent: natural keys are looked up before anything is created.
"""

import random
from datetime import date

from django.utils import timezone

from portal.choices import Topic

from .models import Activity, InitiativeGroup, Membership, Person, PersonCategory, Role

MEN = [
    "Азамат",
    "Бакыт",
    "Нурлан",
    "Эрлан",
    "Талант",
    "Каныбек",
    "Улан",
    "Марат",
    "Жыргалбек",
    "Айбек",
    "Бектур",
    "Алмаз",
    "Тилек",
    "Медер",
    "Чыңгыз",
    "Эрмек",
    "Сагынбек",
    "Мирлан",
    "Данияр",
    "Жоомарт",
    "Нурбек",
    "Асылбек",
    "Төлөн",
    "Үсөн",
    "Күбаныч",
]
WOMEN = [
    "Айгүл",
    "Гүлнара",
    "Нургүл",
    "Жылдыз",
    "Айнура",
    "Бермет",
    "Чолпон",
    "Динара",
    "Мээрим",
    "Асель",
    "Гүлзат",
    "Назгүл",
    "Айпери",
    "Жамиля",
    "Элмира",
    "Сабира",
    "Бактыгүл",
    "Турсунай",
    "Анара",
    "Керимбүбү",
    "Зуура",
    "Салтанат",
    "Гүлмира",
    "Үмүт",
    "Токтобүбү",
    "Айзада",
    "Мөлмөлкан",
    "Перизат",
    "Нуржан",
    "Кумушай",
]
SURNAMES = [
    "Асанов", "Токтосунов", "Жумабаев", "Мамытов", "Осмонов", "Турдубаев", "Абдыкалыков",
    "Исаков", "Сыдыков", "Кадыров", "Эшматов", "Ташиев", "Бообеков", "Жунусов", "Өмүров",
    "Үсөнов", "Сатыбалдиев", "Бекмуратов", "Дөөлөтов", "Касымов", "Алиев", "Нурматов",
]  # fmt: skip

D, C, L = PersonCategory.DEPUTY, PersonCategory.CIVIL_SOCIETY, PersonCategory.COMMUNITY_LEADER

# (slug, ky name, ru name, topics, villages, founded, order, ky text, ru text, members)
# members: (sex, age, categories, role); "shared:N" reuses person N of SHARED.
GROUPS = [
    (
        "taza-suunun-bashaty", "Таза суунун башаты", "Исток чистой воды",
        [Topic.DRINKING_WATER], ["Айры-Там", "Ажек"], date(2014, 3, 12), ("14", date(2014, 3, 20)),
        "Ичүүчү суу түтүктөрүн, булактарды жана суу сактагычтарды коргоо, суу үчүн "
        "төлөмдөрдү чогултууга жардам берүү. 2014-жылы «Жергиликтүү демилгелер» "
        "конкурсунда 1-орунду ээлеген.",
        "Охрана водопроводов, родников и резервуаров питьевой воды, помощь в сборе "
        "платы за воду. В 2014 году заняла 1-е место в конкурсе «Местные инициативы».",
        [("m", 52, [L], Role.CHAIR), ("f", 44, [C], Role.SECRETARY), "shared:0",
         ("m", 61, [L], Role.MEMBER), ("f", 38, [], Role.MEMBER), ("m", 33, [], Role.MEMBER),
         ("f", 29, [], Role.MEMBER), ("m", 47, [], Role.MEMBER), ("f", 55, [L], Role.MEMBER),
         ("m", 41, [], Role.MEMBER)],
    ),
    (
        "bilim-bulagy", "Билим булагы", "Родник знаний",
        [Topic.SCHOOL, Topic.KINDERGARTEN], ["Айры-Там", "Кызыл-Туу"], date(2014, 4, 2),
        ("17", date(2014, 4, 10)),
        "Мектеп жана бала бакча маселелери: окуучулардын коопсуздугу, бала бакчага "
        "орун, мектептин жылуулугу. Ата-энелерди чогултуп, АӨгө сунуштарды даярдайт.",
        "Вопросы школы и детского сада: безопасность учащихся, места в детском саду, "
        "отопление школы. Собирает родителей и готовит предложения для АО.",
        [("f", 46, [C], Role.CHAIR), ("f", 39, [], Role.SECRETARY), ("f", 34, [], Role.MEMBER),
         ("m", 50, [D], Role.MEMBER), ("f", 42, [], Role.MEMBER), ("f", 31, [], Role.MEMBER),
         ("m", 45, [], Role.MEMBER), ("f", 57, [L], Role.MEMBER), ("m", 36, [], Role.MEMBER)],
    ),
    (
        "zhashtar-demilgesi", "Жаштар демилгеси", "Инициатива молодёжи",
        [Topic.YOUTH], ["Айры-Там", "Ажек", "Бирдик"], date(2014, 5, 15),
        ("21", date(2014, 5, 22)),
        "Жаштардын бош убактысын уюштуруу, спорт аянтчалары, ыктыярчылык. "
        "Коомдук угууларга жаштардын катышуусун камсыз кылат.",
        "Досуг молодёжи, спортивные площадки, волонтёрство. Обеспечивает участие "
        "молодёжи в общественных слушаниях.",
        [("m", 27, [L], Role.CHAIR), ("f", 24, [], Role.SECRETARY), ("m", 19, [], Role.MEMBER),
         ("f", 22, [C], Role.MEMBER), ("m", 31, [], Role.MEMBER), ("m", 17, [], Role.MEMBER),
         ("f", 20, [], Role.MEMBER), ("m", 34, [D], Role.MEMBER), ("f", 26, [], Role.MEMBER),
         ("m", 23, [], Role.MEMBER)],
    ),
    (
        "zhayyt-zhana-mal", "Жайыт жана мал", "Пастбища и скот",
        [Topic.PASTURE], ["Бирдик", "Жаңы-Турмуш"], date(2014, 6, 3), ("25", date(2014, 6, 9)),
        "Малды коомдук жайларда айдоо жана кармоо эрежелерин иштеп чыгуу, жайыттарды "
        "текшерүү, жайыт комитети менен иштөө.",
        "Разработка правил выпаса и содержания скота в общественных местах, проверка "
        "пастбищ, работа с пастбищным комитетом.",
        [("m", 58, [L], Role.CHAIR), ("m", 49, [], Role.SECRETARY), "shared:1",
         ("m", 63, [], Role.MEMBER), ("f", 51, [], Role.MEMBER), ("m", 44, [], Role.MEMBER),
         ("m", 39, [], Role.MEMBER), ("m", 47, [], Role.MEMBER), ("m", 55, [], Role.MEMBER)],
    ),
    (
        "azhek-koopsuz-ayil", "Ажек – коопсуз айыл", "Ажек – безопасное село",
        [Topic.DISASTER], ["Ажек"], date(2014, 9, 18), ("38", date(2014, 9, 25)),
        "Жыл сайын суу каптоо коркунучу бар Ажек айылын коргоо: дамба куруу, таш "
        "коюу, көчөт отургузуу, тургундарды мобилизациялоо.",
        "Защита села Ажек, которому ежегодно угрожает паводок: строительство дамбы, "
        "укладка камней, посадка саженцев, мобилизация жителей.",
        [("m", 48, [D], Role.CHAIR), ("f", 41, [], Role.SECRETARY), ("m", 36, [], Role.MEMBER),
         ("m", 29, [], Role.MEMBER), ("f", 45, [C], Role.MEMBER), ("m", 53, [L], Role.MEMBER),
         ("f", 33, [], Role.MEMBER), ("m", 25, [], Role.MEMBER), ("f", 50, [], Role.MEMBER),
         ("m", 42, [], Role.MEMBER), "shared:0"],
    ),
    (
        "madaniyat-zhana-kitepkana", "Маданият жана китепкана", "Культура и библиотека",
        [Topic.CULTURE], ["Айры-Там", "Жаңы-Турмуш"], date(2018, 2, 14),
        ("9", date(2018, 2, 20)),
        "Китепканалардын ишин жакшыртуу, маданий иш-чаралар, салттуу өнөрдү сактоо.",
        "Улучшение работы библиотек, культурные мероприятия, сохранение "
        "традиционных ремёсел.",
        [("f", 52, [C], Role.CHAIR), ("f", 30, [], Role.SECRETARY), ("m", 60, [L], Role.MEMBER),
         ("f", 44, [], Role.MEMBER), ("f", 26, [], Role.MEMBER), ("m", 38, [], Role.MEMBER),
         ("f", 58, [], Role.MEMBER), "shared:1"],
    ),
    (
        "mektepke-zhol", "Мектепке жол", "Дорога в школу",
        [Topic.TRANSPORT, Topic.SCHOOL], ["Кызыл-Туу", "Бирдик"], date(2021, 8, 23),
        ("52", date(2021, 8, 30)),
        "Чек арага жакын айылдардагы окуучуларды мектепке жеткирүү маселесин көтөрүп, "
        "ата-энелерден 50 миң сом чогултушкан.",
        "Подняла вопрос подвоза учащихся из приграничных сёл в школу; собрала с "
        "родителей 50 тысяч сомов.",
        [("f", 40, [], Role.CHAIR), ("m", 45, [], Role.SECRETARY), ("f", 35, [], Role.MEMBER),
         ("m", 51, [D], Role.MEMBER), ("f", 37, [], Role.MEMBER), ("m", 43, [], Role.MEMBER),
         ("f", 33, [], Role.MEMBER), ("m", 28, [], Role.MEMBER)],
    ),
    (
        "ayry-tam-ayaldary", "Айры-Там аялдары", "Женщины Айры-Тама",
        [Topic.DRINKING_WATER, Topic.WOMEN], ["Айры-Там"], date(2019, 4, 1),
        ("11", date(2019, 4, 8)),
        "50 аялдан турган демилгелүү топ. Айры-Там айылына 4,5 км суу түтүгүн төшөө "
        "учурунда жумушчуларга тамак уюштурушкан.",
        "Инициативная группа из 50 женщин. Во время прокладки 4,5 км водопровода в "
        "Айры-Таме организовала питание для рабочих.",
        "women:50",
    ),
]  # fmt: skip
# People who sit in two groups.
SHARED = [("m", 46, [D], Role.MEMBER), ("f", 43, [D], Role.MEMBER)]

ACTIVITIES = {
    "taza-suunun-bashaty": [
        (date(2014, 10, 5), "project", "Булакты тазалоо жана тосмо коюу",
         "Очистка родника и установка ограждения", 24),
        (date(2021, 11, 19), "hearing", "Социалдык-экономикалык өнүктүрүү программасы (СЭӨП) боюнча коомдук угууга катышуу",
         "Участие в слушаниях по программе социально-экономического развития", 9),
        (date(2025, 4, 12), "inspection", "Суу түтүктөрүн жерине барып текшерүү",
         "Выездная проверка водопроводных сетей", 6),
    ],
    "bilim-bulagy": [
        (date(2015, 2, 10), "project", "Бала бакчага эмерек алуу (сыйлыктын эсебинен)",
         "Покупка мебели для детского сада на призовые средства", 8),
        (date(2024, 9, 2), "meeting", "Ата-энелер менен жолугушуу", "Встреча с родителями", 41),
    ],
    "zhashtar-demilgesi": [
        (date(2021, 11, 19), "hearing", "Социалдык-экономикалык өнүктүрүү программасы (СЭӨП) боюнча угууда жаштардын эс алуусу тууралуу сунуш",
         "Предложение о досуге молодёжи на слушаниях по программе социально-экономического развития", 7),
        (date(2025, 6, 1), "project", "Спорт аянтчасын тазалоо өнөктүгү",
         "Субботник на спортивной площадке", 35),
    ],
    "zhayyt-zhana-mal": [
        (date(2016, 3, 15), "rules",
         "Малды коомдук жайларда багуу эрежелеринин долбоорун иштеп чыгуу",
         "Разработка проекта правил содержания скота в общественных местах", 12),
        (date(2016, 5, 20), "meeting", "Эрежелердин долбоорун тургундар менен талкуулоо",
         "Обсуждение проекта правил с жителями", 64),
        (date(2025, 5, 7), "inspection", "Жайыттарды жана коомдук жайларды текшерүү",
         "Проверка пастбищ и общественных мест", 7),
    ],
    "azhek-koopsuz-ayil": [
        (date(2019, 3, 25), "project", "300 м дамба куруу жана таш коюу",
         "Строительство дамбы 300 м и укладка камней", 60),
        (date(2019, 4, 10), "project", "2000 көчөт отургузуу", "Посадка 2000 саженцев", 85),
        (date(2025, 3, 14), "inspection", "Суу жээгин жазгы ташкынга чейин текшерүү",
         "Осмотр берега перед весенним паводком", 8),
    ],
    "madaniyat-zhana-kitepkana": [
        (date(2022, 11, 25), "hearing", "Бюджет боюнча угууда китепканалар тууралуу сунуш",
         "Предложение о библиотеках на бюджетных слушаниях", 6),
    ],
    "mektepke-zhol": [
        (date(2021, 9, 6), "meeting", "Окуучуларды ташуу боюнча ата-энелердин жыйыны",
         "Собрание родителей о подвозе учащихся", 52),
        (date(2022, 11, 25), "hearing", "Мектеп автобусун сатып алуу сунушу",
         "Предложение купить школьный автобус", 5),
    ],
    "ayry-tam-ayaldary": [
        (date(2019, 6, 3), "project", "Суу түтүгүн төшөгөн жумушчуларга тамак уюштуруу",
         "Питание для рабочих на прокладке водопровода", 50),
        (date(2019, 9, 14), "meeting", "Айры-Там суу түтүгүнүн ачылышы",
         "Открытие водопровода в Айры-Таме", 140),
    ],
}  # fmt: skip


class _Names:
    """Deterministic, distinct Kyrgyz full names."""

    def __init__(self):
        self.rng = random.Random(2014)
        self.used = set()

    def __call__(self, sex):
        while True:
            surname = self.rng.choice(SURNAMES) + ("а" if sex == "f" else "")
            given = self.rng.choice(WOMEN if sex == "f" else MEN)
            name = f"{surname} {given}"
            if name not in self.used:
                self.used.add(name)
                return name


def load_groups(municipality):
    villages = {v.name_ky: v for v in municipality.villages.all()}
    year = timezone.localdate().year
    names = _Names()
    rng = random.Random(1)

    def person(sex, age, categories, village):
        full_name = names(sex)
        obj, _ = Person.objects.get_or_create(
            municipality=municipality,
            full_name=full_name,
            defaults={
                "sex": sex,
                "birth_year": year - age,
                "village": village,
                "categories": list(categories),
                "phone": f"0{rng.choice([555, 700, 772, 777])} {rng.randint(100, 999)} "
                f"{rng.randint(100, 999)}",
                "notes": "Демо: жеке маалымат, сайтта көрсөтүлбөйт.",
            },
        )
        return obj

    shared = [person(s, a, c, villages.get("Айры-Там")) for s, a, c, _ in SHARED]
    groups = {}
    for slug, ky, ru, topics, vnames, founded, order, text_ky, text_ru, members in GROUPS:
        group, _ = InitiativeGroup.objects.update_or_create(
            municipality=municipality,
            slug=slug,
            defaults={
                "name_ky": ky,
                "name_ru": ru,
                "focus_topics": list(topics),
                "founded_on": founded,
                "order_number": order[0],
                "order_date": order[1],
                "description_ky": text_ky,
                "description_ru": text_ru,
            },
        )
        group.villages.set([villages[n] for n in vnames if n in villages])
        groups[slug] = group
        home = villages.get(vnames[0])
        if members == "women:50":
            members = [("f", rng.randint(22, 64), [], Role.MEMBER) for _ in range(50)]
            members[0] = ("f", 49, [L], Role.CHAIR)
            members[1] = ("f", 37, [], Role.SECRETARY)
        for spec in members:
            if isinstance(spec, str):
                member, role = shared[int(spec.split(":")[1])], Role.MEMBER
            else:
                sex, age, categories, role = spec
                member = person(sex, age, categories, home)
            Membership.objects.get_or_create(
                person=member,
                group=group,
                left_on=None,
                defaults={"role": role, "joined_on": founded},
            )
    # A former member, to show that people leave and no longer count.
    former = person("m", 57, [], villages.get("Бирдик"))
    Membership.objects.get_or_create(
        person=former,
        group=groups["zhayyt-zhana-mal"],
        left_on=date(2020, 12, 31),
        defaults={"role": Role.MEMBER, "joined_on": date(2014, 6, 3)},
    )
    for slug, activities in ACTIVITIES.items():
        for day, kind, title_ky, title_ru, participants in activities:
            Activity.objects.update_or_create(
                group=groups[slug],
                date=day,
                title_ky=title_ky,
                defaults={
                    "kind": kind,
                    "title_ru": title_ru,
                    "participants": participants,
                },
            )
    return groups
