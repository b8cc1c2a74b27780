"""Outbox task handlers: work that a service hands to the worker, in its own transaction.

Some changes must notify a whole group (a session moves: one e-mail with a calendar entry for
every participant and teacher). Rendering those e-mails inside the web request would make the
request's query count grow with the group. Instead the service writes one task row with
`services.queue_task(name, payload)`, in its transaction; the worker then runs the task's handler,
which writes the e-mails (see "Tasks" in delivery.py for the exactly-once guarantee).

Registering a handler
---------------------
A handler is a function of one argument, the task's payload (a dict, as JSON gives it back):

    # leergang/scheduling/tasks.py
    from leergang.notifications import tasks

    @tasks.register("scheduling.session_changed")
    def write_session_change_emails(payload: dict) -> None:
        ...  # build the e-mails with services.build_templated_email, write them with services.queue_all

    # or, for a function defined elsewhere: tasks.register("scheduling.session_changed", notify.write_session_change_emails)

Every process that queues or runs the task must have the handler registered, so import the
module that registers it in your AppConfig.ready() (Django calls it in the web processes, in
`manage.py worker` and in tests alike):

    class SchedulingConfig(AppConfig):
        def ready(self) -> None:
            from . import tasks  # noqa: F401 - registers the outbox task handlers

Name tasks "<app label>.<what happened>". `queue_task` refuses a name without a handler, so a
forgotten import shows as a ValueError in the caller's transaction, not as a lost task.

What a handler must do
----------------------
* Only write rows (e-mails with `services.queue_all`/`queue_templated_email`, other model changes).
  It runs inside one transaction together with the task's "done" mark: its writes commit exactly
  once, or are rolled back when it raises (the task is then retried with backoff). It must not
  send anything or call other systems itself: such effects are not rolled back and would repeat.
* Read the current state from the database: the task may run seconds (or, after failures, hours)
  after it was queued. Put in the payload only what the database no longer knows (such as the state
  before the change) and primary keys; an object deleted since is simply skipped.
* Keep the query count independent of the group size where it can (prefetch, `queue_all`'s bulk
  insert): a large group means a long transaction, which on SQLite holds the write lock.
* Raise to fail: the exception's type and message are kept in `last_error` (visible in the admin).
"""

from collections.abc import Callable

Handler = Callable[[dict], object]

MAX_NAME_LENGTH = 100

_registry: dict[str, Handler] = {}


class UnknownTaskError(LookupError):
    """No handler is registered under that name in this process."""


def register(name: str, function: Handler | None = None):
    """Register `function` as the handler of task `name`; without `function`, a decorator.

    Returns the function unchanged. Registering the same function again is harmless; another
    function under a name already taken raises ValueError (two apps must not share a task name).
    """
    if not name or len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"A task needs a name of at most {MAX_NAME_LENGTH} characters.")

    def decorator(handler: Handler) -> Handler:
        if not callable(handler):
            raise TypeError(f"The handler of task {name!r} must be callable.")
        existing = _registry.get(name)
        if existing is not None and existing is not handler:
            raise ValueError(f"Task {name!r} already has a handler: {_describe(existing)}.")
        _registry[name] = handler
        return handler

    return decorator if function is None else decorator(function)


def handler(name: str) -> Handler:
    """The handler registered under `name`; raises UnknownTaskError when there is none."""
    try:
        return _registry[name]
    except KeyError:
        raise UnknownTaskError(
            f"No handler is registered for task {name!r}. Register one with leergang.notifications.tasks.register "
            "in a module that the app's AppConfig.ready() imports."
        ) from None


def unregister(name: str) -> None:
    _registry.pop(name, None)


def registered() -> list[str]:
    """The names that have a handler in this process, sorted."""
    return sorted(_registry)


def _describe(function: Handler) -> str:
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', repr(function))}"
