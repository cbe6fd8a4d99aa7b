"""The national bench: 451 municipalities and 520 000 proposals, served the
production way, every public page timed against the floor.

    make bench BENCH_ARGS=--national
    make bench BENCH_ARGS="--national --keep"           (keep the database)
    make bench BENCH_ARGS="--national --reuse --keep"   (measure again, no refill)
    .venv/bin/python scripts/bench.py --national [--runs N] [--seconds S]
        [--workers N] [--worker-class sync|gthread] [--threads N] [--clients N]

1. Fill: drops and recreates the throw-away database portal_bench_national
   (host, port and user from DATABASE_URL), migrates it, and fills it in
   about a minute with set-based SQL and COPY (no factories): 451
   municipalities (domain m<N>.localhost), villages, 6 455 initiative groups,
   85 615 people and memberships, 9 200 hearings, programmes with priorities,
   budgets with lines, projects with funding, 520 000 proposals in Kyrgyz and
   Russian (sentences from a Zipf-weighted vocabulary of a few hundred words
   each) and about 1.26 M history rows. m1.localhost is the ten-year
   municipality (20 000 proposals, 100 groups, 200 hearings), m2.localhost a
   typical one (the country's average). Every model constraint holds.
2. Serve: collectstatic, then gunicorn with portal.settings_serve (DEBUG
   off) on a free local port; requests carry Host: m<N>.localhost.
3. Measure: the floor (/healthz through the same stack), then each public
   page of both municipalities: median and p95 over --runs requests in a
   row after a warm-up (or, with --rounds, over --runs rounds that each ask
   every page and /healthz once, so that a slow moment of a shared machine
   falls on all of them alike), the multiple of the floor (measured alone,
   first; with --rounds also the floor in the same rounds, where /healthz
   runs on workers busy with the pages), the response's size and its query
   count (counted in-process with the test client, same settings and
   database, after a warm-up request: what a warm worker runs). Then a mixed
   load: --clients keep-alive clients on random pages of random
   municipalities for --seconds. Prints markdown tables.

A URL pattern of the portal that no bench page covers is named at the end,
so that every page type added later joins the bench (add it to pages_of()
and COVERED).
Nothing here runs in the test suite: timings are not deterministic.
"""

import argparse
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from hearings.codes import ALPHABET, LENGTH  # plain Python, no Django

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = str(BASE_DIR / ".venv/bin/python")
GUNICORN = str(BASE_DIR / ".venv/bin/gunicorn")
DATABASE = "portal_bench_national"
SEED = 20260413

TEN_YEAR, TYPICAL = 1, 2
MUNICIPALITIES = 451
GROUPS, PEOPLE, HEARINGS, PROPOSALS = 6_455, 85_615, 9_200, 520_000
TEN_YEAR_SIZE = {"groups": 100, "hearings": 200, "proposals": 20_000, "years": 10}
OTHER_YEARS = 3
# Sentences drawn once, then picked at random by the SQL that fills proposals.
POOL_PROPOSALS, POOL_QUESTIONS = 30_000, 10_000
PRIORITIES_PER_PROGRAMME = 12
REVENUE_LINES, EXPENDITURE_LINES = 6, 10

# --------------------------------------------------------------------------
# Vocabulary. Each list is in Zipf rank order: the first entries are drawn
# most often, the last rarely.

TOPICS = [
    "water",
    "roads",
    "school",
    "kindergarten",
    "culture",
    "transport",
    "youth",
    "women",
    "health",
    "pasture",
    "disaster",
    "other",
]
# topic | Kyrgyz | Kyrgyz accusative | Russian | Russian accusative | plural
NOUNS = """
water|ичүүчү суу|ичүүчү сууну|питьевая вода|питьевую воду|0
roads|жол|жолду|дорога|дорогу|0
school|мектеп|мектепти|школа|школу|0
roads|көпүрө|көпүрөнү|мост|мост|0
other|көчө жарыгы|көчө жарыгын|уличное освещение|уличное освещение|0
kindergarten|бала бакча|бала бакчаны|детский сад|детский сад|0
water|суу түтүгү|суу түтүгүн|водопровод|водопровод|0
water|арык|арыкты|арык|арык|0
roads|тротуар|тротуарды|тротуар|тротуар|0
school|мектептин чатыры|мектептин чатырын|крыша школы|крышу школы|0
health|ФАП|ФАПты|ФАП|ФАП|0
youth|спорт аянтчасы|спорт аянтчасын|спортивная площадка|спортивную площадку|0
kindergarten|оюн аянтчасы|оюн аянтчасын|детская площадка|детскую площадку|0
water|кудук|кудукту|колодец|колодец|0
transport|автобус аялдамасы|автобус аялдамасын|автобусная остановка|автобусную остановку|0
culture|маданият үйү|маданият үйүн|дом культуры|дом культуры|0
other|таштанды контейнери|таштанды контейнерин|мусорный контейнер|мусорный контейнер|0
water|сугат каналы|сугат каналын|оросительный канал|оросительный канал|0
disaster|дамба|дамбаны|дамба|дамбу|0
pasture|жайыт|жайытты|пастбище|пастбище|0
roads|көчө|көчөнү|улица|улицу|0
school|спорт зал|спорт залды|спортзал|спортзал|0
other|электр линиясы|электр линиясын|линия электропередачи|линию электропередачи|0
youth|стадион|стадионду|стадион|стадион|0
school|мектеп ашканасы|мектеп ашканасын|школьная столовая|школьную столовую|0
culture|китепкана|китепкананы|библиотека|библиотеку|0
roads|жөө жүрүүчүлөр өтмөгү|жөө жүрүүчүлөр өтмөгүн|пешеходный переход|пешеходный переход|0
water|суу мунарасы|суу мунарасын|водонапорная башня|водонапорную башню|0
health|медпункт|медпунктту|медпункт|медпункт|0
transport|автобус каттамы|автобус каттамын|автобусный рейс|автобусный рейс|0
pasture|жайытка баруучу жол|жайытка баруучу жолду|дорога на пастбище|дорогу на пастбище|0
disaster|жээк бекемдөө|жээк бекемдөөнү|берегоукрепление|берегоукрепление|0
water|насос|насосту|насос|насос|0
youth|футбол талаасы|футбол талаасын|футбольное поле|футбольное поле|0
other|парк|паркты|парк|парк|0
school|компьютер классы|компьютер классын|компьютерный класс|компьютерный класс|0
kindergarten|бала бакчанын тобу|бала бакчанын тобун|группа детского сада|группу детского сада|0
roads|шагыл жол|шагыл жолду|гравийная дорога|гравийную дорогу|0
health|дарыкана|дарыкананы|аптека|аптеку|0
water|скважина|скважинаны|скважина|скважину|0
school|мектеп автобусу|мектеп автобусун|школьный автобус|школьный автобус|0
other|таштанды полигону|таштанды полигонун|свалка|свалку|0
pasture|мал сугаруучу жай|мал сугаруучу жайды|водопой|водопой|0
disaster|селге каршы канал|селге каршы каналды|противоселевой канал|противоселевой канал|0
culture|айылдык клуб|айылдык клубду|сельский клуб|сельский клуб|0
roads|жол белгиси|жол белгисин|дорожный знак|дорожный знак|0
youth|жаштар борбору|жаштар борборун|молодёжный центр|молодёжный центр|0
women|аялдар кеңеши|аялдар кеңешин|женсовет|женсовет|0
school|мектеп короосу|мектеп короосун|школьный двор|школьный двор|0
water|колонка|колонканы|водоразборная колонка|водоразборную колонку|0
health|тез жардам унаасы|тез жардам унаасын|машина скорой помощи|машину скорой помощи|0
other|газ|газды|газ|газ|0
school|окуу китептери|окуу китептерин|учебники|учебники|1
other|дарактар|дарактарды|деревья|деревья|1
pasture|мал доктурдун пункту|мал доктурдун пунктун|ветеринарный пункт|ветеринарный пункт|0
transport|маршрутка|маршрутканы|маршрутка|маршрутку|0
roads|жол бөгөтү|жол бөгөтүн|искусственная неровность|искусственную неровность|0
disaster|өрт өчүрүү поста|өрт өчүрүү постун|пожарный пост|пожарный пост|0
kindergarten|бала бакча ашканасы|бала бакча ашканасын|кухня детсада|кухню детсада|0
culture|эстелик|эстеликти|памятник|памятник|0
other|уюлдук байланыш|уюлдук байланышты|мобильная связь|мобильную связь|0
school|парталар|парталарды|парты|парты|1
women|тигүү цехи|тигүү цехин|швейный цех|швейный цех|0
health|мончо|мончону|баня|баню|0
water|тазалоочу курулмалар|тазалоочу курулмаларды|очистные сооружения|очистные сооружения|1
other|базар|базарды|рынок|рынок|0
pasture|мал короосу|мал короосун|загон для скота|загон для скота|0
youth|интернет|интернетти|интернет|интернет|0
transport|унаа токтотуучу жай|унаа токтотуучу жайды|стоянка|стоянку|0
other|гүлзар|гүлзарды|клумба|клумбу|0
culture|сахна|сахнаны|сцена|сцену|0
other|айыл өкмөтүнүн имараты|айыл өкмөтүнүн имаратын|здание айыл окмоту|здание айыл окмоту|0
disaster|суу ташкынынан коргоо|суу ташкынынан коргоону|защита от паводков|защиту от паводков|0
women|кол өнөрчүлүк борбору|кол өнөрчүлүк борборун|ремесленный центр|ремесленный центр|0
health|үй-бүлөлүк дарыгер|үй-бүлөлүк дарыгерди|семейный врач|семейного врача|0
other|почта|почтаны|почта|почту|0
youth|ийрим|ийримди|кружок|кружок|0
pasture|тоют|тоютту|корм|корм|0
other|көрүстөн|көрүстөндү|кладбище|кладбище|0
pasture|трактор|тракторду|трактор|трактор|0
culture|музей|музейди|музей|музей|0
other|трансформатор|трансформаторду|трансформатор|трансформатор|0
"""

