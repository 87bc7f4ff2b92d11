from django.core.management.base import BaseCommand
from django.db import transaction

from danvan.core.services import legal_rules_seed
from danvan.org.demo import DEMO_PASSWORD, load_demo
from danvan.petitions.demo import load_demo_petitions
from danvan.plans.demo import load_demo_plans
from danvan.portal.demo import load_demo_portal
from danvan.reports.demo import load_demo_reports


class Command(BaseCommand):
    help = "Load the demo data (idempotent): Cần Thơ's units, agencies, one user per role, plans."

    def handle(self, *args, **options):
        with transaction.atomic():
            legal_rules_seed()
            logins = load_demo()
            load_demo_plans()
            petitions = load_demo_petitions()
            load_demo_portal()
            load_demo_reports()
        # The dashboard's monthly rollups of the demo's closed months (the worker keeps them
        # up to date afterwards; see reports.rollups).
        from django.conf import settings

        from danvan.reports.rollups import refresh

        refresh(cutoff_day=settings.DANVAN_REPORT_CUTOFF_DAY)
        if options["verbosity"] > 0:
            self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            for username, description in logins:
                self.stdout.write(f"  {username:<18} {description}")
            if petitions:
                self.stdout.write(f"Demo petitions loaded: {petitions}")
