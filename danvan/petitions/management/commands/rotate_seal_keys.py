from django.core.management.base import BaseCommand
from django.db import transaction

from danvan.core.audit import audit_log
from danvan.petitions import sealing
from danvan.petitions.models import SealedIdentity


class Command(BaseCommand):
    help = (
        "Re-encrypt every sealed identity under the newest key of DANVAN_SEAL_KEYS. Run it after "
        "putting a new key first; then the old keys can be removed. One transaction."
    )

    def handle(self, *args, **options):
        count = 0
        with transaction.atomic():
            for sealed in SealedIdentity.objects.select_for_update().iterator(chunk_size=500):
                sealed.ciphertext = sealing.rotate(sealed.ciphertext)
                sealed.save(update_fields=["ciphertext"])
                count += 1
            audit_log(
                actor=None,
                action="petitions.seal_keys_rotate",
                changes={"after": {"rotated": count}},
            )
        self.stdout.write(f"rotated {count} sealed identities")
