"""The own case's writes (M13) without repeated look-ups: saving a progress entry and responding
look up the enrolment, the session, the entry and its case once each, not once in the view and once
more in the service. The counts are pinned so that a second look-up coming back shows here."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from leergang.learning import cases
from leergang.learning.models import CaseEntry, CaseResponse
from tests import factories
from tests.learning.cases_fixtures import (
    entry_url,
    respond_url,
    world,  # noqa: F401 (fixture)
    written,  # noqa: F401 (fixture)
)

pytestmark = pytest.mark.django_db

DATA = {"done": "Gedaan.", "learned": "Geleerd.", "next_step": "Volgende stap."}


def _post(client, address, data) -> tuple:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(address, data)
    return response, [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def test_changing_an_entry_looks_everything_up_once(client, written):  # noqa: F811
    client.force_login(written.writer.participant)
    entry = written.entries[0]
    response, queries = _post(client, entry_url(written, entry.session), DATA)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.done, entry.learned, entry.next_step) == ("Gedaan.", "Geleerd.", "Volgende stap.")
    # Session and user (2); view: enrolment with case, session (2); service: locked enrolment,
    # session, entry with its case, update, audit (5).
    assert len(queries) == 9, "\n".join(queries)


def test_a_first_entry_looks_up_the_case_on_its_own(client, written):  # noqa: F811
    client.force_login(written.writer.participant)
    session = factories.SessionFactory(edition=written.edition, number=4)
    response, queries = _post(client, entry_url(written, session), DATA)
    assert response.status_code == 302
    assert CaseEntry.objects.filter(case__enrolment=written.writer, session=session, done="Gedaan.").exists()
    # As above, with the case looked up apart and an insert instead of an update.
    assert len(queries) == 10, "\n".join(queries)


def test_responding_loads_the_entry_with_its_enrolment(client, written, coordinator):  # noqa: F811
    client.force_login(coordinator)
    entry = written.entries[0]
    response, queries = _post(client, respond_url(written, entry), {"text": "Een reactie."})
    assert response.status_code == 302
    assert CaseResponse.objects.filter(entry=entry, author=coordinator).exists()
    # Session and user (2); view: entry with enrolment (1); service: the same (1); the response,
    # the audit entry and the writer's e-mail (3).
    assert len(queries) == 7, "\n".join(queries)


def test_entry_access_answers_none_alike(written, coordinator, people_outside):  # noqa: F811
    entry = written.entries[0]
    found = cases.entry_access(coordinator, written.writer.pk, entry.pk)
    assert found is not None
    access, loaded = found
    assert (access.role, loaded.pk, access.case.pk) == (cases.STAFF, entry.pk, entry.case_id)
    assert access.enrolment.own_case == access.case  # the case comes with the entry, no query
    assert cases.entry_access(coordinator, written.writer.pk + 999, entry.pk) is None  # another enrolment
    assert cases.entry_access(coordinator, written.writer.pk, entry.pk + 999) is None  # no such entry
    assert cases.entry_access(people_outside, written.writer.pk, entry.pk) is None  # may not see the case


def test_entry_access_of_a_group_member_follows_the_session(written):  # noqa: F811
    # `peer` shared the writer's group at sessions 1 and 2, not at 3 (cases_fixtures.py).
    peer = written.peer.participant
    seen = [cases.entry_access(peer, written.writer.pk, entry.pk) is not None for entry in written.entries]
    assert seen == [True, True, False]


@pytest.fixture
def people_outside(written):  # noqa: F811
    return written.stranger.participant
