"""Who may see an invoice. (Named checks as in leergang/accounts/permissions.py.)"""

from typing import Any

from leergang.accounts import permissions


def can_view_invoice(user: Any, invoice: Any) -> bool:
    """The programme office, and the participant whose enrolment the invoice (or credit note) is for."""
    if permissions.is_coordinator(user):
        return True
    if not getattr(user, "is_authenticated", False) or invoice.enrolment_id is None:
        return False
    return invoice.enrolment.participant_id == user.pk
