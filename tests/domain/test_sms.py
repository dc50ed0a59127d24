"""SMS: GSM-7 or UCS-2, units in that encoding, and how many parts the message takes."""

from __future__ import annotations

import pytest

from deh_deploy.sms import SmsInfo, sms_info

EMOJI = "\U0001f600"  # outside the BMP: two UTF-16 code units


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SmsInfo("GSM-7", 0, 0)),
        ("Hello", SmsInfo("GSM-7", 5, 1)),
        ("a" * 160, SmsInfo("GSM-7", 160, 1)),
        ("a" * 161, SmsInfo("GSM-7", 161, 2)),
        ("a" * 306, SmsInfo("GSM-7", 306, 2)),
        ("a" * 307, SmsInfo("GSM-7", 307, 3)),
        ("Köszönjük, é à ñ Ä Ø ß Ç ¿ ¡ @ £ ¥", SmsInfo("GSM-7", 34, 1)),
    ],
)
def test_text_in_the_gsm_alphabet_is_gsm7_at_160_then_153_a_part(text: str, expected: SmsInfo) -> None:
    assert sms_info(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€", SmsInfo("GSM-7", 2, 1)),
        ("[]{}|^~\\", SmsInfo("GSM-7", 16, 1)),
        ("a" * 158 + "€", SmsInfo("GSM-7", 160, 1)),  # fills the single message exactly
        ("a" * 159 + "€", SmsInfo("GSM-7", 161, 2)),  # one septet over
        # 306 septets would fit two parts of 153, but the escape pair may not straddle them.
        ("a" * 152 + "€" + "a" * 152, SmsInfo("GSM-7", 306, 3)),
        ("a" * 151 + "€" + "a" * 153, SmsInfo("GSM-7", 306, 2)),
    ],
)
def test_an_extension_character_costs_two_septets_and_stays_whole(text: str, expected: SmsInfo) -> None:
    assert sms_info(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ő", SmsInfo("UCS-2", 1, 1)),  # Hungarian ő is not in the GSM alphabet
        ("Дякуємо", SmsInfo("UCS-2", 7, 1)),
        ("ç", SmsInfo("UCS-2", 1, 1)),  # only the capital Ç is in the basic GSM table
        ("я" * 70, SmsInfo("UCS-2", 70, 1)),
        ("я" * 71, SmsInfo("UCS-2", 71, 2)),
        ("я" * 134, SmsInfo("UCS-2", 134, 2)),
        ("я" * 135, SmsInfo("UCS-2", 135, 3)),
        ("a" * 159 + "ő", SmsInfo("UCS-2", 160, 3)),  # one character outside GSM turns all of it to UCS-2
        ("\x1b", SmsInfo("UCS-2", 1, 1)),  # a bare escape code cannot travel as GSM-7 text
    ],
)
def test_anything_else_is_ucs2_at_70_then_67_a_part(text: str, expected: SmsInfo) -> None:
    assert sms_info(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (EMOJI, SmsInfo("UCS-2", 2, 1)),
        ("я" * 68 + EMOJI, SmsInfo("UCS-2", 70, 1)),
        ("я" * 69 + EMOJI, SmsInfo("UCS-2", 71, 2)),
        # 134 units would fit two parts of 67, but the surrogate pair may not be split between them.
        ("я" * 66 + EMOJI + "я" * 66, SmsInfo("UCS-2", 134, 3)),
        ("я" * 65 + EMOJI + "я" * 67, SmsInfo("UCS-2", 134, 2)),
    ],
)
def test_an_emoji_costs_two_units_and_is_never_split(text: str, expected: SmsInfo) -> None:
    assert sms_info(text) == expected
