from django.core.management.base import BaseCommand

from danvan.core.tick import run_tick


class Command(BaseCommand):
    help = (
        "Run the periodic hooks once (reminders, housekeeping). Call it from cron or a systemd "
        "timer every 5 minutes; see docs/operations.md. Safe to run twice at once."
    )

    def handle(self, *args, **options):
        results = run_tick()
        if options["verbosity"] > 0:
            summary = ", ".join(f"{name}={count}" for name, count in results.items())
            self.stdout.write(f"tick: {summary or 'no hooks'}")
