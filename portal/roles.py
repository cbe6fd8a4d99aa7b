"""The staff roles and their permissions, kept in step with the models.

Run by `manage.py sync_roles` (and `load_demo`) after every migration, so a
new model's permissions reach the roles without a hand-written migration.
The transaction is a `with` block, not the decorator: mutation testing
(`make mutate`) skips decorated functions.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

STAFF = "АӨ кызматкерлери / Сотрудники АО"
MODERATORS = "Модераторлор / Модераторы"

# Staff keep the portal's records; nothing of users, and no deleting of
# proposals, whose history must stay traceable.
STAFF_APPS = ["portal", "groups", "hearings", "budget", "projects"]
STAFF_EXCLUDED = {
    "delete_proposal",
    "delete_proposalevent",
    "add_proposalevent",
    "change_proposalevent",
}
# The queue only: moderators neither browse the register nor see contacts.
MODERATOR_PERMISSIONS = [
    ("hearings", "view_moderationqueue"),
    ("hearings", "change_moderationqueue"),
]


def sync_roles():
    with transaction.atomic():
        staff, _ = Group.objects.get_or_create(name=STAFF)
        staff.permissions.set(
            Permission.objects.filter(content_type__app_label__in=STAFF_APPS).exclude(
                codename__in=STAFF_EXCLUDED
            )
        )
        moderators, _ = Group.objects.get_or_create(name=MODERATORS)
        moderators.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in={app for app, _ in MODERATOR_PERMISSIONS},
                codename__in=[codename for _, codename in MODERATOR_PERMISSIONS],
            )
        )
        return staff, moderators