# Kyrgyz | Russian (singular) | Russian (plural)
STATES = """
абдан начар абалда|в очень плохом состоянии|в очень плохом состоянии
оңдоону талап кылат|требует ремонта|требуют ремонта
иштебейт|не работает|не работают
жок|отсутствует|отсутствуют
авариялык абалда|в аварийном состоянии|в аварийном состоянии
көптөн бери оңдолгон эмес|давно не ремонтируется|давно не ремонтируются
эскирип калган|в изношенном состоянии|в изношенном состоянии
талапка жооп бербейт|не отвечает требованиям|не отвечают требованиям
жарым-жартылай гана иштейт|работает с перебоями|работают с перебоями
кыш мезгилинде иштебейт|не работает зимой|не работают зимой
коркунуч жаратат|представляет опасность|представляют опасность
бардык тургундарга жетпейт|охватывает не всех жителей|охватывают не всех жителей
көптөн бери тазаланбай калган|давно не очищается|давно не очищаются
жаз сайын суу каптайт|каждую весну затапливается|каждую весну затапливаются
кар көп жааганда жабылып калат|закрывается при сильном снегопаде|закрываются при сильном снегопаде
"""

# Kyrgyz verbal noun | Russian infinitive
ACTIONS = """
оңдоо|отремонтировать
куруу|построить
жаңылоо|обновить
калыбына келтирүү|восстановить
алмаштыруу|заменить
кеңейтүү|расширить
тазалоо|очистить
жабдуу|оборудовать
бекемдөө|укрепить
орнотуу|установить
жылуулоо|утеплить
текшерүү|проверить
каржылоо|профинансировать
жарыктандыруу|осветить
кайра куруу|перестроить
асфальттоо|заасфальтировать
"""

# Kyrgyz | Russian genitive (for whom)
WHO = """
балдар|детей
мектеп окуучулары|школьников
бардык тургундар|всех жителей
карыялар|пожилых людей
жаштар|молодёжи
аялдар|женщин
малчылар|животноводов
көп балалуу үй-бүлөлөр|многодетных семей
жөө жүргүнчүлөр|пешеходов
ата-энелер|родителей
дыйкандар|фермеров
мугалимдер|учителей
айдоочулар|водителей
жаңы конуштун тургундары|жителей новостройки
ден соолугунун мүмкүнчүлүгү чектелген адамдар|людей с ограниченными возможностями здоровья
"""

WHEN = """
быйыл|в этом году
мүмкүн болушунча тезирээк|как можно скорее
келерки жылы|в следующем году
жазында|весной
кыш келгенге чейин|до наступления зимы
жайында|летом
жакынкы убакта|в ближайшее время
окуу жылы башталганга чейин|до начала учебного года
күзүндө|осенью
сугат мезгилине чейин|до начала поливного сезона
"""

REASONS = """
анткени балдар мектепке жөө барышат|потому что дети ходят в школу пешком
анткени көп үй-бүлөлөр таза сууга муктаж|потому что многие семьи нуждаются в чистой воде
анткени түнкүсүн көчөлөр караңгы|потому что ночью на улицах темно
анткени жол жамгырдан кийин өтпөй калат|потому что после дождя дорога становится непроезжей
анткени жаз сайын сел жүрөт|потому что каждую весну сходят сели
анткени тургундар акчанын бир бөлүгүн чогултууга даяр|потому что жители готовы собрать часть средств
анткени айылда жаштар көбөйдү|потому что в селе стало больше молодёжи
анткени кышында суу түтүктөрү тоңуп калат|потому что зимой трубы замерзают
анткени бала бакчага кезек узун|потому что очередь в детский сад длинная
анткени жакынкы медпункт алыс|потому что ближайший медпункт далеко
анткени эски имарат кулап калышы мүмкүн|потому что старое здание может обрушиться
анткени мал жайытка жете албай жатат|потому что скот не может дойти до пастбища
анткени бул маселе жыйында көп жолу көтөрүлгөн|потому что вопрос не раз поднимался на сходе
анткени таштанды дарыяга ташталып жатат|потому что мусор выбрасывают в реку
"""

STREETS = """
Манас|Манаса
Жеңиш|Победы
Токтогул|Токтогула
Тынчтык|Мира
Ч. Айтматов|Ч. Айтматова
Мектеп|Школьная
Жаштык|Молодёжная
Ала-Тоо|Ала-Тоо
Бакай|Бакая
Курманжан Датка|Курманжан Датки
Нооруз|Нооруз
Борбордук|Центральная
"""

VILLAGES = """
Ак-Суу|Ак-Суу
Кара-Суу|Кара-Суу
Ак-Талаа|Ак-Талаа
Кара-Булак|Кара-Булак
Таш-Короо|Таш-Коро
Кызыл-Кыя|Кызыл-Кия
Жаңы-Жол|Жаны-Джол
Чоң-Арык|Чон-Арык
Көк-Жар|Кок-Джар
Ак-Башат|Ак-Башат
Сары-Камыш|Сары-Камыш
Таш-Дөбө|Таш-Дёбё
Кең-Арал|Кен-Арал
Көк-Ой|Кок-Ой
Ала-Бука|Ала-Бука
Арал|Арал
Байтик|Байтик
Кой-Таш|Кой-Таш
Беш-Күңгөй|Беш-Кюнгей
Кара-Жыгач|Кара-Джигач
Орто-Сай|Орто-Сай
Тепке|Тепке
Кара-Ой|Кара-Ой
Тамчы|Тамчи
Чолпон|Чолпон
Бостери|Бостери
Түп|Тюп
Ак-Терек|Ак-Терек
Жети-Өгүз|Джети-Огуз
Барскоон|Барскоон
Тамга|Тамга
Кызыл-Суу|Кызыл-Суу
Ак-Сай|Ак-Сай
Ичке-Суу|Ичке-Суу
Ат-Башы|Ат-Баши
Эки-Нарын|Эки-Нарын
Кочкор|Кочкор
Чаек|Чаек
Миң-Куш|Мин-Куш
Бакай-Ата|Бакай-Ата
Кара-Көл|Кара-Куль
Көк-Таш|Кок-Таш
Ак-Жол|Ак-Джол
Сары-Булак|Сары-Булак
Жар-Кыштак|Джар-Кыштак
Кара-Кулжа|Кара-Кульджа
Гүлчө|Гульча
Сопу-Коргон|Сопу-Коргон
Мырза-Аке|Мырза-Аке
Кара-Шоро|Кара-Шоро
Ноокат|Ноокат
Араван|Араван
Кызыл-Жар|Кызыл-Джар
Тогуз-Булак|Тогуз-Булак
Кулунду|Кулунду
Самаркандек|Самаркандек
Ак-Татыр|Ак-Татыр
Кара-Бак|Кара-Бак
Арка|Арка
Бешик-Жон|Бешик-Джон
Ынтымак|Ынтымак
Достук|Достук
Кемин|Кемин
Боролдой|Боролдой
Таш-Мойнок|Таш-Мойнок
Көк-Сай|Кок-Сай
Он-Арча|Он-Арча
"""

# region (Kyrgyz | Russian): districts (Kyrgyz | Russian), ...
REGIONS = {
    ("Чүй облусу", "Чуйская область"): [
        ("Ысык-Ата району", "Ыссык-Атинский район"),
        ("Аламүдүн району", "Аламудунский район"),
        ("Сокулук району", "Сокулукский район"),
        ("Жайыл району", "Жайылский район"),
        ("Кемин району", "Кеминский район"),
        ("Москва району", "Московский район"),
    ],
    ("Ысык-Көл облусу", "Иссык-Кульская область"): [
        ("Ак-Суу району", "Ак-Суйский район"),
        ("Жети-Өгүз району", "Джети-Огузский район"),
        ("Түп району", "Тюпский район"),
        ("Тоң району", "Тонский район"),
        ("Ысык-Көл району", "Иссык-Кульский район"),
    ],
    ("Нарын облусу", "Нарынская область"): [
        ("Нарын району", "Нарынский район"),
        ("Ат-Башы району", "Ат-Башинский район"),
        ("Ак-Талаа району", "Ак-Талинский район"),
        ("Жумгал району", "Жумгальский район"),
        ("Кочкор району", "Кочкорский район"),
    ],
    ("Талас облусу", "Таласская область"): [
        ("Талас району", "Таласский район"),
        ("Бакай-Ата району", "Бакай-Атинский район"),
        ("Кара-Буура району", "Кара-Бууринский район"),
        ("Манас району", "Манасский район"),
    ],
    ("Жалал-Абад облусу", "Джалал-Абадская область"): [
        ("Сузак району", "Сузакский район"),
        ("Базар-Коргон району", "Базар-Коргонский район"),
        ("Ноокен району", "Ноокенский район"),
        ("Аксы району", "Аксыйский район"),
        ("Ала-Бука району", "Ала-Букинский район"),
        ("Токтогул району", "Токтогульский район"),
    ],
    ("Ош облусу", "Ошская область"): [
        ("Кара-Суу району", "Карасуйский район"),
        ("Өзгөн району", "Узгенский район"),
        ("Ноокат району", "Ноокатский район"),
        ("Араван району", "Араванский район"),
        ("Алай району", "Алайский район"),
        ("Кара-Кулжа району", "Кара-Кульджинский район"),
    ],
    ("Баткен облусу", "Баткенская область"): [
        ("Баткен району", "Баткенский район"),
        ("Лейлек району", "Лейлекский район"),
        ("Кадамжай району", "Кадамжайский район"),
    ],
}

FEMALE_NAMES = [
    "Айгүл",
    "Гүлнара",
    "Асел",
    "Нургүл",
    "Айжан",
    "Жылдыз",
    "Бактыгүл",
    "Чолпон",
    "Динара",
    "Мээрим",
    "Айпери",
    "Бурул",
    "Назира",
    "Салтанат",
    "Гүлмира",
    "Айнура",
    "Элмира",
    "Сабира",
    "Токтобүбү",
    "Жамиля",
]
MALE_NAMES = [
    "Бакыт",
    "Нурлан",
    "Эрлан",
    "Азамат",
    "Талант",
    "Мирлан",
    "Улан",
    "Бектур",
    "Алмаз",
    "Руслан",
    "Жоомарт",
    "Асан",
    "Үсөн",
    "Болот",
    "Медер",
    "Нурбек",
    "Айбек",
    "Канат",
    "Марат",
    "Эрмек",
]
SURNAMES = [
    "Асанов",
    "Үсөнов",
    "Токтогулов",
    "Жээнбеков",
    "Осмонов",
    "Абдыкадыров",
    "Мамытов",
    "Сыдыков",
    "Бекмуратов",
    "Касымов",
    "Алиев",
    "Турдубаев",
    "Жумабаев",
    "Садыков",
    "Кадыров",
    "Өмүрбеков",
    "Эсенов",
    "Исаков",
    "Шаршеев",
    "Молдокматов",
    "Абдыраев",
    "Дүйшөнов",
    "Ибраимов",
    "Байматов",
    "Сатыбалдиев",
]

