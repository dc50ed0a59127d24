"""The 2010 API: account, number search, purchase rules (21422, 21649, 21631), release, 2010 pagination."""

from __future__ import annotations

import phonenumbers
import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from deh_deploy.errors import UsageError
from deh_deploy.sandbox import RunningSandbox
from deh_deploy.sandbox.world import BLOCKS
from tests.sandbox.helpers import ACCOUNT, OTHER_ACCOUNT, client_for


def hu_bundle(client: Client) -> str:
    bundles = client.numbers.v2.regulatory_compliance.bundles.list(iso_country="HU", number_type="local")
    assert len(bundles) == 1 and bundles[0].status == "twilio-approved"
    return str(bundles[0].sid)


def test_account_fetch_shows_the_account_without_its_token(client: Client) -> None:
    acct = client.api.v2010.account.fetch()
    assert acct.sid == ACCOUNT
    assert acct.status == "active"
    assert acct.auth_token is None


def test_every_default_available_number_is_valid_for_its_country() -> None:
    for iso, number_type, prefix, _caps, _locality in BLOCKS:
        for i in (0, 19):
            parsed = phonenumbers.parse(f"{prefix}{i:02d}")
            assert phonenumbers.is_valid_number(parsed), (iso, number_type, prefix)
            assert phonenumbers.region_code_for_number(parsed) == iso


def test_countries_list_the_default_world(client: Client) -> None:
    countries = {c.country_code: c for c in client.api.v2010.account.available_phone_numbers.list()}
    assert set(countries) == {"HU", "MN", "JO", "NL", "US", "GB"}
    assert set(countries["HU"].subresource_uris) == {"local", "mobile"}
    assert client.api.v2010.account.available_phone_numbers("JO").fetch().country == "Jordan"
    with pytest.raises(TwilioRestException) as exc:
        client.api.v2010.account.available_phone_numbers("FR").fetch()
    assert exc.value.code == 20404
    reply = client.request(
        "GET", f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/AvailablePhoneNumbers/FR/Local.json"
    )
    assert reply.status_code == 404


def test_search_filters_by_capability_area_code_and_digits(sandbox: RunningSandbox, client: Client) -> None:
    voice_only = {"voice": True, "sms": False}
    sandbox.seed(
        ACCOUNT,
        available_numbers=[
            {"phone_number": "+442079460150", "iso_country": "GB", "capabilities": voice_only}
        ],
    )
    gb = client.api.v2010.account.available_phone_numbers("GB")
    assert "+442079460150" in [n.phone_number for n in gb.local.list(voice_enabled=True)]
    assert "+442079460150" not in [n.phone_number for n in gb.local.list(sms_enabled=True)]
    assert len(gb.toll_free.list(sms_enabled=True)) == 0
    mobiles = client.api.v2010.account.available_phone_numbers("HU").mobile.list(
        sms_enabled=True, page_size=5
    )
    assert len(mobiles) == 5 and all(n.capabilities["SMS"] for n in mobiles)
    us = client.api.v2010.account.available_phone_numbers("US").local.list(area_code=415, contains="555*107")
    assert [n.phone_number for n in us] == ["+14155550107"]
    assert us[0].friendly_name == "(415) 555-0107" and us[0].iso_country == "US"


def test_purchase_of_a_regulated_number_needs_an_approved_bundle(client: Client) -> None:
    numbers = client.api.v2010.account.incoming_phone_numbers
    with pytest.raises(TwilioRestException) as exc:
        numbers.create(phone_number="+3612345600")
    assert (exc.value.status, exc.value.code) == (400, 21649)
    mn_bundle = client.numbers.v2.regulatory_compliance.bundles.list(iso_country="MN")[0].sid
    with pytest.raises(TwilioRestException) as exc:
        numbers.create(phone_number="+3612345600", bundle_sid=mn_bundle)
    assert exc.value.code == 21649
    bought = numbers.create(
        phone_number="+3612345600", bundle_sid=hu_bundle(client), voice_url="https://example.org/v"
    )
    assert bought.phone_number == "+3612345600"
    assert bought.capabilities == {"voice": True, "sms": True, "mms": False, "fax": False}
    assert bought.voice_url == "https://example.org/v" and bought.sid.startswith("PN")


def test_unregulated_numbers_are_bought_without_bundle_and_by_area_code(client: Client) -> None:
    numbers = client.api.v2010.account.incoming_phone_numbers
    assert numbers.create(phone_number="+447700123400").bundle_sid is None
    by_area = numbers.create(area_code=415)
    assert by_area.phone_number.startswith("+1415")
    with pytest.raises(TwilioRestException) as exc:
        numbers.create(area_code=212)
    assert exc.value.code == 21452


def test_a_bought_or_released_number_is_not_available_again(client: Client) -> None:
    numbers = client.api.v2010.account.incoming_phone_numbers
    pn = numbers.create(phone_number="+447700123401")
    with pytest.raises(TwilioRestException) as exc:
        numbers.create(phone_number="+447700123401")
    assert (exc.value.status, exc.value.code) == (400, 21422)
    assert numbers(pn.sid).delete() is True
    with pytest.raises(TwilioRestException) as exc:
        numbers(pn.sid).fetch()
    assert (exc.value.status, exc.value.code) == (404, 20404)
    offered = client.api.v2010.account.available_phone_numbers("GB").mobile.list(contains="447700123401")
    assert offered == []
    with pytest.raises(TwilioRestException) as exc:
        numbers.create(phone_number="+447700123401")
    assert exc.value.code == 21422


