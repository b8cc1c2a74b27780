from ninja import NinjaAPI

from . import (
    applications,
    attendance,
    awards,
    calendar,
    changes,
    editions,
    errors,
    finance,
    invoices,
    money,
    papers,
    payments,
    presentations,
    programmes,
    schedules,
    standing,
)
from .openapi_cache import docs_decorator
from .parser import JSONObjectParser

api = NinjaAPI(
    title="Leergang API",
    version="1",
    description=(
        "JSON API of Leergang. Authenticate with `Authorization: Bearer <token>` "
        "(`python manage.py api_token EMAIL`). `Accept-Language: nl` (default) or `en` chooses the "
        "language of titles, themes and messages. Every error has the body "
        '`{"detail": "...", "errors": [{"field": "...", "message": "..."}]}`.'
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs_decorator=docs_decorator,
    parser=JSONObjectParser(),
)
errors.install(api)
api.add_router("", programmes.router)
api.add_router("", editions.router)
api.add_router("", schedules.router)
api.add_router("", applications.router)
api.add_router("", calendar.router)
api.add_router("", invoices.router)
api.add_router("", papers.router)
api.add_router("", presentations.router)
api.add_router("", attendance.router)
api.add_router("", standing.router)
api.add_router("", awards.router)
api.add_router("", payments.router)
api.add_router("", finance.router)
api.add_router("", money.router)
api.add_router("", changes.router)
