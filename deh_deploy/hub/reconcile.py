"""Reconciling: events Twilio logged, fed into the same inbox as its webhooks, so an outage loses no record.

Each event goes in under the key its webhook would have had (TaskRouter's event ``Sid``): an event the
webhook already delivered finds its key taken and is counted as known; one the outage lost is stored and then
processed like any other. Running it twice, or while the service runs, changes nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from deh_deploy.hub.service import Service


@dataclass(frozen=True)
class Reconciled:
    read: int  # events read from Twilio
    new: int  # of which the inbox did not have (what the webhooks missed)
    known: int  # of which were already in the inbox
    unkeyed: int  # without an event id (not stored)
    processed: int  # inbox events processed afterwards (the new ones, and any left pending)
    not_tasks: int = 0  # about workers or activities, not tasks: no record follows from them (not stored)

    def sentence(self) -> str:
        return (
            f"{self.read} events read: {self.new} new, {self.known} already in the inbox"
            + (f", {self.not_tasks} not about a task" if self.not_tasks else "")
            + (f", {self.unkeyed} without an id" if self.unkeyed else "")
            + f"; {self.processed} processed"
        )


def reconcile(
    service: Service, events: Iterable[Mapping[str, str]], *, kind: str = "taskrouter"
) -> Reconciled:
    """Store each task event the inbox lacks, then process what is pending."""
    handler = service.kinds[kind]
    read = new = known = unkeyed = not_tasks = 0
    for params in events:
        read += 1
        if not params.get("TaskSid"):  # a worker's or an activity's event: a month of them is mostly these
            not_tasks += 1
            continue
        key = handler.key(params)
        if key is None:
            unkeyed += 1
            continue
        if service.accept(handler, key, handler.minimise(params)):
            new += 1
        else:
            known += 1
    processed = service.process_pending()
    return Reconciled(
        read=read, new=new, known=known, unkeyed=unkeyed, processed=processed, not_tasks=not_tasks
    )
