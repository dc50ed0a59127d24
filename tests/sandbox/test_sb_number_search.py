"""Number search as Twilio does it: AreaCode for the US and Canada only, anchored Contains, any country seeded."""

from __future__ import annotations

import phonenumbers
from twilio.rest import Client

from deh_deploy.sandbox import RunningSandbox
from tests.sandbox.helpers import ACCOUNT


def test_an_area_code_outside_the_us_and_canada_is_ignored_as_twilio_ignores_it(client: Client) -> None:
    hu = client.api.v2010.account.available_phone_numbers("HU").local
    assert len(hu.list(area_code="99")) == len(hu.list())
    us = client.api.v2010.account.available_phone_numbers("US").local
    assert us.list(area_code="212") == []


def test_contains_anchors_with_plus_and_dollar(client: Client) -> None:
    hu = client.api.v2010.account.available_phone_numbers("HU").local
    assert len(hu.list(contains="+361")) == len(hu.list()) > 0
    assert hu.list(contains="+362") == []
    assert [n.phone_number for n in hu.list(contains="5601$")] == ["+3612345601"]


def test_a_seeded_country_sells_valid_numbers_of_twilio_like_types(
    sandbox: RunningSandbox, client: Client
) -> None:
    sandbox.seed(ACCOUNT, countries=["KE"])
    ke = client.api.v2010.account.available_phone_numbers("KE")
    for offer in (ke.local, ke.mobile):
        found = offer.list()
        assert found and all(phonenumbers.is_valid_number(phonenumbers.parse(n.phone_number)) for n in found)
        assert all(n.iso_country == "KE" for n in found)
    assert client.numbers.v2.regulatory_compliance.regulations.list(iso_country="KE")
