"""Accounts are found by e-mail address without regard to case through the unique index on
LOWER(email) (user_email_ci_unique), not by reading every user."""

import pytest
from django.db import connection

from leergang.accounts import services
from leergang.accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_address_is_matched_without_regard_to_case():
    user = factories.UserFactory(email="anna.jansen@example.org")
    factories.UserFactory(email="anna.jansen@example.com")
    for typed in ("anna.jansen@example.org", "Anna.Jansen@Example.ORG", "ANNA.JANSEN@EXAMPLE.ORG"):
        assert list(User.objects.with_email(typed)) == [user]
        assert User.objects.get_by_natural_key(typed) == user
    assert not User.objects.with_email("anna_jansen@example.org").exists()  # no LIKE wildcards
    found, created = services.get_or_create_participant(
        email=" Anna.Jansen@EXAMPLE.org ", first_name="A", last_name="J", language="nl"
    )
    assert (found, created) == (user, False)


def test_the_lookup_uses_the_index_on_the_lower_case_address():
    sql, params = User.objects.with_email("Anna@Example.org").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A test database is tiny, where a sequential scan is cheapest: ask whether the index *can* serve.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "user_email_ci_unique" in plan, plan


def test_the_sql_lookup_finds_what_with_email_finds_through_the_same_index():
    user = factories.UserFactory(email="anna.jansen@example.org", first_name="Anna")
    factories.UserFactory(email="anna.jansen@example.com")
    for typed in ("anna.jansen@example.org", "Anna.Jansen@Example.ORG"):
        found, expected = services._user_with_email(typed), User.objects.with_email(typed).get()
        assert [(f.attname, getattr(found, f.attname)) for f in User._meta.concrete_fields] == [
            (f.attname, getattr(expected, f.attname)) for f in User._meta.concrete_fields
        ]
    assert services._user_with_email("anna_jansen@example.org") is None and found == user
    with connection.cursor() as cursor:
        sql = 'SELECT 1 FROM "accounts_user" u WHERE LOWER(u."email") = %s'
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", ["anna@example.org"])
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", ["anna@example.org"])
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "user_email_ci_unique" in plan, plan
