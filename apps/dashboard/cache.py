"""The public village page's cache (low-level Django cache, per village code).

What is cached is the page's data (points board, incomes, projects), not the HTML, so both
languages share one entry. An entry lives ``PUBLIC_PAGE_SECONDS``; publishing or withdrawing the
page deletes it at once (a withdrawn page must disappear immediately, new points may wait a few
minutes). When the cache is unreachable the page is computed each time rather than failing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache

logger = logging.getLogger(__name__)

PUBLIC_PAGE_SECONDS = 300


def _key(code: str) -> str:
    return f"dashboard:public-village:{code}"


def public_page_data(code: str, compute: Callable[[], dict | None]) -> dict | None:
    try:
        data = cache.get(_key(code))
    except Exception:  # noqa: BLE001 - a cache outage must not take the page down
        logger.warning("public page cache unreachable")
        return compute()
    if data is None:
        data = compute()
        if data is not None:
            try:
                cache.set(_key(code), data, PUBLIC_PAGE_SECONDS)
            except Exception:  # noqa: BLE001
                logger.warning("public page cache unreachable")
    return data


def forget_public_page(code: str) -> None:
    try:
        cache.delete(_key(code))
    except Exception:  # noqa: BLE001
        logger.warning("public page cache unreachable; the entry expires by itself")
