from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from danvan.core.decorators import permission_required
from danvan.org.models import Agency
from danvan.org.selectors import agency_get, agency_list, membership_list


@permission_required("core.view_staff_home")
def agency_list_view(request):
    query = request.GET.get("q", "")[:200]
    kind = request.GET.get("kind", "")
    if kind not in Agency.Kind.values:
        kind = ""
    agencies = agency_list(user=request.user, query=query, kind=kind)
    page = Paginator(agencies, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "org/agency_list.html",
        {"page": page, "query": query, "kind": kind, "kinds": Agency.Kind.choices},
    )


@permission_required("core.view_staff_home")
def agency_detail_view(request, pk: int):
    try:
        agency = agency_get(user=request.user, pk=pk)
    except Agency.DoesNotExist:
        raise Http404 from None
    members = membership_list(user=request.user, agency=agency)
    children = agency_list(user=request.user).filter(parent=agency)
    return render(
        request,
        "org/agency_detail.html",
        {"agency": agency, "members": members, "children": children},
    )