# topic: (group name, Kyrgyz | Russian), priority title, expected result
TOPIC_TEXTS = {
    "water": ("Таза суу|Чистая вода", "Ичүүчү суу менен камсыздоо|Обеспечение питьевой водой"),
    "roads": ("Жакшы жол|Хорошая дорога", "Айыл ичиндеги жолдорду оңдоо|Ремонт сельских дорог"),
    "school": ("Билим|Знание", "Мектептин материалдык базасын чыңдоо|Укрепление базы школы"),
    "kindergarten": ("Бөбөк|Малыш", "Бала бакчадагы орундарды көбөйтүү|Больше мест в детсаду"),
    "culture": ("Мурас|Наследие", "Маданият үйүн калыбына келтирүү|Восстановление дома культуры"),
    "transport": ("Каттам|Маршрут", "Автобус аялдамаларын куруу|Строительство остановок"),
    "youth": ("Жаштар|Молодёжь", "Жаштар үчүн спорт аянтчалары|Спортплощадки для молодёжи"),
    "women": ("Айым|Женщины", "Аялдардын демилгелерин колдоо|Поддержка инициатив женщин"),
    "health": ("Ден соолук|Здоровье", "ФАПтын имаратын оңдоо|Ремонт здания ФАП"),
    "pasture": ("Жайыт|Пастбище", "Жайыттарды сарамжалдуу пайдалануу|Рациональное пастбище"),
    "disaster": ("Коопсуз айыл|Безопасное село", "Селге каршы дамбалар|Противоселевые дамбы"),
    "other": ("Ынтымак|Единство", "Көчөлөрдү жарыктандыруу|Освещение улиц"),
}
EXPENDITURE = [
    ("Ичүүчү суу менен камсыздоо", "Водоснабжение", "water"),
    ("Жолдорду күтүү", "Содержание дорог", "roads"),
    ("Билим берүү", "Образование", "school"),
    ("Мектепке чейинки билим берүү", "Дошкольное образование", "kindergarten"),
    ("Маданият", "Культура", "culture"),
    ("Жаштар саясаты жана спорт", "Молодёжная политика и спорт", "youth"),
    ("Саламаттыкты сактоо", "Здравоохранение", "health"),
    ("Жайыттарды башкаруу", "Управление пастбищами", "pasture"),
    ("Табигый кырсыктардын алдын алуу", "Предупреждение стихийных бедствий", "disaster"),
    ("Көчөлөрдү көрктөндүрүү", "Благоустройство улиц", "other"),
]
REVENUE = [
    ("Жер салыгы", "Земельный налог"),
    ("Мүлк салыгы", "Налог на имущество"),
    ("Жайыт акысы", "Плата за пастбища"),
    ("Тегиздөөчү гранттар", "Выравнивающие гранты"),
    ("Атайын каражаттар", "Специальные средства"),
    ("Жергиликтүү жыйымдар", "Местные сборы"),
]
# Kyrgyz | Russian, {v} the village.
PROJECT_TITLES = [
    ("{v} айылына ичүүчү суу түтүгүн тартуу", "Водопровод в селе {v}", "water"),
    ("{v} айылындагы көпүрөнү калыбына келтирүү", "Восстановление моста в селе {v}", "roads"),
    ("{v} мектебинин чатырын оңдоо", "Ремонт крыши школы в селе {v}", "school"),
    ("{v} айылында бала бакча ачуу", "Открытие детского сада в селе {v}", "kindergarten"),
    ("{v} айылынын көчөлөрүн жарыктандыруу", "Освещение улиц села {v}", "other"),
    ("{v} айылында спорт аянтчасын куруу", "Спортивная площадка в селе {v}", "youth"),
    ("{v} айылында селге каршы дамба куруу", "Противоселевая дамба в селе {v}", "disaster"),
    ("{v} айылындагы ФАПты оңдоо", "Ремонт ФАП в селе {v}", "health"),
]
# Decisions: status -> [(Kyrgyz, Russian)], {y} the year.
DECISIONS = {
    "accepted_programme": [
        ("Сунуш өнүгүү программасына киргизилди.", "Предложение включено в программу развития."),
        ("Программанын артыкчылыгына кошулду.", "Включено в приоритет программы развития."),
    ],
    "accepted_budget": [
        ("Сунуш {y}-жылдын бюджетине киргизилди.", "Предложение включено в бюджет на {y} год."),
        ("Бюджеттен каражат бөлүндү.", "Средства выделены из местного бюджета."),
    ],
    "accepted_project": [
        ("Сунуш долбоорго киргизилди.", "Предложение включено в проект."),
        ("Долбоордун алкагында аткарылат.", "Будет выполнено в рамках проекта."),
    ],
    "partly_accepted": [
        ("Сунуш жарым-жартылай кабыл алынды.", "Предложение принято частично."),
        ("Биринчи бөлүгү {y}-жылы аткарылат.", "Первая часть будет выполнена в {y} году."),
    ],
    "rejected": [
        ("Каражат жетишсиз болгондуктан четке кагылды.", "Отклонено из-за нехватки средств."),
        ("Бул иш райондун ыйгарым укугунда.", "Этот вопрос в ведении района."),
        ("Жер тилкеси жеке менчикте.", "Участок находится в частной собственности."),
    ],
    "answered": [
        ("Иш {y}-жылдын жазында башталат.", "Работы начнутся весной {y} года."),
        ("Маселе айыл кеңешинин сессиясында каралат.", "Вопрос рассмотрит сессия айылного кенеша."),
        ("Суроо райондук бөлүмгө жөнөтүлдү.", "Вопрос направлен в районный отдел."),
    ],
    "deferred": [
        ("Кийинки жылга жылдырылды.", "Перенесено на следующий год."),
        ("Каражат табылганда каралат.", "Будет рассмотрено при наличии средств."),
    ],
}
DECIDED = [
    "accepted_programme",
    "accepted_budget",
    "accepted_project",
    "partly_accepted",
    "rejected",
    "answered",
    "deferred",
]
PUBLIC = ["received", "review", *DECIDED]
# The expenditure line (0-9) of each topic in every budget.
LINE_OF_TOPIC = {topic: index for index, (_ky, _ru, topic) in enumerate(EXPENDITURE)}
LINE_OF_TOPIC.update(transport=9, women=9)


def rows(text):
    return [line.split("|") for line in text.strip().splitlines()]


def zipf(n, s=1.0):
    """Cumulative Zipf weights for n ranks."""
    total, cumulative = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**s
        cumulative.append(total)
    return cumulative


class Vocabulary:
    """Draws words and sentences, each slot Zipf-weighted."""

    def __init__(self, rng):
        self.rng = rng
        self.lists = {
            "noun": rows(NOUNS),
            "state": rows(STATES),
            "action": rows(ACTIONS),
            "who": rows(WHO),
            "when": rows(WHEN),
            "reason": rows(REASONS),
            "street": rows(STREETS),
            "village": rows(VILLAGES),
        }
        self.weights = {name: zipf(len(items)) for name, items in self.lists.items()}

    def pick(self, name):
        return self.rng.choices(self.lists[name], cum_weights=self.weights[name])[0]

    def sentence(self, question):
        """(Kyrgyz, Russian, topic) of one proposal or question."""
        n = self.pick("noun")
        topic, ky_nom, ky_acc, ru_nom, ru_acc, plural = n
        state = self.pick("state")
        ru_state = state[2] if plural == "1" else state[1]
        action, when, reason = self.pick("action"), self.pick("when"), self.pick("reason")
        village, street, who = self.pick("village"), self.pick("street"), self.pick("who")
        if question:
            form = self.rng.choices(range(3), cum_weights=[5, 8, 10])[0]
            ky, ru = [
                (
                    f"{village[0]} айылындагы {ky_acc} {action[0]} пландалганбы?",
                    f"Планируется ли {action[1]} {ru_acc} в селе {village[1]}?",
                ),
                (
                    f"{when[0]} {ky_acc} {action[0]} үчүн бюджеттен каражат бөлүнөбү?",
                    f"Будут ли выделены средства, чтобы {when[1]} {action[1]} {ru_acc}?",
                ),
                (
                    f"{ky_nom} {state[0]}. Бул маселени ким чечет?",
                    f"{ru_nom} {ru_state}. Кто будет решать этот вопрос?",
                ),
            ][form]
        else:
            other = self.pick("noun")
            while other is n:
                other = self.pick("noun")
            action2 = self.pick("action")
            form = self.rng.choices(range(5), cum_weights=[6, 10, 13, 15, 16])[0]
            ky, ru = [
                (
                    f"{village[0]} айылында {ky_nom} {state[0]}. "
                    f"{when[0]} {ky_acc} {action[0]} керек.",
                    f"В селе {village[1]} {ru_nom} {ru_state}. "
                    f"{when[1]} нужно {action[1]} {ru_acc}.",
                ),
                (
                    f"{street[0]} көчөсүндөгү {ky_nom} {state[0]}, {reason[0]}. "
                    f"{ky_acc} {action[0]} керек деп эсептейбиз.",
                    f"{ru_nom} на улице {street[1]} {ru_state}, {reason[1]}. "
                    f"Считаем, что нужно {action[1]} {ru_acc}.",
                ),
                (
                    f"{who[0]} үчүн {ky_acc} {action[0]} керек, {reason[0]}.",
                    f"Для {who[1]} нужно {action[1]} {ru_acc}, {reason[1]}.",
                ),
                (
                    f"{when[0]} {ky_acc} {action[0]} жана {other[2]} {action2[0]} керек.",
                    f"Нужно {when[1]} {action[1]} {ru_acc} и {action2[1]} {other[4]}.",
                ),
                (
                    f"{village[0]} айылынын тургундары {ky_acc} {action[0]} суранышат: "
                    f"{ky_nom} {state[0]}.",
                    f"Жители села {village[1]} просят {action[1]} {ru_acc}: {ru_nom} {ru_state}.",
                ),
            ][form]
        return capitalise(ky), capitalise(ru), topic


def capitalise(text):
    """Each sentence from a capital letter."""
    return re.sub(r"(^|[.?:] )(\w)", lambda m: m.group(1) + m.group(2).upper(), text)


# --------------------------------------------------------------------------
# Fill.


def connection_url(database):
    url = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:54329/portal")
    return urlunsplit((url.scheme, url.netloc, "/" + database, url.query, ""))


def recreate_database(admin_url):
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def database_exists(admin_url):
    with psycopg.connect(admin_url, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE])
        return found.fetchone() is not None


def drop_database(admin_url):
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def spread(total, count, fixed_first):
    """`count` shares of `total`, as even as can be, the extras from the third on."""
    base, extra = divmod(total - fixed_first, count - 1)
    shares = [fixed_first] + [base] * (count - 1)
    for index in range(2, 2 + extra):
        shares[index] += 1
    return shares


