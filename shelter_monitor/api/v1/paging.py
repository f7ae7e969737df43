"""Lists: pages of at most MAX_PAGE_SIZE items, counted in one statement and read in one more, with RFC 8288
`Link` headers (first, prev, next, last) and the total in `X-Total-Count`; `updated_since` filters by a column."""
import datetime as dt
import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import request
from sqlalchemy import Select, func, select

from shelter_monitor.extensions import db

MAX_PAGE_SIZE = 100


@dataclass
class Page:
    items: list[Any]
    page: int
    page_size: int
    total: int

    @property
    def last_page(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    def headers(self) -> dict[str, str]:
        """Link (first, prev, next, last: the same query with another page) and X-Total-Count."""
        def link(page: int, rel: str) -> str:
            query = {**request.args.to_dict(), "page": page, "page_size": self.page_size}
            return f'<{request.base_url}?{urlencode(query)}>; rel="{rel}"'

        links = [link(1, "first")]
        if self.page > 1:
            links.append(link(min(self.page - 1, self.last_page), "prev"))
        if self.page < self.last_page:
            links.append(link(self.page + 1, "next"))
        links.append(link(self.last_page, "last"))
        return {"Link": ", ".join(links), "X-Total-Count": str(self.total)}


def as_naive_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """The stored columns are naive UTC. A moment whose UTC time falls outside the years 1 to 9999 (0001-01-01
    at +01:00) is the earliest or latest moment there is, rather than an error."""
    if moment is None or moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone(dt.UTC).replace(tzinfo=None)
    except OverflowError:
        return dt.datetime.min if moment.year == dt.MINYEAR else dt.datetime.max


def since(statement: Select, column, moment: dt.datetime | None) -> Select:
    """Only rows whose `column` is at or after the moment (every row when None)."""
    return statement if moment is None else statement.where(column >= as_naive_utc(moment))


def paginate(statement: Select, page: int, page_size: int) -> Page:
    """One page of an ordered statement, with the total count of the unpaged statement."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    items = list(db.session.scalars(statement.limit(page_size).offset((page - 1) * page_size)))
    return Page(items, page, page_size, total)
