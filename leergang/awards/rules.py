"""The award rule (M18) as pure functions: a diploma, a certificate of participation or nothing,
with every criterion met or not and a detail a participant understands.

The rule is data (`Policy`, per programme): the seed's diploma needs at least five of the six
content sessions attended, the final paper assessed sufficient and the paper presented. Otherwise a
certificate of participation, for anyone who attended at least one content session. Only content
sessions count; an excused absence is not attendance. Before the closing session the outcome is
the current standing (`final` false) and says whether the diploma can still be reached, so a
participant and the programme office see early when too many absences make it impossible.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

DIPLOMA, CERTIFICATE, NONE = "diploma", "certificate", "none"
ATTENDANCE, PAPER, PRESENTATION = "attendance", "paper", "presentation"
PRESENT, ABSENT, EXCUSED = "present", "absent", "excused"
CONTENT, CLOSING = "content", "closing"


@dataclass(frozen=True)
class Policy:
    min_content_attended: int = 5
    require_paper: bool = True
    require_presentation: bool = True


@dataclass(frozen=True)
class SessionFact:
    kind: str  # CONTENT or CLOSING
    held: bool  # its date has come
    status: str | None  # PRESENT, ABSENT, EXCUSED or None (not recorded)


@dataclass(frozen=True)
class Facts:
    sessions: tuple[SessionFact, ...]
    paper: str  # "missing", "submitted", "sufficient" or "insufficient"
    presented: bool | None
    cancelled: bool = False
    final: bool = False  # the closing session's date has come


@dataclass(frozen=True)
class Criterion:
    criterion: str
    met: bool
    reachable: bool
    detail: str


@dataclass(frozen=True)
class Outcome:
    award: str
    final: bool
    criteria: tuple[Criterion, ...]

    @property
    def diploma_reachable(self) -> bool:
        return self.award == DIPLOMA or all(c.met or c.reachable for c in self.criteria)


def attended_content(facts: Facts) -> int:
    return sum(1 for s in facts.sessions if s.kind == CONTENT and s.status == PRESENT)


def still_possible(facts: Facts) -> int:
    """Content sessions that may still count: nothing recorded for them yet (a held session whose
    register is not filled in is not held against anyone before the outcome is final)."""
    if facts.final:
        return 0
    return sum(1 for s in facts.sessions if s.kind == CONTENT and s.status is None)


def attendance_out_of_reach(policy: Policy, facts: Facts) -> bool:
    """Too few content sessions attended, and too few left, for the attendance criterion: what
    `attendance` decides, without its texts (the early warning reads it for whole editions)."""
    attended = attended_content(facts)
    needed = policy.min_content_attended
    return attended < needed and (facts.cancelled or facts.final or attended + still_possible(facts) < needed)


def attendance(policy: Policy, facts: Facts) -> Criterion:
    total = sum(1 for s in facts.sessions if s.kind == CONTENT)
    attended = attended_content(facts)
    needed = policy.min_content_attended
    met = attended >= needed
    reachable = not facts.cancelled and not facts.final and attended + still_possible(facts) >= needed
    detail = ngettext(
        "Attended %(attended)s of %(total)s content sessions; %(needed)s are needed.",
        "Attended %(attended)s of %(total)s content sessions; %(needed)s are needed.",
        total,
    ) % {"attended": attended, "total": total, "needed": needed}
    if not met and not reachable:
        detail += " " + gettext("Too many sessions were missed to reach this.")
    return Criterion(ATTENDANCE, met, reachable or met, detail)


def paper(facts: Facts) -> Criterion:
    details = {
        "missing": gettext("The final paper has not been handed in yet."),
        "submitted": gettext("The final paper was handed in and awaits assessment."),
        "sufficient": gettext("The final paper was assessed as sufficient."),
        "insufficient": gettext("The final paper was assessed as insufficient; a new version can be handed in."),
    }
    met = facts.paper == "sufficient"
    return Criterion(PAPER, met, met or not (facts.cancelled or facts.final), details.get(facts.paper, details["missing"]))


def presentation(facts: Facts) -> Criterion:
    if facts.presented:
        return Criterion(PRESENTATION, True, True, gettext("The paper was presented."))
    if facts.presented is False:
        detail = gettext("The paper was not presented.")
    else:
        detail = gettext("The paper is presented at the closing session.")
    return Criterion(PRESENTATION, False, not (facts.cancelled or facts.final), detail)


def prospect(facts: Facts, outcome: Outcome) -> str:
    """What the participant is on course for: once final, the outcome; before that the diploma
    while it can still be reached, else a certificate while a content session can still count (a
    participant at the start, with nothing recorded yet, is on course for the diploma, not "none")."""
    if outcome.final or facts.cancelled:
        return outcome.award
    if outcome.diploma_reachable:
        return DIPLOMA
    if attended_content(facts) or still_possible(facts):
        return CERTIFICATE
    return NONE


def evaluate(policy: Policy, facts: Facts) -> Outcome:
    """The award and every criterion of the policy (messages in the active language)."""
    criteria = [attendance(policy, facts)]
    if policy.require_paper:
        criteria.append(paper(facts))
    if policy.require_presentation:
        criteria.append(presentation(facts))
    if facts.cancelled:
        award = NONE
    elif all(c.met for c in criteria):
        award = DIPLOMA
    elif attended_content(facts) >= 1:
        award = CERTIFICATE
    else:
        award = NONE
    return Outcome(award, facts.final, tuple(criteria))
