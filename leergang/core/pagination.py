"""Page links for the office's long lists (invoices, the edition archive): the first and the last
page, the pages around the current one, and previous/next, each as the list's own address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode


def list_url(name: str, **params: Any) -> str:
    """The address of the list `name` with the parameters that are set (empty ones and page 1 left out)."""
    kept = {key: value for key, value in params.items() if value and not (key == "page" and value == 1)}
    base = reverse(name)
    return f"{base}?{urlencode(kept)}" if kept else base


def navigation(page, url_for: Callable[[int], str]) -> dict[str, Any]:
    """What partials/pagination.html shows for a Django `Page`: `page_links` (None as the number
    marks a gap), `previous_url` and `next_url`; nothing when everything fits on one page."""
    last = page.paginator.num_pages
    if last <= 1:
        return {"page_links": [], "previous_url": "", "next_url": ""}
    wanted = sorted({1, last, *range(max(1, page.number - 2), min(last, page.number + 2) + 1)})
    links: list[dict[str, Any]] = []
    for number in wanted:
        if links and number - links[-1]["number"] > 1:
            links.append({"number": None})
        links.append({"number": number, "url": url_for(number), "current": number == page.number})
    return {
        "page_links": links,
        "previous_url": url_for(page.previous_page_number()) if page.has_previous() else "",
        "next_url": url_for(page.next_page_number()) if page.has_next() else "",
    }
