from danvan.org.selectors import is_staff_member


def shell(request):
    """Facts the page shell needs on every page (navigation)."""
    user = getattr(request, "user", None)
    return {"is_staff_member": bool(user is not None and is_staff_member(user))}