def test_address_required_numbers_need_an_address_sid(sandbox: RunningSandbox, client: Client) -> None:
    number = {"phone_number": "+442079460199", "iso_country": "GB", "address_requirements": "local"}
    sandbox.seed(ACCOUNT, available_numbers=[number])
    numbers = client.api.v2010.account.incoming_phone_numbers
    with pytest.raises(TwilioRestException) as exc:
        numbers.create(phone_number="+442079460199")
    assert exc.value.code == 21631
    address = "AD" + "1" * 32
    assert numbers.create(phone_number="+442079460199", address_sid=address).address_requirements == "local"


def test_incoming_numbers_page_with_relative_next_page_uri(client: Client) -> None:
    numbers = client.api.v2010.account.incoming_phone_numbers
    bought = [numbers.create(phone_number=f"+4477001234{i:02d}").sid for i in range(5)]
    first = numbers.page(page_size=2)
    assert [r.sid for r in first] == bought[:2]
    assert first._payload["next_page_uri"].startswith(
        f"/2010-04-01/Accounts/{ACCOUNT}/IncomingPhoneNumbers.json?"
    )
    assert [n.sid for n in numbers.list(page_size=2)] == bought
    second = first.next_page()
    assert second is not None and [r.sid for r in second] == bought[2:4]
    assert [r.sid for r in second.previous_page()] == bought[:2]


def test_incoming_numbers_filter_by_partial_number_and_friendly_name(client: Client) -> None:
    numbers = client.api.v2010.account.incoming_phone_numbers
    numbers.create(phone_number="+447700123410", friendly_name="DEH hu hotline")
    numbers.create(phone_number="+447700123411")
    assert [n.phone_number for n in numbers.list(phone_number="+447700123411")] == ["+447700123411"]
    assert len(numbers.list(phone_number="7700*2341*")) == 2
    assert [n.phone_number for n in numbers.list(friendly_name="DEH hu hotline")] == ["+447700123410"]


def test_update_changes_only_what_is_sent(client: Client) -> None:
    numbers = client.api.v2010.account.incoming_phone_numbers
    pn = numbers.create(phone_number="+447700123412", sms_url="https://example.org/sms")
    updated = numbers(pn.sid).update(
        voice_url="https://example.org/voice", voice_method="GET", friendly_name="x"
    )
    assert (updated.voice_url, updated.voice_method, updated.friendly_name) == (
        "https://example.org/voice",
        "GET",
        "x",
    )
    assert updated.sms_url == "https://example.org/sms"
    assert updated.date_created == pn.date_created
    with pytest.raises(TwilioRestException) as exc:
        numbers(pn.sid).update(voice_method="PATCHY")
    assert exc.value.code == 20001


def test_numbers_bought_by_hand_can_be_seeded(sandbox: RunningSandbox, client: Client) -> None:
    seeded = {
        "phone_number": "+3612345699",
        "friendly_name": "Hotline (manual)",
        "voice_url": "https://example.org/h",
    }
    (sid,) = sandbox.seed(ACCOUNT, incoming_numbers=[seeded])["incoming_numbers"]
    fetched = client.api.v2010.account.incoming_phone_numbers(sid).fetch()
    assert (fetched.phone_number, fetched.friendly_name) == ("+3612345699", "Hotline (manual)")


def test_a_societys_own_bundle_sid_can_be_seeded(sandbox: RunningSandbox, client: Client) -> None:
    own = "BU" + "7" * 32
    spec = {"sid": own, "iso_country": "HU", "number_type": "local"}
    assert sandbox.seed(ACCOUNT, bundles=[spec])["bundles"] == [own]
    assert sandbox.seed(ACCOUNT, bundles=[spec])["bundles"] == [own]  # seeding again is harmless
    numbers = client.api.v2010.account.incoming_phone_numbers
    assert numbers.create(phone_number="+3612345601", bundle_sid=own).bundle_sid == own
    with pytest.raises(UsageError, match="not a bundle SID"):
        sandbox.seed(ACCOUNT, bundles=[{"sid": "BUnope", "iso_country": "HU", "number_type": "local"}])


def test_bundles_and_regulations_are_discoverable(client: Client) -> None:
    rc = client.numbers.v2.regulatory_compliance
    bundles = rc.bundles.list()
    assert len(bundles) == 3 and {b.status for b in bundles} == {"twilio-approved"}
    regs = rc.regulations.list(iso_country="HU", number_type="local")
    assert [r.sid for r in regs] == [rc.bundles(hu_bundle(client)).fetch().regulation_sid]
    assert len(rc.regulations.list(page_size=3)) == 14


def test_wrong_credentials_are_refused_with_20003(sandbox: RunningSandbox, client: Client) -> None:
    bad = client_for(sandbox, ACCOUNT, "not-the-token")
    with pytest.raises(TwilioRestException) as exc:
        bad.api.v2010.account.fetch()
    assert (exc.value.status, exc.value.code) == (401, 20003)


def test_another_accounts_path_is_not_found_for_these_credentials(
    sandbox: RunningSandbox, client: Client
) -> None:
    sandbox.ensure_account(OTHER_ACCOUNT)
    with pytest.raises(TwilioRestException) as exc:
        client.api.v2010.accounts(OTHER_ACCOUNT).fetch()
    assert (exc.value.status, exc.value.code) == (404, 20003)


def test_api_keys_authenticate_for_their_account(sandbox: RunningSandbox, client: Client) -> None:
    key_sid, secret = sandbox.ensure_api_key(ACCOUNT)
    assert key_sid.startswith("SK") and sandbox.ensure_api_key(ACCOUNT) == (key_sid, secret)
    keyed = client_for(sandbox, ACCOUNT, secret, username=key_sid)
    assert keyed.api.v2010.account.fetch().sid == ACCOUNT
    wrong = client_for(sandbox, ACCOUNT, secret + "x", username=key_sid)
    with pytest.raises(TwilioRestException) as exc:
        wrong.api.v2010.account.fetch()
    assert exc.value.code == 20003
