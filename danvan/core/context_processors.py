from danvan.org.selectors import is_staff_member


def shell(request):
    """Facts the page shell needs on every page (navigation)."""
    from danvan.core.notifications import unread_count

    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "is_staff_member": bool(signed_in and is_staff_member(user)),
        "unread_notifications": unread_count(user) if signed_in else 0,
    }
