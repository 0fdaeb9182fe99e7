"""Storefront views: the basket's province chooser, the Kuaidi100 push endpoint and the
download of a shipment voucher."""

import logging

from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import generic
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from core.regions import is_province
from plugins.logistics import selectors
from plugins.logistics.adapters.base import PushRejected
from plugins.logistics.services.tracking import adapter, receive_kuaidi100_push
from shop.shipping.repository import SESSION_KEY

logger = logging.getLogger(__name__)


class ChooseProvinceView(generic.View):
    """Remember the province the basket page estimates freight for (session only)."""

    def post(self, request):
        province = request.POST.get("province", "")
        if is_province(province):
            request.session[SESSION_KEY] = province
        elif province == "":
            request.session.pop(SESSION_KEY, None)
        target = request.POST.get("next") or "/basket/"
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "/basket/"
        return HttpResponseRedirect(target)


@csrf_exempt
@require_POST
def kuaidi100_push(request):
    """Kuaidi100 posts tracking updates here (form fields ``param`` and ``sign``)."""
    kuaidi100 = adapter()
    try:
        new = receive_kuaidi100_push({"param": request.POST.get("param", ""), "sign": request.POST.get("sign", "")})
    except PushRejected as exc:
        logger.warning("Kuaidi100 push rejected: %s", exc)
        return JsonResponse(
            kuaidi100.push_response(False, str(exc)), status=400, json_dumps_params={"ensure_ascii": False}
        )
    return JsonResponse(kuaidi100.push_response(True, f"{new}"), json_dumps_params={"ensure_ascii": False})


@require_safe
def voucher_download(request, pk):
    """A shipment voucher, for whoever may see its shipment (operators, the supplier's staff, the
    buyer); anyone else gets the 404 a missing voucher gets. Images and PDFs are shown inline
    with the type their bytes say; the name the file was uploaded under is never trusted for it."""
    voucher = selectors.open_voucher(request.user, pk)
    if voucher is None:
        raise Http404
    response = FileResponse(
        voucher.file,
        content_type=voucher.content_type or "application/octet-stream",
        as_attachment=voucher.content_type is None,
        filename=voucher.filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private"
    return response
