"""SMS encoding and segment count for a message body.

GSM-7 when every character is in the GSM 03.38 default alphabet or its extension table (an extension
character such as ``€`` costs two septets: escape plus code); otherwise UCS-2, counted in UTF-16 code units
(an emoji outside the Basic Multilingual Plane costs two). A single message holds 160 septets or 70 code
units; a concatenated one 153 or 67 per part, because each part carries a header. Parts never split an
escape pair or a surrogate pair, so such a character at a part's end moves whole to the next part.
"""

from __future__ import annotations

import codecs
import importlib
from dataclasses import dataclass
from typing import Literal

__all__ = ["GSM_MULTI", "GSM_SINGLE", "UCS2_MULTI", "UCS2_SINGLE", "SmsInfo", "sms_info"]

GSM_SINGLE = 160
GSM_MULTI = 153
UCS2_SINGLE = 70
UCS2_MULTI = 67

# Registers the "gsm03.38" codec with the codecs module.
importlib.import_module("gsm0338")
_GSM = "gsm03.38"
_ESCAPE = "\x1b"


@dataclass(frozen=True)
class SmsInfo:
    """How a text travels as SMS: its encoding, its length in that encoding's units, and its parts."""

    encoding: Literal["GSM-7", "UCS-2"]
    units: int
    segments: int


def _gsm_costs(text: str) -> list[int] | None:
    """Septets per character, or None when the text cannot be sent in GSM-7."""
    if _ESCAPE in text:  # a bare escape code would swallow the character after it
        return None
    try:
        return [len(codecs.encode(char, _GSM)) for char in text]
    except UnicodeEncodeError:
        return None


def _ucs2_costs(text: str) -> list[int]:
    return [len(char.encode("utf-16-le")) // 2 for char in text]


def _segments(costs: list[int], *, single: int, multi: int) -> int:
    total = sum(costs)
    if total == 0:
        return 0
    if total <= single:
        return 1
    parts, used = 1, 0
    for cost in costs:
        if used + cost > multi:
            parts, used = parts + 1, 0
        used += cost
    return parts


def sms_info(text: str) -> SmsInfo:
    """Encoding, units and segments of ``text`` as an SMS body (an empty body has no segments)."""
    gsm = _gsm_costs(text)
    if gsm is not None:
        return SmsInfo("GSM-7", sum(gsm), _segments(gsm, single=GSM_SINGLE, multi=GSM_MULTI))
    ucs2 = _ucs2_costs(text)
    return SmsInfo("UCS-2", sum(ucs2), _segments(ucs2, single=UCS2_SINGLE, multi=UCS2_MULTI))
