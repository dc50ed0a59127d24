"""The records as CSV or JSON in the columns of the IFRC community feedback coding framework and 510's template.

Coding is three levels, type → category → code: the type is the IFRC framework's (from the record's feedback
type), the category is the queue the topic is routed to (the helpdesk's own grouping, e.g. "Cash and voucher
assistance"), the code is the topic. Sensitivity and status use the framework's words; a role without
``sensitive`` gets no row of sensitive feedback (the figures count them). Times are ISO 8601 UTC.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

HEADER = (
    "feedback_id",
    "received",
    "closed",
    "channel",
    "language",
    "type",
    "category",
    "code",
    "sensitivity",
    "status",
    "feedback_type",
    "promise_deadline",
    "promise_kept",
    "first_response",
)
SENSITIVITY = {
    "sensitive": "Sensitive",
    "non_sensitive": "Non-sensitive",
    "to_be_clarified": "To be clarified",
}
STATUS = {"open": "Open", "in_progress": "In progress", "closed": "Closed", "canceled": "Closed"}


def _iso(value: datetime | None) -> str:
    return value.isoformat().replace("+00:00", "Z") if value is not None else ""


def rows(records: Iterable[Mapping[str, Any]], *, categories: Mapping[str, str]) -> list[dict[str, str]]:
    """One export row per record, every value a string (empty when unknown)."""
    out = []
    for r in records:
        topic = r["topic"] or ""
        met = r["promise_met"]
        out.append(
            {
                "feedback_id": str(r["id"]),
                "received": _iso(r["created_at"]),
                "closed": _iso(r["resolved_at"] or r["canceled_at"]),
                "channel": r["channel"] or "",
                "language": r["language"] or "",
                "type": r["ifrc_type"] or "Incomplete feedback",
                "category": categories.get(topic, ""),
                "code": topic,
                "sensitivity": SENSITIVITY.get(r["sensitivity"], "To be clarified"),
                "status": STATUS.get(r["status"], r["status"]),
                "feedback_type": r["feedback_type"] or "",
                "promise_deadline": _iso(r["deadline_at"]),
                "promise_kept": "" if met is None else ("yes" if met else "no"),
                "first_response": _iso(r["first_response_at"]),
            }
        )
    return out


def to_csv(table: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(table)
    return buffer.getvalue()


def to_json(table: list[dict[str, str]], summary: Mapping[str, Any]) -> str:
    return json.dumps({"summary": summary, "records": table}, ensure_ascii=False, indent=1) + "\n"


def categories_of(hub: Any) -> dict[str, str]:
    """Topic → the name of the queue it is routed to: the coding framework's second level."""
    queues = hub.routing.queues
    return {t.id: queues[t.queue].name if t.queue in queues else t.queue for t in hub.topics}


def read_rows(conn: Any, *, hub: Any, first: Any, last: Any, sensitive_role: bool) -> list[dict[str, str]]:
    """The period's records, as a role may see them, as export rows."""
    from sqlalchemy import select

    from deh_deploy.hub.report.figures import COLUMNS, period_bounds
    from deh_deploy.hub.tables import records

    start, end = period_bounds(first, last, hub.timezone)
    query = (
        select(*(records.c[name] for name in COLUMNS))
        .where(records.c.created_at >= start, records.c.created_at < end)
        .order_by(records.c.id)
    )
    if not sensitive_role:
        query = query.where(records.c.sensitivity != "sensitive")
    return rows(conn.execute(query).mappings(), categories=categories_of(hub))
