"""Notices to petitioners at each public step (placeholder; implemented by the messaging work)."""


def enqueue_petitioner_notice(transition_id: int) -> None:
    """Queue the notice for one public step of a case (runs after commit)."""
