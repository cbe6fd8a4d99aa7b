"""Demo data from the seed document: Birinchi May ayil okmotu.

Each function is idempotent (update_or_create on natural keys), so
`load_demo` can run on every `make run` without duplicating anything.
"""

from django.contrib.auth import get_user_model

from .models import Municipality, Village

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-portal-2026"

# Airy-Tam and Azhek come from the seed; Airy-Tam is the centre (the ayil
# okmotu's address). The other villages make the demo municipality whole.
VILLAGES = [
    ("Айры-Там", "Айры-Там", True),
    ("Ажек", "Ажек", False),
    ("Жаңы-Турмуш", "Жаны-Турмуш", False),
    ("Кызыл-Туу", "Кызыл-Туу", False),
    ("Бирдик", "Бирдик", False),
]


def load_municipality():
    municipality, _ = Municipality.objects.update_or_create(
        name_ky="Биринчи Май",
        defaults={
            "name_ru": "Биринчи Май",
            "district_ky": "Ала-Бука району",
            "district_ru": "Ала-Букинский район",
            "region_ky": "Жалал-Абад облусу",
            "region_ru": "Джалал-Абадская область",
            "intro_ky": (
                "Биринчи Май айыл аймагы жарандардын катышуусу менен өнүгөт. "
                "Бул порталда айыл өкмөтү эмнени пландап, эмнеге каражат коротуп, "
                "эмне куруп жатканын көрүп, өз сунушуңузду бере аласыз."
            ),
            "intro_ru": (
                "Айылный аймак Биринчи Май развивается при участии жителей. "
                "На этом портале видно, что айыл окмоту планирует, на что тратит "
                "средства и что строит, и можно подать своё предложение."
            ),
            "address_ky": "Айры-Там айылы, С. Жунусов көчөсү",
            "address_ru": "село Айры-Там, ул. С. Жунусова",
            "phones": ["0777 787 138", "0700 637 912", "0771 631 631"],
            "email": "1-mai_ao@mail.ru",
            # Made-up names for the demo's signature lines.
            "head_name": "А. Т. Осмонов",
            "council_secretary_name": "Г. К. Турдубаева",
        },
    )
    for name_ky, name_ru, is_centre in VILLAGES:
        Village.objects.update_or_create(
            municipality=municipality,
            name_ky=name_ky,
            defaults={"name_ru": name_ru, "is_centre": is_centre},
        )
    return municipality


def load_staff_user():
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=DEMO_USERNAME,
        defaults={"is_staff": True, "is_superuser": True, "first_name": "Демо"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def load_role_users():
    """A staff member and a moderator with the roles' rights, to try them out."""
    from django.contrib.auth.models import Group

    from .roles import MODERATORS, STAFF

    User = get_user_model()
    for username, group_name in (("staff", STAFF), ("moderator", MODERATORS)):
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.set([Group.objects.get(name=group_name)])