class Plan:
    """How many rows of each kind every municipality gets, and their first ids."""

    def __init__(self, today):
        self.today = today
        m = MUNICIPALITIES
        self.groups = spread(GROUPS, m, TEN_YEAR_SIZE["groups"])
        self.hearings = spread(HEARINGS, m, TEN_YEAR_SIZE["hearings"])
        self.proposals = spread(PROPOSALS, m, TEN_YEAR_SIZE["proposals"])
        self.years = [TEN_YEAR_SIZE["years"]] + [OTHER_YEARS] * (m - 1)
        self.programmes = [3 if years >= 8 else 1 for years in self.years]
        self.projects = [30] + [3] * (m - 1)
        rng = random.Random(SEED)
        self.villages = [6, 5] + [rng.randint(4, 6) for _ in range(m - 2)]

    def firsts(self, counts):
        first, out = 1, []
        for count in counts:
            out.append(first)
            first += count
        return out

    def table(self):
        """One row per municipality, for bench_plan."""
        v_first = self.firsts(self.villages)
        g_first = self.firsts(self.groups)
        h_first = self.firsts(self.hearings)
        p_first = self.firsts(self.proposals)
        prog_first = self.firsts(self.programmes)
        pr_first = [(first - 1) * PRIORITIES_PER_PROGRAMME + 1 for first in prog_first]
        b_first = self.firsts(self.years)
        per_budget = REVENUE_LINES + EXPENDITURE_LINES
        line_first = [(first - 1) * per_budget + 1 for first in b_first]
        prj_first = self.firsts(self.projects)
        out = []
        for i in range(MUNICIPALITIES):
            years = self.years[i]
            first_year = self.today.year - years + 1
            t0 = datetime(first_year, 1, 15, 4, tzinfo=UTC)
            out.append(
                {
                    "m": i + 1,
                    "v_first": v_first[i],
                    "villages": self.villages[i],
                    "g_first": g_first[i],
                    "groups": self.groups[i],
                    "h_first": h_first[i],
                    "hearings": self.hearings[i],
                    "p_first": p_first[i],
                    "proposals": self.proposals[i],
                    "first_year": first_year,
                    "years": years,
                    "t0": t0,
                    "prog_first": prog_first[i],
                    "programmes": self.programmes[i],
                    "pr_first": pr_first[i],
                    "b_first": b_first[i],
                    "line_first": line_first[i],
                    "prj_first": prj_first[i],
                    "projects": self.projects[i],
                }
            )
        return out


def copy_rows(cur, table, columns, data):
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in data:
            copy.write_row(row)


def ky_ru(ky, ru):
    """A translated field's three columns: the base (Kyrgyz), ky, ru."""
    return [ky, ky, ru]


