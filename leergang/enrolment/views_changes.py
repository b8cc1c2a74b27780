"""The page of one place and its changes of plan (M7)."""

from django.http import HttpResponse


def place_page(request, enrolment_id):
    return HttpResponse(status=501)
