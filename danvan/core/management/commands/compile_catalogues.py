from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from danvan.core.i18n_catalogue import compile_catalogue


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po to .mo without system gettext tools."

    def handle(self, *args, **options):
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                compile_catalogue(po_path)
                count += 1
        if options["verbosity"] > 1:
            self.stdout.write(f"compiled {count} catalogue(s)")
