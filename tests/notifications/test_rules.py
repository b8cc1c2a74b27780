"""The outbox's pure rules, without a database."""

import pytest

from leergang.notifications import rules


def test_retry_delay_doubles_from_a_minute_and_stops_at_an_hour():
    delays = [rules.retry_delay_seconds(attempt, base=60, cap=3600) for attempt in range(1, 10)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_retry_delay_of_a_huge_attempt_count_is_the_cap():
    assert rules.retry_delay_seconds(10_000, base=60, cap=3600) == 3600


def test_gives_up_at_the_maximum_number_of_attempts():
    assert not rules.gives_up(19, max_attempts=20)
    assert rules.gives_up(20, max_attempts=20)


def test_recipients_may_be_one_address_or_a_list():
    assert rules.normalise_recipients(" a@example.org ") == ["a@example.org"]
    assert rules.normalise_recipients(["a@example.org", "Bea <b@example.org>"]) == ["a@example.org", "Bea <b@example.org>"]


@pytest.mark.parametrize("to", ["", [], ["not an address"], ["a@example.org", "b@"]])
def test_recipients_that_cannot_be_sent_to_are_refused(to):
    with pytest.raises(ValueError):
        rules.normalise_recipients(to)


def test_a_subject_is_one_line():
    assert rules.one_line("  Bijeenkomst 3:\n  Leiderschap \r\n") == "Bijeenkomst 3: Leiderschap"
