"""Mixed text direction: opposite-direction runs need a direction mark or an isolate around them."""

from __future__ import annotations

import pytest

from deh_deploy.textchecks import check_bidi

FSI, PDI, LRI, RLI, LRM, RLM, LRE, PDF = (
    "\u2068",
    "\u2069",
    "\u2066",
    "\u2067",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202c",
)


def _message(direction: str, other: str, run: str) -> str:
    return (
        f"mixes {direction} and {other} text without direction marks near {run!r}; wrap it in the isolates"
        f' U+2068…U+2069, typed in double quotes as "\\u2068{run}\\u2069"'
    )


@pytest.mark.parametrize(
    ("text", "run"),
    [
        ("للتواصل عبر WhatsApp اضغط 1", "WhatsApp"),
        ("جمعية Red Cross الأردنية", "Red Cross"),  # one run, spaces inside it
        ("WhatsApp متاح", "WhatsApp"),  # at the start
        ("راسلنا على Viber", "Viber"),  # at the end
        ("اتصل على +962 79 123 4567 الآن", "+962 79 123 4567"),
        ("الرقم 06-5608261", "06-5608261"),
        ("صباح الخير Hello ثم Viber", "Hello"),  # the first offending run is named
    ],
)
def test_latin_or_a_phone_number_inside_rtl_text_needs_marks(text: str, run: str) -> None:
    assert check_bidi(text, direction="rtl") == _message("right-to-left", "left-to-right", run)


@pytest.mark.parametrize(
    "text",
    [
        f"للتواصل عبر {FSI}WhatsApp{PDI} اضغط 1",
        f"للتواصل عبر {LRI}WhatsApp{PDI} اضغط 1",
        f"للتواصل عبر {LRE}WhatsApp{PDF} اضغط 1",
        f"للتواصل عبر {LRM}WhatsApp اضغط 1",
        f"للتواصل عبر WhatsApp{LRM} اضغط 1",
        f"اتصل على {FSI}+962 79 123 4567{PDI} الآن",
        "اضغط 1 للعربية",  # a plain number is fine
        "اضغط 12 أو 2024 للعربية",
        "مرحبا بكم",
        "Press 1 for English",  # nothing right-to-left to mix with
        "",
    ],
)
def test_rtl_text_with_marks_or_without_mixing_passes(text: str) -> None:
    assert check_bidi(text, direction="rtl") is None


@pytest.mark.parametrize(
    ("text", "run"),
    [
        ("Press 1 for العربية please", "العربية"),
        ("Call the הצלב האדום hotline", "הצלב האדום"),
        ("فارسی first", "فارسی"),
    ],
)
def test_rtl_text_inside_ltr_text_needs_marks(text: str, run: str) -> None:
    assert check_bidi(text, direction="ltr") == _message("left-to-right", "right-to-left", run)


@pytest.mark.parametrize(
    "text",
    [
        f"Press 1 for {FSI}العربية{PDI} please",
        f"Press 1 for {RLI}العربية{PDI} please",
        f"Press 1 for العربية{RLM} please",
        "Press 1 for English",
        "Натисніть 1",
        "العربية",  # nothing left-to-right to mix with
    ],
)
def test_ltr_text_with_marks_or_without_mixing_passes(text: str) -> None:
    assert check_bidi(text, direction="ltr") is None


def test_an_unclosed_isolate_covers_the_rest_of_the_text() -> None:
    assert check_bidi(f"للتواصل عبر {FSI}WhatsApp", direction="rtl") is None


def test_an_isolate_covers_only_what_it_encloses() -> None:
    text = f"للتواصل عبر {FSI}WhatsApp{PDI} أو Viber"
    assert check_bidi(text, direction="rtl") == _message("right-to-left", "left-to-right", "Viber")
