"""Content API v1/v2: JSON bodies, WhatsApp approvals (received, decided by seed, names never reused)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client
from twilio.rest.content.v1.content import ContentList
from twilio.rest.content.v1.content.approval_create import ApprovalCreateList

from deh_deploy.sandbox import RunningSandbox
from tests.sandbox.helpers import ACCOUNT

MENU = {"twilio/text": {"body": "Hello {{1}}, how can we help?"}}


def create(client: Client, types: dict[str, Any] = MENU, **extra: Any) -> Any:
    payload = {
        "friendly_name": "deh_hu_menu",
        "language": "hu",
        "variables": {"1": "name"},
        "types": types,
        **extra,
    }
    return client.content.v1.contents.create(ContentList.ContentCreateRequest(payload))


def submit(client: Client, sid: str, name: str) -> Any:
    request = ApprovalCreateList.ContentApprovalRequest({"name": name, "category": "UTILITY"})
    return client.content.v1.contents(sid).approval_create.create(request)


def test_content_is_created_fetched_listed_updated_and_deleted(client: Client) -> None:
    made = create(client)
    assert made.sid.startswith("HX") and made.types == MENU and made.variables == {"1": "name"}
    assert client.content.v1.contents(made.sid).fetch().language == "hu"
    quick = {"twilio/quick-reply": {"body": "Pick one", "actions": [{"title": "Yes", "id": "yes"}]}}
    update = ContentList.ContentUpdateRequest({"language": "hu", "types": quick})
    assert client.content.v1.contents(made.sid).update(update).types == quick
    assert [c.sid for c in client.content.v1.contents.list()] == [made.sid]
    assert [c.sid for c in client.content.v2.contents.list()] == [made.sid]
    assert client.content.v1.contents(made.sid).delete() is True
    assert client.content.v1.contents.list() == []


def test_malformed_content_is_refused(client: Client) -> None:
    with pytest.raises(TwilioRestException) as exc:
        create(client, types={"twilio/text": {}})
    assert exc.value.code == 20001
    items = [{"id": str(i), "item": f"Option {i}"} for i in range(11)]
    with pytest.raises(TwilioRestException):
        create(client, types={"twilio/list-picker": {"body": "b", "button": "Choose", "items": items}})


def test_whatsapp_approval_starts_received_and_is_decided_by_seed(
    sandbox: RunningSandbox, client: Client
) -> None:
    made = create(client)
    approval = submit(client, made.sid, "deh_hu_menu_v1")
    assert (approval.status, approval.category, approval.content_type) == (
        "received",
        "UTILITY",
        "twilio/text",
    )
    fetched = client.content.v1.contents(made.sid).approval_fetch().fetch()
    assert fetched.whatsapp["status"] == "received" and fetched.whatsapp["name"] == "deh_hu_menu_v1"
    sandbox.seed(ACCOUNT, content_approvals=[{"sid": made.sid, "status": "approved"}])
    (row,) = client.content.v1.content_and_approvals.list()
    assert row.approval_requests["status"] == "approved"
    (row2,) = client.content.v2.content_and_approvals.list()
    assert row2.approval_requests["name"] == "deh_hu_menu_v1"


def test_a_submitted_name_cannot_be_used_again(sandbox: RunningSandbox, client: Client) -> None:
    first, second = create(client), create(client)
    submit(client, first.sid, "deh_hu_menu_v1")
    with pytest.raises(TwilioRestException) as exc:
        submit(client, first.sid, "deh_hu_menu_v2")
    assert exc.value.code == 20001
    sandbox.seed(
        ACCOUNT, content_approvals=[{"sid": first.sid, "status": "rejected", "rejection_reason": "format"}]
    )
    with pytest.raises(TwilioRestException) as exc:
        submit(client, second.sid, "deh_hu_menu_v1")
    assert "cannot be reused" in exc.value.msg
    assert submit(client, first.sid, "deh_hu_menu_v2").status == "received"
    assert client.content.v1.contents(second.sid).approval_fetch().fetch().whatsapp == {}


def test_a_deleted_approved_templates_name_is_refused_for_thirty_days(
    sandbox: RunningSandbox, client: Client
) -> None:
    approved = create(client)
    submit(client, approved.sid, "deh_hu_menu_v1")
    sandbox.seed(ACCOUNT, content_approvals=[{"sid": approved.sid, "status": "approved"}])
    assert client.content.v1.contents(approved.sid).delete() is True
    again = create(client)
    with pytest.raises(TwilioRestException) as exc:
        submit(client, again.sid, "deh_hu_menu_v1")
    assert (exc.value.status, exc.value.code) == (400, 20001)
    deleted = exc.value.msg.split(" deleted on ")[1][:10]
    assert exc.value.msg == (
        "Unable to create record: Template name 'deh_hu_menu_v1' belonged to an approved template deleted on "
        f"{deleted}; WhatsApp refuses it until "
        f"{(date.fromisoformat(deleted) + timedelta(days=30)).isoformat()}"
    )
    assert client.content.v1.contents(again.sid).approval_fetch().fetch().whatsapp == {}
    assert submit(client, again.sid, "deh_hu_menu_v2").status == "received"


def test_only_an_approved_templates_name_outlives_it(client: Client) -> None:
    pending = create(client)
    submit(client, pending.sid, "deh_hu_menu_v1")
    assert client.content.v1.contents(pending.sid).delete() is True
    assert submit(client, create(client).sid, "deh_hu_menu_v1").status == "received"


def test_the_memory_of_deleted_names_survives_a_restart(make_sandbox: Any, tmp_path: Any) -> None:
    from tests.sandbox.helpers import client_for

    db = tmp_path / "kept.db"
    first = make_sandbox(db_path=db)
    client = client_for(first, ACCOUNT, first.ensure_account(ACCOUNT))
    approved = create(client)
    submit(client, approved.sid, "deh_hu_welcome")
    first.seed(ACCOUNT, content_approvals=[{"sid": approved.sid, "status": "approved"}])
    client.content.v1.contents(approved.sid).delete()
    first.stop()
    second = make_sandbox(db_path=db)
    client = client_for(second, ACCOUNT, second.ensure_account(ACCOUNT))
    with pytest.raises(TwilioRestException) as exc:
        submit(client, create(client).sid, "deh_hu_welcome")
    assert "belonged to an approved template deleted on" in exc.value.msg