class Filler:
    def __init__(self, conn, today):
        self.conn = conn
        self.today = today
        self.now = datetime.combine(today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=6)
        self.rng = random.Random(SEED)
        self.vocabulary = Vocabulary(random.Random(SEED + 1))
        self.plan = Plan(today)
        self.rows = self.plan.table()
        self.village_names = rows(VILLAGES)

    def step(self, label, function):
        start = time.perf_counter()
        with self.conn.cursor() as cur:
            function(cur)
        self.conn.commit()
        print(f"  {label:38} {time.perf_counter() - start:6.1f} s", flush=True)

    def person_name(self, sex):
        first = self.rng.choice(FEMALE_NAMES if sex == "f" else MALE_NAMES)
        surname = self.rng.choice(SURNAMES) + ("а" if sex == "f" else "")
        return f"{surname} {first}"

    # -- places
    def municipalities(self, cur):
        regions = [
            (region, district) for region, districts in REGIONS.items() for district in districts
        ]
        data, villages = [], []
        for plan in self.rows:
            m = plan["m"]
            region, district = regions[(m * 7) % len(regions)]
            roots = [
                self.village_names[(m * 5 + k * 11) % len(self.village_names)]
                for k in range(plan["villages"])
            ]
            centre = roots[0]
            name = (f"{centre[0]} айыл аймагы", f"Айылный аймак {centre[1]}")
            intro = (
                f"{centre[0]} айыл аймагы {len(roots)} айылды бириктирет.",
                f"Айылный аймак {centre[1]} объединяет {len(roots)} сёл.",
            )
            address = (
                f"{centre[0]} айылы, Манас көчөсү, {m}",
                f"село {centre[1]}, ул. Манаса, {m}",
            )
            data.append(
                [
                    m,
                    *ky_ru(*name),
                    *ky_ru(*district),
                    *ky_ru(*region),
                    *ky_ru(*intro),
                    *ky_ru(*address),
                    f'{{"+996 3922 5{m:05d}"}}',
                    f"ao{m}@example.kg",
                    f"m{m}.localhost",
                    self.person_name("f"),
                    self.person_name("m"),
                ]
            )
            for k, root in enumerate(roots):
                villages.append([plan["v_first"] + k, m, *ky_ru(*root), k == 0])
        copy_rows(
            cur,
            "portal_municipality",
            [
                "id",
                *("name", "name_ky", "name_ru"),
                *("district", "district_ky", "district_ru"),
                *("region", "region_ky", "region_ru"),
                *("intro", "intro_ky", "intro_ru"),
                *("address", "address_ky", "address_ru"),
                "phones",
                "email",
                "domain",
                "council_secretary_name",
                "head_name",
            ],
            data,
        )
        copy_rows(
            cur,
            "portal_village",
            ["id", "municipality_id", "name", "name_ky", "name_ru", "is_centre"],
            villages,
        )

    def village_of(self, plan, k=None):
        k = self.rng.randrange(plan["villages"]) if k is None else k % plan["villages"]
        return plan["v_first"] + k

    def village_name(self, plan, k):
        return self.village_names[(plan["m"] * 5 + k * 11) % len(self.village_names)]

    # -- groups, people
    def groups(self, cur):
        groups, links, people, memberships, activities = [], [], [], [], []
        person_id = 1
        group_id = 0
        extra_members = PEOPLE - 13 * GROUPS
        for plan in self.rows:
            for k in range(plan["groups"]):
                group_id = plan["g_first"] + k
                topic = TOPICS[(k * 5 + plan["m"]) % len(TOPICS)]
                v = k % plan["villages"]
                village = self.village_name(plan, v)
                focus = TOPIC_TEXTS[topic][0].split("|")
                founded = self.today - timedelta(days=self.rng.randint(200, 365 * plan["years"]))
                dissolved = self.rng.random() < 0.08
                ordered = self.rng.random() < 0.7
                groups.append(
                    [
                        group_id,
                        plan["m"],
                        *ky_ru(
                            f"{village[0]} айылынын «{focus[0]}» демилгелүү тобу",
                            f"Инициативная группа «{focus[1]}» села {village[1]}",
                        ),
                        f"{topic}-{k + 1}",
                        f"{{{topic},{TOPICS[(k + 3) % len(TOPICS)]}}}",
                        founded,
                        f"{k + 1}-б" if ordered else "",
                        founded + timedelta(days=10) if ordered else None,
                        "dissolved" if dissolved else "active",
                        founded + timedelta(days=150) if dissolved else None,
                        *ky_ru(
                            f"Топ {village[0]} айылында «{focus[0]}» темасында иштейт.",
                            f"Группа занимается темой «{focus[1]}» в селе {village[1]}.",
                        ),
                        f"+996 700 {group_id:06d}" if self.rng.random() < 0.5 else "",
                    ]
                )
                links.append([group_id, self.village_of(plan, v)])
                if plan["villages"] > 1:
                    links.append([group_id, self.village_of(plan, v + 1)])
                members = 13 + (group_id <= extra_members)
                for index in range(members):
                    sex = "f" if self.rng.random() < 0.48 else "m"
                    categories = self.rng.choice(
                        ["{}", "{}", "{leader}", "{deputy}", "{civil_society}", "{leader,deputy}"]
                    )
                    people.append(
                        [
                            person_id,
                            plan["m"],
                            self.person_name(sex),
                            sex,
                            self.rng.randint(1950, 2006),
                            self.village_of(plan, v),
                            categories,
                            f"+996 555 {person_id:06d}",
                            "",
                        ]
                    )
                    joined = founded + timedelta(days=self.rng.randint(0, 60))
                    left = index > 2 and self.rng.random() < 0.1
                    role = "chair" if index == 0 else "secretary" if index == 1 else "member"
                    memberships.append(
                        [
                            person_id,
                            group_id,
                            role,
                            joined,
                            joined + timedelta(days=300) if left else None,
                        ]
                    )
                    person_id += 1
                for a in range(2):
                    day = founded + timedelta(days=30 + a * 90)
                    activities.append(
                        [
                            group_id,
                            day,
                            ["meeting", "inspection"][a],
                            *ky_ru(
                                ["Топтун жыйыны", "Айылды кыдырып текшерүү"][a],
                                ["Собрание группы", "Обход села"][a],
                            ),
                            *ky_ru("", ""),
                            self.rng.randint(5, 40),
                        ]
                    )
        copy_rows(
            cur,
            "groups_initiativegroup",
            [
                "id",
                "municipality_id",
                *("name", "name_ky", "name_ru"),
                "slug",
                "focus_topics",
                "founded_on",
                "order_number",
                "order_date",
                "status",
                "dissolved_on",
                *("description", "description_ky", "description_ru"),
                "public_contact",
            ],
            groups,
        )
        copy_rows(
            cur, "groups_initiativegroup_villages", ["initiativegroup_id", "village_id"], links
        )
        copy_rows(
            cur,
            "groups_person",
            [
                "id",
                "municipality_id",
                "full_name",
                "sex",
                "birth_year",
                "village_id",
                "categories",
                "phone",
                "notes",
            ],
            people,
        )
        copy_rows(
            cur,
            "groups_membership",
            ["person_id", "group_id", "role", "joined_on", "left_on"],
            memberships,
        )
        copy_rows(
            cur,
            "groups_activity",
            [
                "group_id",
                "date",
                "kind",
                *("title", "title_ky", "title_ru"),
                *("description", "description_ky", "description_ru"),
                "participants",
            ],
            activities,
        )

    # -- programmes, budgets
    def budget(self, cur):
        resolutions, programmes, priorities, budgets, lines = [], [], [], [], []
        resolution_id = 1
        for plan in self.rows:
            m, first_year = plan["m"], plan["first_year"]
            number = 1

            def resolution(adopted, ky, ru, m=m):
                nonlocal resolution_id, number
                resolutions.append(
                    [resolution_id, m, str(number), adopted, *ky_ru(ky, ru), 7, number, ""]
                )
                resolution_id += 1
                number += 1
                return resolution_id - 1

            for p in range(plan["programmes"]):
                start = first_year + 4 * p
                end = start + (4 if p == plan["programmes"] - 1 else 3)
                adopted = date(start, 2, 20)
                res = resolution(
                    adopted,
                    f"{start}–{end}-жылдарга өнүгүү программасын бекитүү жөнүндө",
                    f"Об утверждении программы развития на {start}–{end} годы",
                )
                programme_id = plan["prog_first"] + p
                programmes.append(
                    [
                        programme_id,
                        m,
                        *ky_ru(
                            f"{start}–{end}-жылдарга социалдык-экономикалык өнүгүү программасы",
                            f"Программа социально-экономического развития на {start}–{end} годы",
                        ),
                        start,
                        end,
                        "approved",
                        res,
                        "",
                    ]
                )
                for t, topic in enumerate(TOPICS):
                    title = TOPIC_TEXTS[topic][1].split("|")
                    priorities.append(
                        [
                            plan["pr_first"] + p * PRIORITIES_PER_PROGRAMME + t,
                            programme_id,
                            t + 1,
                            *ky_ru(*title),
                            topic,
                            *ky_ru(
                                "Тургундардын турмуш шарты жакшырат.", "Улучшатся условия жизни."
                            ),
                            self.rng.randint(2, 400) * 10_000,
                            start,
                            end,
                        ]
                    )
            for y in range(plan["years"]):
                year = first_year + y
                res = resolution(
                    date(year - 1, 12, 20),
                    f"{year}-жылдын жергиликтүү бюджетин бекитүү жөнүндө",
                    f"Об утверждении местного бюджета на {year} год",
                )
                budget_id = plan["b_first"] + y
                status = "approved" if year == self.today.year else "executed"
                budgets.append([budget_id, m, year, status, res, self.rng.randint(3, 25) * 1000])
                line_id = plan["line_first"] + y * (REVENUE_LINES + EXPENDITURE_LINES)
                for r, (ky, ru) in enumerate(REVENUE):
                    planned = self.rng.randint(5, 900) * 10_000
                    executed = planned * self.rng.randint(80, 105) // 100
                    lines.append(
                        [
                            line_id + r,
                            budget_id,
                            "revenue",
                            f"1.{r + 1}",
                            *ky_ru(ky, ru),
                            "",
                            planned,
                            None,
                            executed if status == "executed" else None,
                        ]
                    )
                for e, (ky, ru, topic) in enumerate(EXPENDITURE):
                    planned = self.rng.randint(5, 900) * 10_000
                    executed = planned * self.rng.randint(70, 100) // 100
                    lines.append(
                        [
                            line_id + REVENUE_LINES + e,
                            budget_id,
                            "expenditure",
                            f"2.{e + 1}",
                            *ky_ru(ky, ru),
                            topic,
                            planned,
                            None,
                            executed if status == "executed" else None,
                        ]
                    )
        copy_rows(
            cur,
            "budget_councilresolution",
            [
                "id",
                "municipality_id",
                "number",
                "adopted_on",
                *("title", "title_ky", "title_ru"),
                "convocation",
                "session",
                "document",
            ],
            resolutions,
        )
        copy_rows(
            cur,
            "budget_developmentprogramme",
            [
                "id",
                "municipality_id",
                *("title", "title_ky", "title_ru"),
                "first_year",
                "last_year",
                "status",
                "resolution_id",
                "document",
            ],
            programmes,
        )
        copy_rows(
            cur,
            "budget_priority",
            [
                "id",
                "programme_id",
                "number",
                *("title", "title_ky", "title_ru"),
                "topic",
                *("expected_result", "expected_result_ky", "expected_result_ru"),
                "planned_cost",
                "first_year",
                "last_year",
            ],
            priorities,
        )
        copy_rows(
            cur,
            "budget_localbudget",
            ["id", "municipality_id", "year", "status", "resolution_id", "population"],
            budgets,
        )
        copy_rows(
            cur,
            "budget_budgetline",
            [
                "id",
                "budget_id",
                "kind",
                "code",
                *("name", "name_ky", "name_ru"),
                "topic",
                "planned",
                "revised",
                "executed",
            ],
            lines,
        )

    # -- projects, awards
    def projects(self, cur):
        projects, villages, roles, contributions, outputs, milestones, awards = (
            [],
            [],
            [],
            [],
            [],
            [],
            [],
        )
        for plan in self.rows:
            m = plan["m"]
            for k in range(plan["projects"]):
                project_id = plan["prj_first"] + k
                ky, ru, topic = PROJECT_TITLES[(k + m) % len(PROJECT_TITLES)]
                village = self.village_name(plan, k)
                start = self.today - timedelta(days=self.rng.randint(60, 365 * plan["years"]))
                status = self.rng.choice(["completed", "completed", "in_progress", "planned"])
                end = (
                    start + timedelta(days=self.rng.randint(30, 300))
                    if status == "completed"
                    else None
                )
                y = min(start.year - plan["first_year"], plan["years"] - 1)
                line = plan["line_first"] + max(y, 0) * 16 + REVENUE_LINES + LINE_OF_TOPIC[topic]
                projects.append(
                    [
                        project_id,
                        m,
                        *ky_ru(ky.format(v=village[0]), ru.format(v=village[1])),
                        f"project-{k + 1}",
                        *ky_ru(
                            "Тургундар көп жылдан бери кыйналып келет.", "Жители давно страдают."
                        ),
                        *ky_ru(
                            "Иштер аткарылды." if end else "", "Работы выполнены." if end else ""
                        ),
                        status,
                        start,
                        end,
                        None,
                        line if k % 2 else None,
                        self.rng.randint(20, 400),
                        None,
                        self.rng.randint(50, 900),
                        self.rng.randint(50, 900),
                        self.rng.randint(10, 300),
                        None,
                    ]
                )
                villages.append([project_id, self.village_of(plan, k)])
                roles.append([project_id, plan["g_first"] + k % plan["groups"], "initiator"])
                local = self.rng.randint(5, 200) * 10_000
                contributions += [
                    [
                        project_id,
                        "local_budget",
                        *ky_ru("Айыл өкмөтү", "Айыл окмоту"),
                        True,
                        local,
                        local if end else None,
                        *ky_ru("", ""),
                        None,
                    ],
                    [
                        project_id,
                        "donor",
                        *ky_ru("Эл аралык донор", "Международный донор"),
                        k % 3 != 0,
                        *((local * 3, None) if k % 3 else (None, None)),
                        *ky_ru("", ""),
                        None,
                    ],
                    [
                        project_id,
                        "residents",
                        *ky_ru("Тургундар", "Жители"),
                        True,
                        local // 5,
                        local // 5 if end else None,
                        *ky_ru("", ""),
                        None,
                    ],
                    [
                        project_id,
                        "labour",
                        *ky_ru("Тургундар", "Жители"),
                        True,
                        None,
                        None,
                        *ky_ru("Ашар: жер казуу", "Ашар: земляные работы"),
                        local // 10,
                    ],
                ]
                outputs.append(
                    [
                        project_id,
                        self.rng.randint(1, 50),
                        *ky_ru("км", "км"),
                        *ky_ru("түтүк тартылды", "проложено труб"),
                    ]
                )
                milestones += [
                    [project_id, start, *ky_ru("Иш башталды", "Работы начались"), 0],
                    [
                        project_id,
                        start + timedelta(days=20),
                        *ky_ru("Материал алынды", "Закуплены материалы"),
                        40,
                    ],
                ]
            for a in range(5 if m == TEN_YEAR else 1):
                awards.append(
                    [
                        m,
                        *ky_ru("Мыкты айыл өкмөтү", "Лучший айыл окмоту"),
                        self.today.year - a,
                        a % 3 + 1,
                        *ky_ru("Таза суу демилгеси", "Инициатива «Чистая вода»"),
                        plan["g_first"],
                        (a + 1) * 100_000,
                        *ky_ru("Суу насосу сатылып алынды", "Куплен водяной насос"),
                        plan["prj_first"] + a % plan["projects"],
                    ]
                )
        copy_rows(
            cur,
            "projects_project",
            [
                "id",
                "municipality_id",
                *("title", "title_ky", "title_ru"),
                "slug",
                *("problem", "problem_ky", "problem_ru"),
                *("done", "done_ky", "done_ru"),
                "status",
                "started_on",
                "ended_on",
                "priority_id",
                "budget_line_id",
                "households",
                "families",
                "women",
                "men",
                "children",
                "pupils",
            ],
            projects,
        )
        copy_rows(cur, "projects_project_villages", ["project_id", "village_id"], villages)
        copy_rows(cur, "projects_projectgroup", ["project_id", "group_id", "role"], roles)
        copy_rows(
            cur,
            "projects_fundingcontribution",
            [
                "project_id",
                "kind",
                *("source_name", "source_name_ky", "source_name_ru"),
                "disclosed",
                "planned",
                "actual",
                *("description", "description_ky", "description_ru"),
                "estimated_value",
            ],
            contributions,
        )
        copy_rows(
            cur,
            "projects_output",
            [
                "project_id",
                "quantity",
                *("unit", "unit_ky", "unit_ru"),
                *("description", "description_ky", "description_ru"),
            ],
            outputs,
        )
        copy_rows(
            cur,
            "projects_milestone",
            [
                "project_id",
                "date",
                *("description", "description_ky", "description_ru"),
                "progress",
            ],
            milestones,
        )
        copy_rows(
            cur,
            "projects_award",
            [
                "municipality_id",
                *("competition", "competition_ky", "competition_ru"),
                "year",
                "place",
                *("initiative", "initiative_ky", "initiative_ru"),
                "group_id",
                "prize_amount",
                *("purchase", "purchase_ky", "purchase_ru"),
                "project_id",
            ],
            awards,
        )

    # -- hearings
    def hearings(self, cur):
        data = []
        for plan in self.rows:
            count, t0 = plan["hearings"], plan["t0"]
            past = count - 2
            for k in range(count):
                if k < past:
                    starts = t0 + (self.now - t0) * ((k + 0.5) / past)
                    starts = starts.replace(hour=4, minute=0, second=0, microsecond=0)
                    status = "held" if self.rng.random() < 0.15 else "published"
                else:
                    starts = (self.now + timedelta(days=14 * (k - past + 1))).replace(hour=5)
                    status = "announced"
                kind = ["budget", "programme", "budget", "other"][k % 4]
                year = min(max(starts.year, plan["first_year"]), self.today.year)
                programme = plan["prog_first"] + min(
                    plan["programmes"] - 1, (year - plan["first_year"]) // 4
                )
                budget = plan["b_first"] + (year - plan["first_year"])
                v = k % plan["villages"]
                village = self.village_name(plan, v)
                title = {
                    "budget": (
                        f"{year}-жылдын жергиликтүү бюджети боюнча коомдук угуу",
                        f"Публичные слушания по местному бюджету на {year} год",
                    ),
                    "programme": (
                        "Өнүгүү программасы боюнча коомдук угуу",
                        "Публичные слушания по программе развития",
                    ),
                    "other": (
                        "Таштанды чыгаруу тартиби боюнча коомдук угуу",
                        "Публичные слушания о порядке вывоза мусора",
                    ),
                }[kind]
                attendance = [None] * 5
                if status != "announced":
                    total = self.rng.randint(25, 220)
                    women = total * self.rng.randint(30, 60) // 100
                    attendance = [
                        total,
                        women,
                        total - women,
                        total * self.rng.randint(5, 30) // 100,
                        total * self.rng.randint(10, 40) // 100,
                    ]
                published = status == "published"
                data.append(
                    [
                        plan["h_first"] + k,
                        plan["m"],
                        kind,
                        *ky_ru(*title),
                        starts,
                        plan["v_first"] + v,
                        *ky_ru(f"{village[0]} айылдык клубу", f"Сельский клуб села {village[1]}"),
                        programme if kind == "programme" else None,
                        budget if kind == "budget" else None,
                        status,
                        *ky_ru(
                            "Бардык тургундарды катышууга чакырабыз.",
                            "Приглашаем всех жителей принять участие.",
                        ),
                        *attendance,
                        *ky_ru(
                            "Угуунун жыйынтыгы айыл кеңешине жөнөтүлдү." if published else "",
                            "Итоги слушаний направлены в айылный кенеш." if published else "",
                        ),
                        "",
                    ]
                )
        copy_rows(
            cur,
            "hearings_hearing",
            [
                "id",
                "municipality_id",
                "kind",
                *("title", "title_ky", "title_ru"),
                "starts_at",
                "village_id",
                *("place", "place_ky", "place_ru"),
                "programme_id",
                "budget_id",
                "status",
                *("announcement", "announcement_ky", "announcement_ru"),
                "attendance_total",
                "attendance_women",
                "attendance_men",
                "attendance_groups",
                "attendance_youth",
                *("protocol", "protocol_ky", "protocol_ru"),
                "protocol_file",
            ],
            data,
        )

    # -- proposals
    def staging(self, cur):
        """The plan, the sentence pool and the decisions, as temporary tables."""
        cur.execute(
            """CREATE TEMPORARY TABLE bench_plan (m bigint, v_first bigint, villages int,
            g_first bigint, groups int, h_first bigint, hearings int, p_first bigint,
            proposals int, first_year int, years int, t0 timestamptz, prog_first bigint,
            programmes int, pr_first bigint, b_first bigint, line_first bigint,
            prj_first bigint, projects int)"""
        )
        columns = list(self.rows[0])
        copy_rows(cur, "bench_plan", columns, ([row[c] for c in columns] for row in self.rows))
        cur.execute(
            """CREATE TEMPORARY TABLE bench_text (i int PRIMARY KEY, ky text, ru text,
            topic text, topic_index int, line_index int)"""
        )

        def pool():
            for i in range(1, POOL_PROPOSALS + POOL_QUESTIONS + 1):
                ky, ru, topic = self.vocabulary.sentence(question=i > POOL_PROPOSALS)
                yield [i, ky, ru, topic, TOPICS.index(topic), LINE_OF_TOPIC[topic]]

        copy_rows(
            cur, "bench_text", ["i", "ky", "ru", "topic", "topic_index", "line_index"], pool()
        )
        cur.execute("CREATE TEMPORARY TABLE bench_decision (status text, i int, ky text, ru text)")
        copy_rows(
            cur,
            "bench_decision",
            ["status", "i", "ky", "ru"],
            (
                [status, i, ky, ru]
                for status, texts in DECISIONS.items()
                for i, (ky, ru) in enumerate(texts)
            ),
        )
        cur.execute("ANALYZE bench_plan; ANALYZE bench_text; ANALYZE bench_decision")
        # Eight characters of the codes' alphabet from a bijection of the id
        # (an odd multiplier, a xor-shift, another odd multiplier, mod 32^8):
        # unique without a retry, and spread like random ones.
        mask = 32**8 - 1
        cur.execute(
            f"""CREATE FUNCTION pg_temp.bench_mix(id bigint) RETURNS bigint
            LANGUAGE sql IMMUTABLE AS $$
              SELECT ((((id * 1103515245 + 12345) & {mask})
                # (((id * 1103515245 + 12345) & {mask}) >> 17)) * 5178427) & {mask}
            $$"""
        )
        letters = " || ".join(
            f"substr('{ALPHABET}', ((x >> {5 * k}) & 31)::int + 1, 1)" for k in range(LENGTH)
        )
        cur.execute(
            f"""CREATE FUNCTION pg_temp.bench_code(x bigint) RETURNS text
            LANGUAGE sql IMMUTABLE AS $$ SELECT {letters} $$"""
        )

    def proposals(self, cur):
        decided = "('" + "','".join(DECIDED) + "')"
        names = [f"{s} {f}" for s in SURNAMES for f in MALE_NAMES[:5]]
        cur.execute("SELECT setseed(0.4213)")
        cur.execute(
            f"""
            INSERT INTO hearings_proposal (
              id, municipality_id, kind, text, text_ky, text_ru, topic, village_id, origin,
              hearing_id, protocol_number, group_id, author_name, show_author_name,
              author_phone, author_email, submitter_hash, tracking_code, status,
              refusal_reason, submitted_at, decision, decision_ky, decision_ru, decided_on,
              priority_id, budget_line_id, project_id)
            WITH draw AS (
              SELECT pl.*, pl.p_first + n AS id, random() AS r_kind, random() AS r_status,
                random() AS r_lang, random() AS r_text, random() AS r_origin,
                random() AS r_when, random() AS r_village, random() AS r_group,
                random() AS r_hearing, random() AS r_target, random() AS r_author,
                random() AS r_decision, random() AS r_days, random() AS r_ru
              FROM bench_plan pl, generate_series(0, pl.proposals - 1) AS n
            ), kinds AS (
              SELECT *, CASE WHEN r_kind < 0.15 THEN 'question' ELSE 'proposal' END AS kind
              FROM draw
            ), statuses AS (
              SELECT *, CASE WHEN kind = 'proposal' THEN CASE
                  WHEN r_status < 0.02 THEN 'moderation' WHEN r_status < 0.04 THEN 'refused'
                  WHEN r_status < 0.12 THEN 'received' WHEN r_status < 0.22 THEN 'review'
                  WHEN r_status < 0.36 THEN 'accepted_programme'
                  WHEN r_status < 0.50 THEN 'accepted_budget'
                  WHEN r_status < 0.54 THEN 'accepted_project'
                  WHEN r_status < 0.62 THEN 'partly_accepted'
                  WHEN r_status < 0.84 THEN 'rejected' ELSE 'deferred' END
                ELSE CASE
                  WHEN r_status < 0.03 THEN 'moderation' WHEN r_status < 0.05 THEN 'refused'
                  WHEN r_status < 0.15 THEN 'received' WHEN r_status < 0.25 THEN 'review'
                  WHEN r_status < 0.90 THEN 'answered' ELSE 'deferred' END
                END AS status
              FROM kinds
            ), origins AS (
              SELECT *, CASE WHEN status IN ('moderation', 'refused') THEN 'online'
                  WHEN r_origin < 0.62 THEN 'hearing' WHEN r_origin < 0.82 THEN 'online'
                  ELSE 'paper' END AS origin
              FROM statuses
            ), placed AS (
              SELECT o.*, CASE WHEN origin = 'hearing'
                  THEN h_first + floor(r_hearing * (hearings - 2))::bigint END AS hearing_id
              FROM origins o
            ), dated AS (
              SELECT p.*, CASE
                  WHEN hh.starts_at IS NOT NULL THEN hh.starts_at
                  WHEN p.status = 'moderation' THEN %(now)s - r_when * interval '10 days'
                  ELSE t0 + r_when * (%(now)s - t0) END AS submitted_at,
                tx.ky, tx.ru, tx.topic, tx.topic_index, tx.line_index
              FROM placed p
              LEFT JOIN hearings_hearing hh ON hh.id = p.hearing_id
              JOIN bench_text tx ON tx.i = CASE WHEN p.kind = 'question'
                  THEN {POOL_PROPOSALS} + 1 + floor(p.r_text * {POOL_QUESTIONS})::int
                  ELSE 1 + floor(p.r_text * {POOL_PROPOSALS})::int END
            ), targeted AS (
              SELECT d.*,
                least(programmes - 1, (extract(year FROM submitted_at)::int - first_year) / 4)
                  AS programme_index,
                least(years - 1, greatest(0, extract(year FROM submitted_at)::int - first_year))
                  AS budget_index,
                CASE WHEN status = 'partly_accepted'
                  THEN CASE WHEN r_target < 0.5 THEN 'priority' WHEN r_target < 0.8 THEN 'line'
                    ELSE 'project' END
                  WHEN status = 'accepted_programme' THEN 'priority'
                  WHEN status = 'accepted_budget' THEN 'line'
                  WHEN status = 'accepted_project' THEN 'project' END AS target,
                CASE WHEN status IN {decided} THEN least(%(today)s::date,
                  submitted_at::date + 7 + floor(r_days * 120)::int) END AS decided_on
              FROM dated d
            )
            SELECT t.id, m, kind,
              CASE WHEN r_lang < 0.55 OR r_lang >= 0.8 THEN t.ky ELSE t.ru END,
              CASE WHEN r_lang < 0.55 OR r_lang >= 0.8 THEN t.ky END,
              CASE WHEN r_lang >= 0.55 THEN t.ru END,
              t.topic,
              CASE WHEN r_village < 0.8
                THEN v_first + floor(r_village / 0.8 * villages)::bigint END,
              origin, hearing_id,
              CASE WHEN hearing_id IS NOT NULL
                THEN row_number() OVER (PARTITION BY hearing_id ORDER BY t.id) END,
              CASE WHEN r_group < 0.4 THEN g_first + floor(r_group / 0.4 * groups)::bigint END,
              CASE WHEN r_author < 0.35
                THEN (%(names)s::text[])[1 + floor(r_author / 0.35 * %(name_count)s)::int]
                ELSE '' END,
              r_author < 0.2,
              CASE WHEN origin = 'online' AND r_author < 0.6
                THEN '+996 770 ' || lpad((t.id %% 1000000)::text, 6, '0') ELSE '' END,
              '', '', pg_temp.bench_code(pg_temp.bench_mix(t.id)), t.status,
              CASE WHEN t.status = 'refused'
                THEN CASE WHEN r_decision < 0.7 THEN 'spam' ELSE 'abusive' END ELSE '' END,
              submitted_at,
              coalesce(replace(dc.ky, '{{y}}', extract(year FROM decided_on)::text), ''),
              replace(dc.ky, '{{y}}', extract(year FROM decided_on)::text),
              CASE WHEN r_ru < 0.5
                THEN replace(dc.ru, '{{y}}', extract(year FROM decided_on)::text) END,
              decided_on,
              CASE WHEN target = 'priority'
                THEN pr_first + programme_index * {PRIORITIES_PER_PROGRAMME} + topic_index END,
              CASE WHEN target = 'line' THEN line_first
                + budget_index * {REVENUE_LINES + EXPENDITURE_LINES}
                + {REVENUE_LINES} + line_index END,
              CASE WHEN target = 'project' THEN prj_first + t.id %% projects END
            FROM targeted t
            LEFT JOIN bench_decision dc ON dc.status = t.status
              AND dc.i = floor(r_decision * CASE t.status
                WHEN 'rejected' THEN 3 WHEN 'answered' THEN 3 ELSE 2 END)::int
            """,
            {"now": self.now, "today": self.today, "names": names, "name_count": len(names)},
        )

    def events(self, cur):
        decided = "('" + "','".join(DECIDED) + "')"
        cur.execute(
            f"""
            INSERT INTO hearings_proposalevent (proposal_id, at, recorded_at, from_status,
              to_status, from_kind, to_kind, correction_reason)
            SELECT p.id, e.at, e.at, e.from_status, e.to_status, '', '', ''
            FROM hearings_proposal p
            CROSS JOIN LATERAL (SELECT p.status IN {decided} AS decided,
              p.status = 'review' OR (p.status IN {decided} AND mod(p.id, 2) = 0) AS reviewed) s
            CROSS JOIN LATERAL (VALUES
              (CASE WHEN p.origin = 'online' THEN p.submitted_at END, '', 'moderation'),
              (CASE WHEN p.status <> 'moderation'
                 THEN p.submitted_at + CASE WHEN p.origin = 'online'
                   THEN interval '1 day' ELSE interval '0' END END,
               CASE WHEN p.origin = 'online' THEN 'moderation' ELSE '' END,
               CASE WHEN p.status = 'refused' THEN 'refused' ELSE 'received' END),
              (CASE WHEN s.reviewed THEN p.submitted_at + interval '3 days' END,
               'received', 'review'),
              (CASE WHEN s.decided THEN p.decided_on + interval '12 hours' END,
               CASE WHEN s.reviewed THEN 'review' ELSE 'received' END, p.status)
            ) AS e (at, from_status, to_status)
            WHERE e.at IS NOT NULL
            """
        )

    def search_words(self, cur):
        """What the proposals' triggers would have kept (hearings migration 0015)."""
        cur.execute(
            """INSERT INTO hearings_searchword (municipality_id, word)
            SELECT DISTINCT municipality_id, word
            FROM hearings_proposal, hearings_words_of(municipality_id, search_vector) AS word"""
        )

    def fix_sequences(self, cur):
        """Explicit ids were given: each sequence goes on after its table's largest."""
        cur.execute(
            """SELECT s.relname, t.relname, a.attname FROM pg_class s
            JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
            JOIN pg_class t ON t.oid = d.refobjid
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
            WHERE s.relkind = 'S' AND t.relnamespace = 'public'::regnamespace"""
        )
        for sequence, table, column in cur.fetchall():
            cur.execute(
                f"SELECT setval('\"{sequence}\"', "
                f'coalesce((SELECT max("{column}") FROM "{table}"), 0) + 1, false)'
            )


