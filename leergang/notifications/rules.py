"""Pure rules of the outbox: no ORM, no settings, testable without a database."""

from email.utils import parseaddr

from django.core.exceptions import ValidationError
from django.core.validators import validate_email


def retry_delay_seconds(attempts: int, *, base: int, cap: int) -> int:
    """Wait after the `attempts`-th failed attempt: base, 2x base, 4x base, ... never more than cap."""
    if attempts < 1:
        return 0
    # Stop doubling once past the cap, so a large attempt count cannot build a huge integer.
    delay = base
    for _ in range(attempts - 1):
        if delay >= cap:
            break
        delay *= 2
    return min(delay, cap)


def gives_up(attempts: int, *, max_attempts: int) -> bool:
    """After this many attempts, stop trying and mark the message failed."""
    return attempts >= max_attempts


def normalise_recipients(to: list[str] | tuple[str, ...] | str) -> list[str]:
    """One address or a list of them; each checked, none empty. Raises ValueError."""
    addresses = [to] if isinstance(to, str) else list(to)
    cleaned = [address.strip() for address in addresses if address and address.strip()]
    if not cleaned:
        raise ValueError("An e-mail needs at least one recipient.")
    for address in cleaned:
        _name, bare = parseaddr(address)
        try:
            validate_email(bare)
        except ValidationError:
            raise ValueError(f"Not an e-mail address: {address!r}") from None
    return cleaned


def one_line(text: str) -> str:
    """A subject is one line: runs of whitespace (newlines included) become one space."""
    return " ".join(str(text).split())
