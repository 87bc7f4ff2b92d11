from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print a new key for DANVAN_SEAL_KEYS (put it first; keep the old ones until rotated)."

    def handle(self, *args, **options):
        self.stdout.write(Fernet.generate_key().decode())
