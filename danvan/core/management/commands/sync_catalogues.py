from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from danvan.core.i18n_catalogue import extract_entries, missing_translations, sync_catalogue

LANGUAGES_TO_SYNC = ("vi",)


class Command(BaseCommand):
    help = "Extract translatable strings (no xgettext needed) into locale/<lang>/django.po."

    def handle(self, *args, **options):
        entries = extract_entries([Path(settings.BASE_DIR) / "danvan"])
        msgids = sorted(entries)
        for lang in LANGUAGES_TO_SYNC:
            po_path = Path(settings.LOCALE_PATHS[0]) / lang / "LC_MESSAGES" / "django.po"
            added, obsoleted = sync_catalogue(po_path, entries)
            missing = missing_translations(po_path, msgids)
            self.stdout.write(
                f"{lang}: {len(msgids)} ids, {added} added, {obsoleted} obsoleted, "
                f"{len(missing)} untranslated"
            )
