"""Create a personal API token from the command line (prints it once)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from danvan.api.services import api_token_create
from danvan.org.models import Agency


class Command(BaseCommand):
    help = "Create an API token for USERNAME bound to agency CODE; print the token once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("agency_code")
        parser.add_argument("--name", default="cli")
        parser.add_argument("--write", action="store_true", help="read-write (default: read)")
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        agency = Agency.objects.filter(code=options["agency_code"]).first()
        if user is None or agency is None:
            raise CommandError("unknown user or agency code")
        try:
            _token, raw = api_token_create(
                actor=user,
                agency=agency,
                name=options["name"],
                access="write" if options["write"] else "read",
                days=options["days"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(raw)
