import uuid

from danvan.core.request_context import RequestInfo, reset_request_info, set_request_info


class RequestContextMiddleware:
    """Makes the client IP and a request id available to audit logging for this request.

    REMOTE_ADDR is used as is: behind a reverse proxy, configure the proxy to set it
    (see docs/operations.md) rather than trusting a client-supplied X-Forwarded-For.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        token = set_request_info(
            RequestInfo(ip_address=request.META.get("REMOTE_ADDR") or None, request_id=request_id)
        )
        try:
            response = self.get_response(request)
        finally:
            reset_request_info(token)
        response["X-Request-ID"] = request_id
        return response
