"""Business actions on accounts: participants, invitations, password links, API tokens.

E-mails go through the outbox (`leergang.notifications.services.queue_templated_email`) in the
caller's transaction, in the recipient's language; nothing here sends mail itself.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from leergang.core import audit, sql_rows
from leergang.core.errors import Conflict, Invalid
from leergang.core.transactions import atomic_unless_joined

from .models import ApiToken, Role, User, hash_token

USER_AUDIT_FIELDS = ["email", "first_name", "last_name", "role", "preferred_language"]

# The two pages a password link can lead to: choosing a first password (invitation) or a new one.
PASSWORD_LINK_VIEWS = {"set": "accounts:password-set", "reset": "accounts:password-reset"}


@transaction.atomic
def issue_api_token(*, actor: Any, user: User) -> str:
    """Create a bearer token for `user` and return it; only its hash is kept."""
    raw = ApiToken.new_raw_token()
    token = ApiToken.objects.create(user=user, key_hash=hash_token(raw), prefix=raw[:8])
    audit.record(actor=actor, action="api_token.issued", obj=token, after={"user": user.pk, "prefix": token.prefix})
    return raw


def user_for_token(raw: str) -> User | None:
    """The active user a token that is not revoked belongs to. Every API request asks, so it is one
    query written as SQL (core.sql_rows): the ORM's select_related took longer to build than to run."""
    rows = sql_rows.read_joined(
        f'FROM {sql_rows.table(ApiToken)} t JOIN {sql_rows.table(User)} u ON u."id" = t."user_id" '
        'WHERE t."key_hash" = %s AND t."revoked_at" IS NULL AND u."is_active"',
        [hash_token(raw)],
        ((User, "u"),),
    )
    return rows[0][0] if rows else None


def _languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def _user_with_email(address: str) -> User | None:
    """User.objects.with_email(address) (LOWER(email), which the unique index answers), as SQL: a
    change of plan and every admission ask, and the ORM's query took longer to build than to run."""
    rows = sql_rows.read_joined(f'FROM {sql_rows.table(User)} u WHERE LOWER(u."email") = %s', [address.lower()], ((User, "u"),))
    return rows[0][0] if rows else None


