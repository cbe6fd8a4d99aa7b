from django.core.management.base import BaseCommand
from django.db import transaction

from groups.demo import load_groups
from portal import demo


class Command(BaseCommand):
    help = "Load the Birinchi May demo data (safe to run again: nothing is duplicated)."

    @transaction.atomic
    def handle(self, *args, **options):
        municipality = demo.load_municipality()
        demo.load_staff_user()
        groups = load_groups(municipality)
        self.stdout.write(f"Demo data ready: {municipality.name_ky}, {len(groups)} groups.")