def secondary_indexes(cur, tables):
    """The definitions of the tables' indexes that no constraint owns."""
    cur.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
        JOIN pg_class c ON c.relname = i.indexname
        WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)""",
        [tables],
    )
    return cur.fetchall()


def rebuild_indexes(url, indexes):
    """Build the dropped indexes again, two at a time (the trigram ones are slow)."""
    queue = sorted(indexes, key=lambda index: "trgm" not in index[0])
    lock, errors = threading.Lock(), []

    def work():
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("SET maintenance_work_mem = '256MB'")
                while True:
                    with lock:
                        if not queue or errors:
                            return
                        _name, definition = queue.pop(0)
                    conn.execute(definition)
        except psycopg.Error as error:
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def fill(url, today):
    with psycopg.connect(url) as conn:
        filler = Filler(conn, today)
        # Bulk loading: the big tables' secondary indexes are built once, after.
        with conn.cursor() as cur:
            indexes = secondary_indexes(
                cur, ["hearings_proposal", "hearings_proposalevent", "hearings_searchword"]
            )
            for name, _definition in indexes:
                cur.execute(f'DROP INDEX "{name}"')
        conn.commit()
        filler.step("municipalities, villages", filler.municipalities)
        filler.step("groups, people, memberships", filler.groups)
        filler.step("programmes, budgets", filler.budget)
        filler.step("projects, funding, awards", filler.projects)
        filler.step("hearings", filler.hearings)
        filler.step("sentence pool (Python)", filler.staging)
        # The big tables skip their triggers: the foreign keys' (every id is
        # computed from the plan above) and the one keeping the search words
        # (filled after, in one pass); check constraints still hold each row.
        with conn.cursor() as cur:
            cur.execute("SET session_replication_role = replica")
        filler.step("proposals (SQL)", filler.proposals)
        filler.step("history (SQL)", filler.events)
        filler.step("search words (SQL)", filler.search_words)
        with conn.cursor() as cur:
            cur.execute("SET session_replication_role = DEFAULT")
        conn.commit()

        start = time.perf_counter()
        rebuild_indexes(url, indexes)
        print(f"  {'indexes (two at a time)':38} {time.perf_counter() - start:6.1f} s")
        filler.step("sequences", filler.fix_sequences)
    with psycopg.connect(url, autocommit=True) as conn:
        start = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        print(f"  {'VACUUM ANALYZE':38} {time.perf_counter() - start:6.1f} s", flush=True)


def counts(url):
    with psycopg.connect(url) as conn:
        out = {}
        for table in [
            "portal_municipality",
            "portal_village",
            "groups_initiativegroup",
            "groups_person",
            "groups_membership",
            "hearings_hearing",
            "hearings_proposal",
            "hearings_proposalevent",
            "budget_budgetline",
            "projects_project",
        ]:
            out[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        return out


# --------------------------------------------------------------------------
# Pages.

COMMON_WORD, RARE_WORD = "керек", "трансформатор"
# A rare word misspelt: no word matches, so the words like it are looked up.
MISSPELT_WORD = "трансформатр"


def pages_of(url, municipality):
    """The public pages of one municipality: (label, path) in /ky/."""
    with psycopg.connect(url) as conn:

        def one(sql, *params):
            row = conn.execute(sql, params).fetchone()
            return row if row else (None,)

        public = "('" + "','".join(PUBLIC) + "')"
        (slug,) = one(
            """SELECT g.slug FROM groups_initiativegroup g WHERE g.municipality_id = %s
            AND g.status = 'active' ORDER BY (SELECT count(*) FROM hearings_proposal p
            WHERE p.group_id = g.id) DESC, g.id LIMIT 1""",
            municipality,
        )
        (hearing,) = one(
            f"""SELECT hearing_id FROM hearings_proposal WHERE municipality_id = %s
            AND hearing_id IS NOT NULL AND status IN {public}
            GROUP BY hearing_id ORDER BY count(*) DESC, hearing_id LIMIT 1""",
            municipality,
        )
        proposal, code = one(
            """SELECT id, tracking_code FROM hearings_proposal WHERE municipality_id = %s
            AND status = 'accepted_programme' ORDER BY submitted_at DESC, id DESC LIMIT 1""",
            municipality,
        )
        programme, priority = one(
            f"""SELECT pr.programme_id, pr.id FROM budget_priority pr
            JOIN budget_developmentprogramme g ON g.id = pr.programme_id
            WHERE g.municipality_id = %s ORDER BY (SELECT count(*) FROM hearings_proposal p
            WHERE p.priority_id = pr.id AND p.status IN {public}) DESC, pr.id LIMIT 1""",
            municipality,
        )
        (year,) = one(
            """SELECT max(year) FROM budget_localbudget WHERE municipality_id = %s
            AND status IN ('approved', 'executed')""",
            municipality,
        )
        (project,) = one(
            """SELECT slug FROM projects_project WHERE municipality_id = %s
            ORDER BY id LIMIT 1""",
            municipality,
        )
    previous = year - 1 if year else year
    return [
        ("home", "/ky/"),
        ("contacts", "/ky/contacts/"),
        ("groups list", "/ky/groups/"),
        ("group page", f"/ky/groups/{slug}/"),
        ("hearings list", "/ky/hearings/"),
        ("hearing page", f"/ky/hearings/{hearing}/"),
        ("proposals list, page 1", "/ky/proposals/"),
        ("proposals list, page 50", "/ky/proposals/?page=50"),
        ("proposal page", f"/ky/proposals/{proposal}/"),
        ("tracking form", "/ky/proposals/track/"),
        ("tracking page (code)", f"/ky/proposals/track/{code}/"),
        ("proposal form (GET)", "/ky/proposals/new/"),
        (f"search, common word ({COMMON_WORD})", f"/ky/proposals/?q={quote(COMMON_WORD)}"),
        (f"search, rare word ({RARE_WORD})", f"/ky/proposals/?q={quote(RARE_WORD)}"),
        (f"search, misspelt ({MISSPELT_WORD})", f"/ky/proposals/?q={quote(MISSPELT_WORD)}"),
        ("filter: status and year", f"/ky/proposals/?status=accepted&year={previous}"),
        ("search with a filter", f"/ky/proposals/?q={quote('көпүрө')}&status=pending&year={year}"),
        ("programmes", "/ky/programmes/"),
        ("programme page", f"/ky/programmes/{programme}/"),
        ("priority page", f"/ky/programmes/priorities/{priority}/"),
        ("budget", "/ky/budget/"),
        ("budget year", f"/ky/budget/{previous}/"),
        ("projects list", "/ky/projects/"),
        ("project page", f"/ky/projects/{project}/"),
        ("awards", "/ky/awards/"),
    ]


# URL names the bench covers on purpose, or leaves out (PDFs: bench-reports).
COVERED = {
    "home",
    "contacts",
    "healthz",
    "groups:list",
    "groups:detail",
    "hearings:hearing_list",
    "hearings:hearing_detail",
    "hearings:proposal_list",
    "hearings:proposal_new",
    "hearings:track",
    "hearings:track_code",
    "hearings:proposal_detail",
    "budget:programme_list",
    "budget:programme_detail",
    "budget:priority_detail",
    "budget:budget_current",
    "budget:budget_year",
    "projects:project_list",
    "projects:project_detail",
    "projects:award_list",
}
LEFT_OUT = re.compile(r"(\.pdf$|^admin:|^set_language$|^$|^javascript-catalog$)")


def uncovered_url_names():
    """Named public URL patterns no bench page covers (needs Django set up)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    return sorted(
        name for name in names - COVERED if not LEFT_OUT.search(name) and not name.endswith("_pdf")
    )


