"""The applicant's answer to an offered seat, through the link in the offer e-mail (no login:
the random token in the link is the key)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from leergang.core.errors import Conflict, NotFound

from . import services
from .models import Offer, OfferStatus


@login_not_required
def answer_offer(request, token):
    offer = Offer.objects.select_related("application", "edition__programme").filter(token=token).first()
    if offer is None:
        raise Http404
    context = {"offer": offer, "open": offer.status == OfferStatus.OPEN and offer.expires_at > timezone.now()}
    answer = request.POST.get("answer")
    if request.method == "POST" and context["open"] and answer in ("accept", "refuse"):
        accept = answer == "accept"
        try:
            services.answer_offer(token=token, accept=accept)
        except NotFound as exc:
            raise Http404 from exc
        except Conflict as exc:
            context["error"] = exc.detail
            context["open"] = False
            return render(request, "enrolment/offer.html", context, status=409)
        offer.refresh_from_db()
        context.update({"open": False, "answered": "accepted" if accept else "refused"})
    return render(request, "enrolment/offer.html", context)
