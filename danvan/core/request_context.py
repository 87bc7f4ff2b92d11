"""Per-request facts (client IP, request id) that services read when they write audit events."""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestInfo:
    ip_address: str | None = None
    request_id: str = ""


_NO_REQUEST = RequestInfo()
_current: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar(
    "danvan_request_info", default=None
)


def current_request_info() -> RequestInfo:
    return _current.get() or _NO_REQUEST


def set_request_info(info: RequestInfo) -> contextvars.Token:
    return _current.set(info)


def reset_request_info(token: contextvars.Token) -> None:
    _current.reset(token)