# --------------------------------------------------------------------------
# Serving and measuring.


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on a free local port, stopped whatever happens."""

    def __init__(self, env, args):
        self.env, self.args = env, args
        self.port = free_port()
        self.process = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115  (closed in __exit__)
            "w+", prefix="bench-gunicorn-", suffix=".log"
        )

    def __enter__(self):
        command = [
            GUNICORN,
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.args.workers),
            "--worker-class",
            self.args.worker_class,
            "--threads",
            str(self.args.threads),
            "--no-control-socket",
        ]
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited:\n" + self.output())
            try:
                status, _ = request_once(self.port, "localhost", "/healthz")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz:\n" + self.output())

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-4000:]

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def request_once(port, host, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Client:
    """One keep-alive connection."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, host, path):
        for attempt in range(2):
            try:
                start = time.perf_counter()
                self.conn.request("GET", path, headers={"Host": host})
                response = self.conn.getresponse()
                body = response.read()
                return response.status, body, (time.perf_counter() - start) * 1000
            except (http.client.HTTPException, OSError):
                # The server closed the kept-alive connection: open another once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        raise AssertionError("unreachable")


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timings(client, host, path, runs, warmup=3):
    for _ in range(warmup):
        status, body, _ = client.get(host, path)
    samples = []
    for _ in range(runs):
        status, body, ms = client.get(host, path)
        samples.append(ms)
    return status, len(body), statistics.median(samples), p95(samples)