@atomic_unless_joined("joined")
def get_or_create_participant(
    *, email: str, first_name: str, last_name: str, language: str, actor: Any = None, joined: bool = False
) -> tuple[User, bool]:
    """The account for `email` (matched without regard to case), created as a participant if there is none.

    Returns (user, created). An existing account is returned unchanged: its role is never
    downgraded (a teacher who applies stays a teacher) and its names and language stay as they
    are. A new account has no usable password; `invite_user` sends the link to choose one. The
    creation is audited (`user.created`, by `actor` if given). Two calls racing for the same
    address get the same account. Raises Invalid for a malformed address or an unknown language.
    `joined`: the caller's transaction ends on any error (core.transactions.atomic_unless_joined).
    """
    address = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(address)
    except ValidationError:
        message = _("Enter an e-mail address, for example name@municipality.nl.")
        raise Invalid(message, [{"field": "email", "message": str(message)}]) from None
    if language not in _languages():
        message = _("Choose Dutch (nl) or English (en).")
        raise Invalid(message, [{"field": "language", "message": str(message)}])

    existing = _user_with_email(address)
    if existing is not None:
        return existing, False
    user = User(
        email=address,
        first_name=(first_name or "").strip()[:100],
        last_name=(last_name or "").strip()[:150],
        role=Role.PARTICIPANT,
        preferred_language=language,
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():  # a savepoint: a racing insert must not spoil the caller's transaction
            user.save()
    except IntegrityError:
        existing = User.objects.with_email(address).first()
        if existing is None:
            raise
        return existing, False
    audit.record(actor=actor, action="user.created", obj=user, after=audit.snapshot(user, USER_AUDIT_FIELDS))
    return user, True


def password_link(user: User, *, purpose: str = "reset", language: str | None = None) -> str:
    """An absolute one-time link (on settings.PUBLIC_BASE_URL) to the page where `user` chooses a password.

    `purpose` is "set" (the invitation: a first password) or "reset" (forgot password). The link
    works until the password is changed (or the user logs in) and for at most
    settings.PASSWORD_RESET_TIMEOUT seconds.
    """
    language = language or user.preferred_language
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with translation.override(language):
        path = reverse(PASSWORD_LINK_VIEWS[purpose], kwargs={"uidb64": uidb64, "token": token})
    return f"{settings.PUBLIC_BASE_URL}{path}"


def link_validity() -> dict[str, int | None]:
    """How long a password link works (settings.PASSWORD_RESET_TIMEOUT): `valid_days` when that is
    whole days (the default: 3), otherwise `valid_hours` (rounded up); the other one is None."""
    timeout = int(settings.PASSWORD_RESET_TIMEOUT)
    days, rest = divmod(timeout, 24 * 60 * 60)
    if days and not rest:
        return {"valid_days": days, "valid_hours": None}
    return {"valid_days": None, "valid_hours": max(1, -(-timeout // 3600))}


def _link_context(user: User, language: str) -> dict[str, Any]:
    """What both password e-mails show besides the link: the address, how long the link works, the pages."""
    with translation.override(language):
        login_path = reverse("accounts:login")
        forgot_path = reverse("accounts:password-forgot")
    return {
        "person": user,
        "email": user.email,
        **link_validity(),
        "login_url": f"{settings.PUBLIC_BASE_URL}{login_path}",
        "forgot_url": f"{settings.PUBLIC_BASE_URL}{forgot_path}",
    }


@atomic_unless_joined("joined")
def invite_user(
    *, actor: Any, user: User, language: str | None = None, context: dict | None = None, joined: bool = False
) -> None:
    """Queue the invitation e-mail with a one-time link to choose a password (outbox, caller's transaction).

    In `language`, else the user's preferred language. `context` is passed to the e-mail
    templates (`emails/invitation_*.txt`); they use `programme_title` (a text) or `programme`
    (an object whose `title` is read in the e-mail's language) to say "You have been admitted to
    ...". A user who already has a password is told to log in with it; the link then lets them
    choose a new one. Raises Conflict for a deactivated account (its link would not work).
    `joined`: as for get_or_create_participant.
    """
    from leergang.notifications.services import queue_templated_email

    language = language or user.preferred_language
    if language not in _languages():
        raise Invalid(_("Choose Dutch (nl) or English (en)."))
    if not user.is_active:
        raise Conflict(_("This account has been deactivated. Reactivate it before sending an invitation."))
    queue_templated_email(
        to=[user.email],
        template="invitation",
        context={
            **(context or {}),
            **_link_context(user, language),
            "link": password_link(user, purpose="set", language=language),
            "has_password": user.has_usable_password(),
        },
        language=language,
        kind="invitation",
        related=user,
    )
    audit.record(actor=actor, action="user.invited", obj=user, after={"language": language})


@transaction.atomic
def request_password_reset(*, email: str) -> None:
    """Queue a password link for the active account with this address, if there is one.

    Says nothing about whether there is one: the page that calls this answers the same either
    way. The e-mail is in the account's preferred language. An invited user who never chose a
    password (no usable password) gets a link too: it is how they recover a lost invitation.
    """
    from leergang.notifications.services import queue_templated_email

    address = (email or "").strip()
    if not address:
        return
    user = User.objects.with_email(address).filter(is_active=True).first()
    if user is None:
        return
    language = user.preferred_language
    queue_templated_email(
        to=[user.email],
        template="password_reset",
        context={**_link_context(user, language), "link": password_link(user, purpose="reset", language=language)},
        language=language,
        kind="password_reset",
        related=user,
    )


@transaction.atomic
def set_password(*, actor: Any, user: User, password: str, via: str) -> None:
    """Store a new password (already validated by the form) and audit it; `via` is "set" or "reset".

    Changing the password ends every link sent before: the tokens depend on the password hash.
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=actor, action="user.password_set", obj=user, after={"via": via})
