"""Group formation (M12) as a pure function: small groups that mix organisations.

Participants are dealt out like cards: colleagues of one organisation stand next to each other
in the deck, and the deck is dealt round the groups, so an organisation with k people in g groups
has at most ceil(k / g) of them in any group (the least possible) and group sizes differ by at
most one. The seed makes a shuffle repeatable (a reshuffle per session uses another seed).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Hashable, Sequence


def group_count(participants: int, size: int) -> int:
    """How many groups of at most `size` people are needed."""
    if size < 1:
        raise ValueError("A group needs room for at least one person.")
    return max(1, math.ceil(participants / size)) if participants else 0


def form_groups(participants: Sequence[tuple[Hashable, str]], size: int, seed: int = 0) -> list[list[Hashable]]:
    """`participants` as (id, organisation) pairs; returns the groups as lists of ids."""
    count = group_count(len(participants), size)
    if count == 0:
        return []
    generator = random.Random(seed)
    by_organisation: dict[str, list[Hashable]] = defaultdict(list)
    for person, organisation in participants:
        by_organisation[(organisation or "").strip().casefold()].append(person)
    blocks = list(by_organisation.values())
    for block in blocks:
        generator.shuffle(block)
    generator.shuffle(blocks)
    blocks.sort(key=len, reverse=True)  # the largest organisations are spread first
    deck = [person for block in blocks for person in block]
    groups: list[list[Hashable]] = [[] for _ in range(count)]
    for position, person in enumerate(deck):
        groups[position % count].append(person)
    return groups
