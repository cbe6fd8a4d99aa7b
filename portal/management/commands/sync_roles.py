from django.core.management.base import BaseCommand

from portal.roles import sync_roles


class Command(BaseCommand):
    help = "Create or update the staff and moderator groups and their permissions."

    def handle(self, *args, **options):
        staff, moderators = sync_roles()
        self.stdout.write(
            f"Roles ready: {staff.name} ({staff.permissions.count()} permissions), "
            f"{moderators.name} ({moderators.permissions.count()} permissions)."
        )
