from django.core.management.base import BaseCommand
from django.db import transaction

from budget.demo import load_budget
from groups.demo import load_groups
from hearings.demo import load_hearings
from portal import demo
from portal.roles import sync_roles
from projects.demo import load_projects


class Command(BaseCommand):
    help = "Load the Birinchi May demo data (safe to run again: nothing is duplicated)."

    @transaction.atomic
    def handle(self, *args, **options):
        municipality = demo.load_municipality()
        sync_roles()
        user = demo.load_staff_user()
        demo.load_role_users()
        groups = load_groups(municipality)
        budget = load_budget(municipality)
        load_hearings(municipality, by=user, budget=budget)
        load_projects(municipality, budget)
        self.stdout.write(f"Demo data ready: {municipality.name_ky}, {len(groups)} groups.")
