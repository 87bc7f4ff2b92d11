"""Errors services raise for views to show next to the right field."""

from django.core.exceptions import ValidationError


class ConcurrentChangeError(ValidationError):
    """Someone else changed or decided the same record first: reload and try again."""


class TransitionError(ValidationError):
    """The move is not allowed from the record's current state."""
