"""Phone numbers: E.164, valid, and in the Society's own country."""

from __future__ import annotations

import pytest

from deh_deploy.phones import check_phone, normalise


@pytest.mark.parametrize(
    ("number", "country"),
    [
        ("+3612345678", "HU"),
        ("+3612345678", "hu"),
        ("+97670112233", "MN"),
        ("+96262001234", "JO"),
        ("+12042345678", "CA"),  # +1 is shared: the number must be valid for the country itself
    ],
)
def test_a_valid_e164_number_of_the_country_passes(number: str, country: str) -> None:
    assert check_phone(number, country=country) is None


IN_HU = (
    "; numbers in Hungary start with +36, such as +3612345678"  # the fix: what a Hungarian number looks like
)


@pytest.mark.parametrize(
    ("number", "country", "message"),
    [
        (
            "+36 1 234 5678",
            "HU",
            "'+36 1 234 5678' is not in E.164 form; write it in E.164, e.g. +3612345678",
        ),
        ("06 1 234 5678", "HU", "'06 1 234 5678' is not in E.164 form; write it in E.164, e.g. +3612345678"),
        (
            "0036 1 234 5678",
            "HU",
            "'0036 1 234 5678' is not in E.164 form; write it in E.164, e.g. +3612345678",
        ),
        (
            "+976 7011 2233",
            "MN",
            "'+976 7011 2233' is not in E.164 form; write it in E.164, e.g. +97670112233",
        ),
        # Not readable as a number: the country's own example is shown instead.
        ("+962 7 9", "JO", "'+962 7 9' is not in E.164 form; write it in E.164, e.g. +96262001234"),
        (
            "tel:+3612345678",
            "HU",
            "'tel:+3612345678' is not in E.164 form; write it in E.164, e.g. +3612345678",
        ),
        ("", "HU", "'' is not in E.164 form; write it in E.164, e.g. +3612345678"),
    ],
)
def test_a_number_not_written_in_e164_is_refused_with_its_e164_form(
    number: str, country: str, message: str
) -> None:
    assert check_phone(number, country=country) == message


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("+36123", "'+36123' is not a valid phone number: too short for Hungary (+36)"),
        ("+3619999999999", "'+3619999999999' is not a valid phone number: too long for Hungary (+36)"),
        (
            "+3600000000",
            "'+3600000000' is not a valid phone number: no number in Hungary (+36) has this form",
        ),
        ("+999123456", "'+999123456' is not a valid phone number: it starts with no country's calling code"),
        ("+80012", "'+80012' is not a valid phone number: too short for +800"),
    ],
)
def test_an_invalid_number_is_refused_with_the_reason(number: str, message: str) -> None:
    assert check_phone(number, country="HU") == message


@pytest.mark.parametrize(
    ("number", "country", "message"),
    [
        ("+380441234567", "HU", "'+380441234567' is a number in Ukraine (UA), not Hungary (HU)" + IN_HU),
        ("+97670112233", "HU", "'+97670112233' is a number in Mongolia (MN), not Hungary (HU)" + IN_HU),
        (
            "+12025550123",
            "CA",
            "'+12025550123' is a number in United States (US), not Canada (CA); a number in Canada is one such as +15062345678",
        ),
        (
            "+77012345678",
            "RU",
            "'+77012345678' is a number in Kazakhstan (KZ), not Russia (RU); a number in Russia is one such as +73011234567",
        ),
        (
            "+80012345678",
            "HU",
            "'+80012345678' is an international non-geographic number (+800), not a number in Hungary (HU)",
        ),
    ],
)
def test_a_number_of_another_country_names_the_country_it_belongs_to(
    number: str, country: str, message: str
) -> None:
    assert check_phone(number, country=country) == message


def test_an_unknown_country_is_a_caller_error() -> None:
    with pytest.raises(ValueError) as raised:
        check_phone("+3612345678", country="XX")
    assert str(raised.value) == "unknown country 'XX'; write an ISO 3166 alpha-2 code such as 'HU'"


@pytest.mark.parametrize(
    ("number", "country", "expected"),
    [
        ("+36 1 234 5678", None, "+3612345678"),
        ("+36 (1) 234-5678", None, "+3612345678"),
        ("06 1 234 5678", "HU", "+3612345678"),
        ("+3612345678", None, "+3612345678"),
        ("07 9012 3456", "JO", "+962790123456"),
    ],
)
def test_normalise_writes_a_number_in_e164(number: str, country: str | None, expected: str) -> None:
    assert normalise(number, country=country) == expected


@pytest.mark.parametrize(
    ("number", "country", "message"),
    [
        (
            "06 1 234 5678",
            None,
            "cannot read '06 1 234 5678' as a phone number (without a country, it must start with '+')",
        ),
        ("call us", "HU", "cannot read 'call us' as a phone number in Hungary (HU)"),
        ("12", "HU", "cannot read '12' as a phone number in Hungary (HU)"),
    ],
)
def test_normalise_refuses_what_it_cannot_read(number: str, country: str | None, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        normalise(number, country=country)
    assert str(raised.value) == message