def query_counts(host, paths):
    """Queries per page, in-process, on a warm worker (second request)."""
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    client = TestClient(HTTP_HOST=host)
    out = {}
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        out[path] = (len(queries), response.status_code)
    return out


def interleaved(client, host, paths, runs, warmup=3):
    """Samples of each path and of the floor (/healthz), a round at a time:
    every round asks each page once, in the same order, so that a slow
    moment of a shared machine falls on all pages alike instead of on the
    few measured then."""
    floor = "/healthz"
    for path in [floor, *paths]:
        for _ in range(warmup):
            client.get(host, path)
    samples = {path: [] for path in [floor, *paths]}
    statuses, sizes = {}, {}
    for _ in range(runs):
        for path in [floor, *paths]:
            status, body, ms = client.get(host, path)
            samples[path].append(ms)
            statuses[path], sizes[path] = status, len(body)
    return samples, statuses, sizes


def in_a_row(client, host, paths, runs):
    """Samples of each path, --runs requests in a row after a warm-up (as
    the issue measured): each page at its warmest."""
    samples, statuses, sizes = {}, {}, {}
    for path in paths:
        for _ in range(3):
            client.get(host, path)
        samples[path] = []
        for _ in range(runs):
            status, body, ms = client.get(host, path)
            samples[path].append(ms)
        statuses[path], sizes[path] = status, len(body)
    return samples, statuses, sizes


def measure_municipality(port, label, municipality, url, runs, alone, rounds=False):
    host = f"m{municipality}.localhost"
    pages = pages_of(url, municipality)
    queries = query_counts(host, [path for _label, path in pages])
    client = Client(port)
    measure = interleaved if rounds else in_a_row
    samples, statuses, sizes = measure(client, host, [path for _label, path in pages], runs)
    print(f"\n### {label} (m{municipality}.localhost)\n")
    floor = statistics.median(samples["/healthz"]) if rounds else alone
    if rounds:
        print(f"Floor in the same rounds: median {floor:.2f} ms (alone: {alone:.2f} ms)\n")
    print("| page | median ms | p95 ms | × floor | × floor, same rounds | KB | queries | status |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    problems = []
    for name, path in pages:
        median, high = statistics.median(samples[path]), p95(samples[path])
        status, size = statuses[path], sizes[path]
        count, in_process = queries[path]
        if status != 200 or in_process != 200:
            problems.append(f"{host}{path}: {status} (in-process {in_process})")
        print(
            f"| {name} | {median:.1f} | {high:.1f} | {median / alone:.0f}× | "
            f"{f'{median / floor:.0f}×' if rounds else '—'} | {size / 1024:.0f} | {count} | "
            f"{status} |",
            flush=True,
        )
    return problems


def mixed_load(port, url, seconds, clients, rng):
    """Keep-alive clients on random public pages of random municipalities."""
    sample = rng.sample(range(1, MUNICIPALITIES + 1), 40)
    targets = [
        (f"m{m}.localhost", path)
        for m in sample
        for label, path in pages_of(url, m)
        if label != "proposals list, page 50"
    ]
    results, lock = [], threading.Lock()
    deadline = time.monotonic() + seconds

    def run(seed):
        local = random.Random(seed)
        client = Client(port)
        mine = []
        while time.monotonic() < deadline:
            host, path = local.choice(targets)
            try:
                status, _body, ms = client.get(host, path)
            except (http.client.HTTPException, OSError):
                status, ms = 0, 0.0
            mine.append((status, ms))
        with lock:
            results.extend(mine)

    start = time.monotonic()
    threads = [threading.Thread(target=run, args=(seed,)) for seed in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    ok = [ms for status, ms in results if status == 200]
    errors = len(results) - len(ok)
    return len(results) / elapsed, statistics.median(ok), p95(ok), errors, len(results)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="bench.py --national", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--runs", type=int, default=30, help="requests per page, after a warm-up")
    parser.add_argument(
        "--rounds",
        action="store_true",
        help="ask the pages in interleaved rounds (each round every page and /healthz "
        "once) instead of each page --runs times in a row",
    )
    parser.add_argument("--seconds", type=float, default=15, help="length of the mixed load")
    parser.add_argument("--clients", type=int, default=20, help="clients of the mixed load")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument(
        "--reuse", action="store_true", help="skip the fill if the bench database exists"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    today = date.today()
    admin_url = connection_url("postgres")
    url = connection_url(DATABASE)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PORTAL_ROOT_DOMAIN": "localhost",
        "DJANGO_SETTINGS_MODULE": "portal.settings_serve",
    }
    filled = None
    try:
        if args.reuse and database_exists(admin_url):
            print(f"Reusing the database {DATABASE} (no fill; new migrations applied).")
            dev = {**env, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "portal.settings"}
            manage(dev, "migrate", "--no-input", "-v", "0")
        else:
            print(f"Filling {DATABASE}:")
            start = time.perf_counter()
            recreate_database(admin_url)
            dev = {**env, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "portal.settings"}
            manage(dev, "migrate", "--no-input", "-v", "0")
            manage(dev, "createcachetable")
            print(f"  {'migrate':38} {time.perf_counter() - start:6.1f} s", flush=True)
            fill_start = time.perf_counter()
            fill(url, today)
            filled = time.perf_counter() - fill_start
            print(f"Fill: {filled:.0f} s (with migrate: {time.perf_counter() - start:.0f} s)")
        for table, count in counts(url).items():
            print(f"  {table:28} {count:>10,}")
        manage(env, "collectstatic", "--no-input", "-v", "0")

        # The in-process client for the query counts: same settings, same database.
        os.environ.update(
            DATABASE_URL=url,
            PORTAL_ROOT_DOMAIN="localhost",
            DJANGO_SETTINGS_MODULE="portal.settings_serve",
        )
        import django

        django.setup()

        with Server(env, args) as server:
            client = Client(server.port)
            status, _size, floor, floor_p95 = timings(client, "m1.localhost", "/healthz", 200, 20)
            assert status == 200, status
            print(
                f"\ngunicorn {args.workers} {args.worker_class} worker(s)"
                + (f", {args.threads} threads" if args.worker_class == "gthread" else "")
                + (
                    f"; {args.runs} rounds of every page after a warm-up"
                    if args.rounds
                    else f"; {args.runs} runs a page after a warm-up"
                )
            )
            print(f"Floor (/healthz, same stack): median {floor:.2f} ms, p95 {floor_p95:.2f} ms")
            problems = []
            status, size, median, high = timings(client, "localhost", "/ky/", args.runs)
            count = query_counts("localhost", ["/ky/"])["/ky/"][0]
            print("\n### National root (localhost)\n")
            print("| page | median ms | p95 ms | × floor | KB | queries | status |")
            print("|---|---:|---:|---:|---:|---:|---|")
            print(
                f"| municipality directory | {median:.1f} | {high:.1f} | {median / floor:.0f}× "
                f"| {size / 1024:.0f} | {count} | {status} |"
            )
            problems += measure_municipality(
                server.port, "Typical municipality", TYPICAL, url, args.runs, floor, args.rounds
            )
            problems += measure_municipality(
                server.port, "Ten-year municipality", TEN_YEAR, url, args.runs, floor, args.rounds
            )
            rate, median, high, errors, total = mixed_load(
                server.port, url, args.seconds, args.clients, random.Random(SEED)
            )
            print(f"\n### Mixed load ({args.clients} clients, {args.seconds:.0f} s)\n")
            print("| requests/s | median ms | p95 ms | errors | requests |")
            print("|---:|---:|---:|---:|---:|")
            print(f"| {rate:.1f} | {median:.1f} | {high:.1f} | {errors} | {total} |")
            if problems:
                print("\nPages that did not answer 200:")
                for problem in problems:
                    print(f"  {problem}")
            missing = uncovered_url_names()
            if missing:
                print(
                    "\nURL names no bench page covers (add them to pages_of() and COVERED):",
                    ", ".join(missing),
                )
    finally:
        if not args.keep:
            drop_database(admin_url)
            print(f"\nDropped {DATABASE} (--keep keeps it).")
    if filled is not None:
        print(f"Fill took {filled:.0f} s.")
    print(f"Total run time: {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main(sys.argv[1:])
