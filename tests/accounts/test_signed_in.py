"""The session and the signed-in user, read as SQL (accounts.signed_in), are what Django's database
session store and ModelBackend read: the same data, the same conditions (expired sessions and
inactive users are nobody)."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from leergang.accounts import signed_in
from tests import factories

pytestmark = pytest.mark.django_db


def fields_of(instance) -> list:
    return [(f.attname, type(v := getattr(instance, f.attname)), v) for f in type(instance)._meta.concrete_fields]


def test_the_project_uses_them():
    assert settings.SESSION_ENGINE == "leergang.accounts.signed_in"
    assert settings.AUTHENTICATION_BACKENDS == ["leergang.accounts.signed_in.Backend"]


def test_a_session_loads_as_django_loads_it_and_an_expired_one_is_empty():
    stored = DjangoStore()
    stored.update({"_auth_user_id": "12", "note": "één <b>", "n": [1, 2]})
    stored.save()
    key = stored.session_key
    ours = signed_in.SessionStore(key)
    with CaptureQueriesContext(connection) as captured:
        data = ours.load()
    assert len(captured) == 1
    assert data == DjangoStore(key).load() == {"_auth_user_id": "12", "note": "één <b>", "n": [1, 2]}
    assert ours.session_key == key

    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    expired = signed_in.SessionStore(key)
    assert expired.load() == {} == DjangoStore(key).load()
    assert expired.session_key is None  # as Django's store forgets it
    unknown = signed_in.SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


def test_the_signed_in_user_is_what_modelbackend_reads():
    people = [factories.CoordinatorFactory(), factories.UserFactory(first_name="Zoë", preferred_language="en")]
    inactive = factories.UserFactory(is_active=False)
    ours, django = signed_in.Backend(), ModelBackend()
    for person in people:
        for user_id in (person.pk, str(person.pk)):  # the session keeps it as a string
            found, expected = ours.get_user(user_id), django.get_user(user_id)
            assert fields_of(found) == fields_of(expected)
            assert found.get_session_auth_hash() == expected.get_session_auth_hash()
    for nobody in (inactive.pk, 999999, "not a number", None):
        assert ours.get_user(nobody) is None
        if nobody not in ("not a number", None):
            assert django.get_user(nobody) is None


def test_a_signed_in_page_reads_the_session_and_the_user_with_one_query_each(client):
    person = factories.CoordinatorFactory()
    client.force_login(person)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/nl/")
    assert response.wsgi_request.user.pk == person.pk
    sql = [q["sql"] for q in captured.captured_queries]
    assert sum('FROM "django_session"' in q for q in sql) == 1
    assert sum(q.startswith("SELECT u.") for q in sql) == 1
