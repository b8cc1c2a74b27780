"""Who is signed in, read with one SQL query each: the session's row and its user.

Every page a signed-in person opens reads both before anything else. Django's database session
store and ModelBackend read them through the ORM, whose query building took longer than the
queries (about 0.3 ms each). These read the same rows with the same conditions as SQL: the session
only while it has not expired, the user only while active; writing sessions, logging in and
everything else stay Django's. (tests/accounts/test_signed_in.py compares them with Django's.)

settings.SESSION_ENGINE names this module; AUTHENTICATION_BACKENDS names `Backend`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone

from leergang.core import sql_rows


class SessionStore(DatabaseSessionStore):
    """Django's database sessions; the row is read as SQL."""

    def _get_session_from_db(self) -> Any:
        model = self.model
        db = connections[router.db_for_read(model)]
        with db.cursor() as cursor:
            cursor.execute(
                f'SELECT "session_data" FROM {db.ops.quote_name(model._meta.db_table)} '  # noqa: S608 - names from the model
                'WHERE "session_key" = %s AND "expire_date" > %s',
                [self.session_key, db.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's store does for a missing or expired session
            return None
        return model(session_key=self.session_key, session_data=row[0])


class Backend(ModelBackend):
    """Django's ModelBackend; the signed-in user is read as SQL."""

    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        rows = sql_rows.read_joined(f'FROM {sql_rows.table(user_model)} u WHERE u."id" = %s', [pk], ((user_model, "u"),))
        if not rows:
            return None
        user = rows[0][0]
        return user if self.user_can_authenticate(user) else None
