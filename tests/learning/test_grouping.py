"""M12: group formation mixes organisations (properties over random cohorts)."""

import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leergang.learning.grouping import form_groups, group_count

cohorts = st.lists(st.sampled_from(["Gemeente Utrecht", "Provincie", "GGD", "Rijk", "Waterschap", "Politie"]), max_size=60)


@settings(max_examples=300, deadline=None)
@given(cohorts, st.integers(min_value=1, max_value=12), st.integers(min_value=0, max_value=10_000))
def test_groups_mix_organisations_as_much_as_possible(organisations, size, seed):
    people = list(enumerate(organisations))
    groups = form_groups(people, size, seed=seed)
    assert sorted(p for group in groups for p in group) == [p for p, _ in people]  # everyone exactly once
    if not people:
        assert groups == []
        return
    assert len(groups) == group_count(len(people), size)
    sizes = [len(group) for group in groups]
    assert max(sizes) <= size and max(sizes) - min(sizes) <= 1
    organisation_of = dict(people)
    for organisation, total in Counter(organisations).items():
        most_in_one_group = max(sum(organisation_of[p] == organisation for p in group) for group in groups)
        assert most_in_one_group == math.ceil(total / len(groups))


def test_organisation_names_match_regardless_of_case_and_spaces():
    groups = form_groups([(1, "Gemeente Utrecht"), (2, "gemeente utrecht "), (3, "GGD"), (4, "GGD")], 2)
    assert all({1, 2} != set(group) for group in groups)


def test_the_seed_repeats_and_another_seed_reshuffles():
    people = [(n, f"Org {n % 5}") for n in range(25)]
    assert form_groups(people, 5, seed=1) == form_groups(people, 5, seed=1)
    assert any(form_groups(people, 5, seed=1) != form_groups(people, 5, seed=s) for s in range(2, 6))


def test_a_group_needs_room():
    with pytest.raises(ValueError):
        form_groups([(1, "A")], 0)
