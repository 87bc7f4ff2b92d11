"""Writes to citizen reception. Each is one transaction with one audit event; bad input raises a
ValidationError keyed by field (Vietnamese through gettext) before anything is written."""

from danvan.reception.services.log import refusal_record, visit_record
from danvan.reception.services.sessions import session_cancel, session_mark_held, session_plan

__all__ = ["refusal_record", "session_cancel", "session_mark_held", "session_plan", "visit_record"]
