"""Audit actions as people read them (the person page's history; the application page has its own,
richer sentences for the application's steps)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "api_token.issued": _("API token issued"),
    "application.submitted": _("Application submitted"),
    "application.intake_planned": _("Intake planned"),
    "application.intake_outcome": _("Intake outcome recorded"),
    "application.admit": _("Admitted"),
    "application.waitlist": _("Put on the waiting list"),
    "application.decline": _("Declined"),
    "application.offered": _("A freed seat was offered"),
    "application.offer_refused": _("The applicant refused the offered seat"),
    "application.offer_expired": _("The offered seat expired unanswered"),
    "attendance.recorded": _("Attendance recorded"),
    "attendance.checked_in": _("Checked in with the code"),
    "attendance.excused": _("Absence reported ahead"),
    "attendance.excuse_withdrawn": _("Reported absence withdrawn"),
    "award.issued": _("Diploma or certificate issued"),
    "award.revoked": _("Diploma or certificate revoked"),
    "case.written": _("Own case written"),
    "case.changed": _("Own case changed"),
    "case_entry.written": _("Case journal entry written"),
    "case_entry.changed": _("Case journal entry changed"),
    "case_response.added": _("Response to a case entry"),
    "credit_note.issued": _("Credit note issued"),
    "credit_note.refunded": _("Credit note refunded in full"),
    "discount_code.redeemed": _("Discount code used"),
    "enrolment.created": _("Enrolled"),
    "enrolment.cancelled": _("Enrolment cancelled"),
    "enrolment.substitution": _("A colleague took over the place"),
    "enrolment.transfer": _("Moved to a later edition"),
    "invoice.issued": _("Invoice issued"),
    "invoice.credited": _("Invoice credited"),
    "invoice.status_changed": _("Invoice status changed"),
    "paper.submitted": _("Final paper handed in"),
    "paper.assessed": _("Final paper assessed"),
    "payment.recorded": _("Payment recorded"),
    "payment.removed": _("Payment removed"),
    "presentation.recorded": _("Presentation recorded"),
    "refund.recorded": _("Refund recorded"),
    "refund.carried_over": _("Payment carried over to a new invoice"),
    "time.logged": _("Study hours logged"),
    "time.deleted": _("Study hours removed"),
    "user.created": _("Account created"),
    "user.invited": _("Invited to choose a password"),
    "user.password_set": _("Password chosen"),
}


def label(action: str) -> str:
    """The readable text of an action; an action without one shows its code (still informative)."""
    text = ACTION_LABELS.get(action)
    return str(text) if text is not None else action
