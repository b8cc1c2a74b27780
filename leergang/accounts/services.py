from typing import Any

from django.db import transaction

from leergang.core import audit

from .models import ApiToken, User, hash_token


@transaction.atomic
def issue_api_token(*, actor: Any, user: User) -> str:
    """Create a bearer token for `user` and return it; only its hash is kept."""
    raw = ApiToken.new_raw_token()
    token = ApiToken.objects.create(user=user, key_hash=hash_token(raw), prefix=raw[:8])
    audit.record(actor=actor, action="api_token.issued", obj=token, after={"user": user.pk, "prefix": token.prefix})
    return raw


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return token.user if token else None
