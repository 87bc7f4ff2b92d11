"""Writes that change a rolled-up figure mark their petition in the same transaction, so the
dashboard reads its months live until the worker has rebuilt them (`reports.rollups`)."""

from django.db.models.signals import post_delete, post_save

from danvan.petitions.models import Deadline, Petition, Transition
from danvan.reports.rollups import mark_changed

# The petition fields a rollup counts or groups by.
COUNTED_FIELDS = frozenset(
    {"received_on", "agency", "agency_id", "unit", "unit_id", "kind", "channel"}
    | {"is_mass", "petitioner_count"}
)


def _counted(update_fields) -> bool:
    return update_fields is None or bool(COUNTED_FIELDS & set(update_fields))


def petition_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or _counted(update_fields):
        mark_changed([instance.pk])


def transition_saved(sender, instance, created, **kwargs):
    mark_changed([instance.petition_id])


def deadline_saved(sender, instance, created, update_fields=None, **kwargs):
    # A new clock comes with its petition's creation or a move, which mark it already.
    if created:
        return
    if update_fields is None or {"met_on", "due_on", "kind"} & set(update_fields):
        mark_changed([instance.petition_id])


def petition_deleted(sender, instance, **kwargs):
    """A deleted case leaves no row to find its months by: start the rollups over."""
    from danvan.reports.models import RollupMonth

    RollupMonth.objects.all().delete()


def connect() -> None:
    post_save.connect(petition_saved, sender=Petition, dispatch_uid="rollup-petition")
    post_save.connect(transition_saved, sender=Transition, dispatch_uid="rollup-transition")
    post_save.connect(deadline_saved, sender=Deadline, dispatch_uid="rollup-deadline")
    post_delete.connect(petition_deleted, sender=Petition, dispatch_uid="rollup-petition-del")
