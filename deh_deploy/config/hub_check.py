"""Whether a document passes the hub schema, as ``deh validate`` applies it; written by
``python -m deh_deploy.config.schemacode --write`` from hub.schema.json and the built-in channel table. Do not edit:
a test regenerates it and compares."""

from __future__ import annotations

import math
import numbers
import re
from typing import Any

_LINE_BREAK = re.compile("[\n\r\v\f\x85\u2028\u2029]")
_compiled: dict[int, re.Pattern[str]] = {}


def _search(index: int, text: str) -> bool:
    """Whether the schema's pattern ``index`` matches, compiled the first time it is needed."""
    pattern = _compiled.get(index)
    if pattern is None:
        pattern = _compiled[index] = re.compile(_PATTERNS[index])
    return pattern.search(text) is not None


def _integer(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _number(x: Any) -> bool:
    """Finite numbers only, as the hub validator's type checker says."""
    return isinstance(x, numbers.Number) and not isinstance(x, bool) and math.isfinite(x)  # type: ignore[arg-type]


def _plain(x: Any) -> Any:
    """True and False are not 1 and 0 when values are compared."""
    return ("bool", x) if isinstance(x, bool) else x


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: a string equals only a string, lists and mappings compare item by item, booleans apart."""
    if a is b:
        return True
    if isinstance(a, str) or isinstance(b, str):
        return bool(a == b)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_equal(i, j) for i, j in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(k in b and _equal(v, b[k]) for k, v in a.items())
    return bool(_plain(a) == _plain(b))


def _unique(x: list[Any]) -> bool:
    if all(isinstance(i, str) for i in x):
        return len(set(x)) == len(x)
    return not any(_equal(x[i], x[j]) for i in range(len(x)) for j in range(i + 1, len(x)))


def is_valid(data: Any) -> bool:
    """Whether ``data`` passes the hub schema."""
    return _s0(data)


_PATTERNS = (
    "^(?!.*\\n)[a-z][a-z0-9-]{1,23}$",
    "^(?!.*\\n)[A-Z]{2}$",
    "^(?!.*\\n)[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    "^(?!.*\\n)[a-z][a-z0-9_]{0,39}$",
    "^(?!.*\\n)[a-z0-9.-]+\\.[a-z]{2,}$",
    "^(?!.*\\n)[A-Z][A-Z0-9_]{0,127}$",
    "^(?!.*\\n)[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "^(?!.*\\n)[A-Za-z0-9_]+\\*?[A-Za-z0-9_-]*$",
    "^(?!.*\\n)(language|comm|project)\\*[a-z0-9_-]+$",
    "^(?!.*\\n)/[^\\s]*$",
    "^(?!.*\\n)[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
    "^(?!.*\\n)https://[^\\s]+$",
    "^(?!.*\\n)[a-z_][a-z0-9_]{0,62}$",
    "^(?!.*\\n)[A-Za-z0-9.:-]+$",
    "^(?!.*\\n)https://[a-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~-]+)*$",
    "^(?!.*\\n)AC[0-9a-f]{32}$",
    "^(?!.*\\n)\\+[1-9][0-9]{6,14}$",
    "^(?!.*\\n)[0-9]{5,20}$",
    "^(?!.*\\n)https://[^/]+$",
    "^(?!.*\\n)([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
    "^(?!.*\\n)[1-9][0-9]?$",
    "^(?!.*\\n)/[A-Za-z0-9._/-]+$",
    "^(?!.*\\n)[a-z_][a-z0-9_-]{0,31}$",
    "^(?!.*\\n)[a-z]+\\*[a-z0-9_-]+$",
    "^(?!.*\\n)https://.+$",
    "^(?!.*\\n)BU[0-9a-f]{32}$",
    "^(?!.*\\n)AD[0-9a-f]{32}$",
    "^(?!.*\\n)[0-9]{1,6}$",
    "^(?!.*\\n)\\+?[0-9A-Za-z*%]{1,15}\\$?$",
)
_T0: frozenset[str] = frozenset(("version", "slug", "society", "timezone", "languages", "translations", "environments", "channels", "hours", "routing", "topics", "templates", "hosting", "hub"))
_T1: frozenset[str] = frozenset(("name", "country"))
_T2: frozenset[str] = frozenset(())
_T3: frozenset[str] = frozenset(("voice", "sms", "whatsapp", "messenger", "viber", "webchat"))
_T4: frozenset[str] = frozenset(("weekly", "public_holidays", "closures", "open_on", "closed_now"))
_T5: frozenset[str] = frozenset(("workspace", "queues", "default_queue", "callback_queue", "activities", "skill_names"))
_T6: frozenset[str] = frozenset(("domain", "hosts", "ssh_key_env", "known_hosts_env", "certificate", "certbot", "test_host", "database_url_env", "database"))
_T7: frozenset[str] = frozenset(("public_url", "promise", "person_key_env", "roles", "retention_days", "viber_bridge"))
_T8: frozenset[str] = frozenset(("staging", "production"))
_T9: frozenset[str] = frozenset(("number", "gather_timeout", "speech", "voicemail"))
_T10: frozenset[str] = frozenset(("number", "max_segments"))
_T11: frozenset[str] = frozenset(("bot_name", "token_env"))
_T12: frozenset[str] = frozenset(("allowed_origins",))
_T13: frozenset[str] = frozenset(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))
_T14: frozenset[str] = frozenset(("country", "subdivision", "observed"))
_T15: frozenset[str] = frozenset(("queue", "feedback", "sensitive", "self_service", "agent"))
_T16: frozenset[str] = frozenset(("category", "samples"))
_T17: frozenset[str] = frozenset(("certificate", "key"))
_T18: frozenset[str] = frozenset(("email", "directory"))
_T19: frozenset[str] = frozenset(("host", "password_env", "name", "port", "address"))
_T20: frozenset[str] = frozenset(("within_hours", "or_next_working_day"))
_T21: frozenset[str] = frozenset(("account_sid", "ready", "credentials", "numbers", "whatsapp_sender", "messenger_page_id", "safety"))
_T22: frozenset[str] = frozenset(("max_length", "transcribe"))
_T23: frozenset[str] = frozenset(("name", "languages", "skills"))
_T24: frozenset[str] = frozenset(("name", "available"))
_T25: frozenset[str] = frozenset(("question", "request", "suggestion", "complaint", "rumour", "appreciation"))
_T26: frozenset[str] = frozenset(("UTILITY", "MARKETING", "AUTHENTICATION"))
_T27: frozenset[str] = frozenset(("name", "address", "ssh_user", "ssh_port", "base_dir", "service_user", "app_port", "https_port", "http_port"))
_T28: frozenset[str] = frozenset(("token_env", "sensitive"))
_T29: frozenset[str] = frozenset(("messages", "topics", "templates", "audio"))
_T30: frozenset[str] = frozenset(("account_sid", "auth_token", "api_key", "api_secret"))
_T31: frozenset[str] = frozenset(("update_threshold", "min_existing"))
_T32: frozenset[str] = frozenset(("date", "reason"))
_T33: frozenset[str] = frozenset(("from", "to", "reason"))
_T34: frozenset[str] = frozenset(("language_choice", "welcome", "topic_menu", "topic_option", "invalid_choice", "after_hours", "promise", "voicemail_prompt", "voicemail_thanks", "queue_wait", "handoff", "thanks"))
_T35: frozenset[str] = frozenset(("language_choice", "welcome", "topic_menu", "invalid_choice", "after_hours", "voicemail_prompt", "voicemail_thanks", "queue_wait", "thanks", "answers"))
_T36: frozenset[str] = frozenset(("buy", "adopt", "bundle_sid", "bundle_sid_env", "address_sid", "address_sid_env"))
_T37: frozenset[str] = frozenset(("name", "address", "ssh_user", "ssh_port"))
_T38: frozenset[str] = frozenset(("title", "answer"))
_T39: frozenset[str] = frozenset(("country", "type", "area_code", "contains"))
_T40: frozenset[str] = frozenset(("local", "mobile", "toll-free"))


def _s0(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "version" not in x:
        return False
    if "slug" not in x:
        return False
    if "society" not in x:
        return False
    if "timezone" not in x:
        return False
    if "languages" not in x:
        return False
    if "translations" not in x:
        return False
    if "environments" not in x:
        return False
    if "channels" not in x:
        return False
    if "hours" not in x:
        return False
    if "routing" not in x:
        return False
    if "topics" not in x:
        return False
    if "version" in x and not _s1(x["version"]):
        return False
    if "slug" in x and not _s2(x["slug"]):
        return False
    if "society" in x and not _s3(x["society"]):
        return False
    if "timezone" in x and not _s4(x["timezone"]):
        return False
    if "languages" in x and not _s5(x["languages"]):
        return False
    if "translations" in x and not _s6(x["translations"]):
        return False
    if "environments" in x and not _s7(x["environments"]):
        return False
    if "channels" in x and not _s8(x["channels"]):
        return False
    if "hours" in x and not _s9(x["hours"]):
        return False
    if "routing" in x and not _s10(x["routing"]):
        return False
    if "topics" in x and not _s11(x["topics"]):
        return False
    if "templates" in x and not _s12(x["templates"]):
        return False
    if "hosting" in x and not _s13(x["hosting"]):
        return False
    if "hub" in x and not _s14(x["hub"]):
        return False
    if any(k not in _T0 for k in x):
        return False
    return True


def _s1(x: Any) -> bool:
    if not _equal(x, 1):
        return False
    return True


def _s2(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(0, x):
        return False
    return True


def _s3(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "name" not in x:
        return False
    if "country" not in x:
        return False
    if "name" in x and not _s15(x["name"]):
        return False
    if "country" in x and not _s16(x["country"]):
        return False
    if any(k not in _T1 for k in x):
        return False
    return True


def _s4(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    return True


def _s5(x: Any) -> bool:
    if not isinstance(x, list):
        return False
    if not all(_s17(i) for i in x):
        return False
    if len(x) < 1:
        return False
    if len(x) > 9:
        return False
    if not _unique(x):
        return False
    return True


def _s6(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if any(k not in _T2 and not _s18(v) for k, v in x.items()):
        return False
    if not all(_s19(k) for k in x):
        return False
    return True


def _s7(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if any(k not in _T2 and not _s20(v) for k, v in x.items()):
        return False
    if not all(_s21(k) for k in x):
        return False
    if len(x) < 1:
        return False
    return True


def _s8(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "voice" in x and not _s22(x["voice"]):
        return False
    if "sms" in x and not _s23(x["sms"]):
        return False
    if "whatsapp" in x and not _s24(x["whatsapp"]):
        return False
    if "messenger" in x and not _s24(x["messenger"]):
        return False
    if "viber" in x and not _s25(x["viber"]):
        return False
    if "webchat" in x and not _s26(x["webchat"]):
        return False
    if any(k not in _T3 for k in x):
        return False
    if len(x) < 1:
        return False
    return True


def _s9(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "weekly" not in x:
        return False
    if "weekly" in x and not _s27(x["weekly"]):
        return False
    if "public_holidays" in x and not _s28(x["public_holidays"]):
        return False
    if "closures" in x and not _s29(x["closures"]):
        return False
    if "open_on" in x and not _s30(x["open_on"]):
        return False
    if "closed_now" in x and not _s31(x["closed_now"]):
        return False
    if any(k not in _T4 for k in x):
        return False
    return True


def _s10(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "queues" not in x:
        return False
    if "default_queue" not in x:
        return False
    if "workspace" in x and not _s32(x["workspace"]):
        return False
    if "queues" in x and not _s33(x["queues"]):
        return False
    if "default_queue" in x and not _s34(x["default_queue"]):
        return False
    if "callback_queue" in x and not _s34(x["callback_queue"]):
        return False
    if "activities" in x and not _s35(x["activities"]):
        return False
    if "skill_names" in x and not _s36(x["skill_names"]):
        return False
    if any(k not in _T5 for k in x):
        return False
    return True


def _s11(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if any(k not in _T2 and not _s37(v) for k, v in x.items()):
        return False
    if not all(_s38(k) for k in x):
        return False
    if len(x) < 1:
        return False
    if len(x) > 9:
        return False
    return True


def _s12(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if any(k not in _T2 and not _s39(v) for k, v in x.items()):
        return False
    if not all(_s38(k) for k in x):
        return False
    return True


def _s13(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "domain" not in x:
        return False
    if "hosts" not in x:
        return False
    if "domain" in x and not _s40(x["domain"]):
        return False
    if "hosts" in x and not _s41(x["hosts"]):
        return False
    if "ssh_key_env" in x and not _s42(x["ssh_key_env"]):
        return False
    if "known_hosts_env" in x and not _s42(x["known_hosts_env"]):
        return False
    if "certificate" in x and not _s43(x["certificate"]):
        return False
    if "certbot" in x and not _s44(x["certbot"]):
        return False
    if "test_host" in x and not _s31(x["test_host"]):
        return False
    if "database_url_env" in x and not _s42(x["database_url_env"]):
        return False
    if "database" in x and not _s45(x["database"]):
        return False
    if any(k not in _T6 for k in x):
        return False
    return True


def _s14(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "public_url" in x and not _s46(x["public_url"]):
        return False
    if "promise" in x and not _s47(x["promise"]):
        return False
    if "person_key_env" in x and not _s42(x["person_key_env"]):
        return False
    if "roles" in x and not _s48(x["roles"]):
        return False
    if "retention_days" in x and not _s49(x["retention_days"]):
        return False
    if "viber_bridge" in x and not _s31(x["viber_bridge"]):
        return False
    if any(k not in _T7 for k in x):
        return False
    return True


def _s15(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if len(x) < 2:
        return False
    if len(x) > 120:
        return False
    return True


def _s16(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(1, x):
        return False
    return True


def _s17(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(2, x):
        return False
    return True


def _s18(x: Any) -> bool:
    if _s50(x):
        if not _s51(x):
            return False
    elif not _s52(x):
        return False
    return True


def _s19(x: Any) -> bool:
    if isinstance(x, str):
        if _LINE_BREAK.search(x) or not _search(2, x):
            return False
    return True


def _s20(x: Any) -> bool:
    if not _s53(x):
        return False
    return True


def _s21(x: Any) -> bool:
    if not (isinstance(x, str) and x in _T8):
        return False
    return True


def _s22(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "number" not in x:
        return False
    if "number" in x and not _s34(x["number"]):
        return False
    if "gather_timeout" in x and not _s54(x["gather_timeout"]):
        return False
    if "speech" in x and not _s31(x["speech"]):
        return False
    if "voicemail" in x and not _s55(x["voicemail"]):
        return False
    if any(k not in _T9 for k in x):
        return False
    return True


def _s23(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "number" not in x:
        return False
    if "number" in x and not _s34(x["number"]):
        return False
    if "max_segments" in x and not _s56(x["max_segments"]):
        return False
    if any(k not in _T10 for k in x):
        return False
    return True


def _s24(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if any(k not in _T2 for k in x):
        return False
    return True


def _s25(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "bot_name" not in x:
        return False
    if "token_env" not in x:
        return False
    if "bot_name" in x and not _s57(x["bot_name"]):
        return False
    if "token_env" in x and not _s42(x["token_env"]):
        return False
    if any(k not in _T11 for k in x):
        return False
    return True


def _s26(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "allowed_origins" in x and not _s58(x["allowed_origins"]):
        return False
    if any(k not in _T12 for k in x):
        return False
    return True


def _s27(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "mon" in x and not _s59(x["mon"]):
        return False
    if "tue" in x and not _s59(x["tue"]):
        return False
    if "wed" in x and not _s59(x["wed"]):
        return False
    if "thu" in x and not _s59(x["thu"]):
        return False
    if "fri" in x and not _s59(x["fri"]):
        return False
    if "sat" in x and not _s59(x["sat"]):
        return False
    if "sun" in x and not _s59(x["sun"]):
        return False
    if any(k not in _T13 for k in x):
        return False
    return True


def _s28(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "country" in x and not _s16(x["country"]):
        return False
    if "subdivision" in x and not _s52(x["subdivision"]):
        return False
    if "observed" in x and not _s31(x["observed"]):
        return False
    if any(k not in _T14 for k in x):
        return False
    return True


def _s29(x: Any) -> bool:
    if not isinstance(x, list):
        return False
    if not all(_s60(i) for i in x):
        return False
    return True


def _s30(x: Any) -> bool:
    if not isinstance(x, list):
        return False
    if not all(_s61(i) for i in x):
        return False
    return True


def _s31(x: Any) -> bool:
    if not isinstance(x, bool):
        return False
    return True


def _s32(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 64:
        return False
    return True


def _s33(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if any(k not in _T2 and not _s62(v) for k, v in x.items()):
        return False
    if not all(_s38(k) for k in x):
        return False
    if len(x) < 1:
        return False
    return True


def _s34(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(3, x):
        return False
    return True


def _s35(x: Any) -> bool:
    if not isinstance(x, list):
        return False
    if not all(_s63(i) for i in x):
        return False
    return True


def _s36(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if any(k not in _T2 and not _s64(v) for k, v in x.items()):
        return False
    if not all(_s65(k) for k in x):
        return False
    return True


def _s37(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "feedback" not in x:
        return False
    if "queue" in x and not _s34(x["queue"]):
        return False
    if "feedback" in x and not _s66(x["feedback"]):
        return False
    if "sensitive" in x and not _s31(x["sensitive"]):
        return False
    if "self_service" in x and not _s31(x["self_service"]):
        return False
    if "agent" in x and not _s31(x["agent"]):
        return False
    if any(k not in _T15 for k in x):
        return False
    return True


def _s38(x: Any) -> bool:
    if isinstance(x, str):
        if _LINE_BREAK.search(x) or not _search(3, x):
            return False
    return True


def _s39(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "category" not in x:
        return False
    if "category" in x and not _s67(x["category"]):
        return False
    if "samples" in x and not _s68(x["samples"]):
        return False
    if any(k not in _T16 for k in x):
        return False
    return True


def _s40(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(4, x):
        return False
    return True


def _s41(x: Any) -> bool:
    if not isinstance(x, list):
        return False
    if not all(_s69(i) for i in x):
        return False
    if len(x) < 1:
        return False
    return True


def _s42(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(5, x):
        return False
    return True


def _s43(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "certificate" not in x:
        return False
    if "key" not in x:
        return False
    if "certificate" in x and not _s70(x["certificate"]):
        return False
    if "key" in x and not _s70(x["key"]):
        return False
    if any(k not in _T17 for k in x):
        return False
    return True


def _s44(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "email" in x and not _s71(x["email"]):
        return False
    if "directory" in x and not _s72(x["directory"]):
        return False
    if any(k not in _T18 for k in x):
        return False
    return True


def _s45(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "host" not in x:
        return False
    if "password_env" not in x:
        return False
    if "host" in x and not _s73(x["host"]):
        return False
    if "password_env" in x and not _s42(x["password_env"]):
        return False
    if "name" in x and not _s74(x["name"]):
        return False
    if "port" in x and not _s75(x["port"]):
        return False
    if "address" in x and not _s76(x["address"]):
        return False
    if any(k not in _T19 for k in x):
        return False
    return True


def _s46(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if any(k not in _T2 and not _s77(v) for k, v in x.items()):
        return False
    if len(x) < 1:
        return False
    return True


def _s47(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "within_hours" in x and not _s78(x["within_hours"]):
        return False
    if "or_next_working_day" in x and not _s31(x["or_next_working_day"]):
        return False
    if any(k not in _T20 for k in x):
        return False
    return True


def _s48(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if any(k not in _T2 and not _s79(v) for k, v in x.items()):
        return False
    if not all(_s38(k) for k in x):
        return False
    return True


def _s49(x: Any) -> bool:
    if not _integer(x):
        return False
    if x < 1:
        return False
    if x > 3650:
        return False
    return True


def _s50(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    return True


def _s51(x: Any) -> bool:
    if not _s80(x):
        return False
    return True


def _s52(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    return True


def _s53(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "account_sid" not in x:
        return False
    if "account_sid" in x and not _s81(x["account_sid"]):
        return False
    if "ready" in x and not _s31(x["ready"]):
        return False
    if "credentials" in x and not _s82(x["credentials"]):
        return False
    if "numbers" in x and not _s83(x["numbers"]):
        return False
    if "whatsapp_sender" in x and not _s84(x["whatsapp_sender"]):
        return False
    if "messenger_page_id" in x and not _s85(x["messenger_page_id"]):
        return False
    if "safety" in x and not _s86(x["safety"]):
        return False
    if any(k not in _T21 for k in x):
        return False
    return True


def _s54(x: Any) -> bool:
    if not _integer(x):
        return False
    if x < 1:
        return False
    if x > 30:
        return False
    return True


def _s55(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "max_length" in x and not _s87(x["max_length"]):
        return False
    if "transcribe" in x and not _s31(x["transcribe"]):
        return False
    if any(k not in _T22 for k in x):
        return False
    return True


def _s56(x: Any) -> bool:
    if not _integer(x):
        return False
    if x < 1:
        return False
    if x > 10:
        return False
    return True


def _s57(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 28:
        return False
    return True


def _s58(x: Any) -> bool:
    if not isinstance(x, list):
        return False
    if not all(_s88(i) for i in x):
        return False
    return True


def _s59(x: Any) -> bool:
    if not isinstance(x, list):
        return False
    if not all(_s89(i) for i in x):
        return False
    if len(x) > 8:
        return False
    return True


def _s60(x: Any) -> bool:
    if [_s90(x), _s91(x)].count(True) != 1:
        return False
    return True


def _s61(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(6, x):
        return False
    return True


def _s62(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "name" not in x:
        return False
    if "languages" not in x:
        return False
    if "name" in x and not _s92(x["name"]):
        return False
    if "languages" in x and not _s93(x["languages"]):
        return False
    if "skills" in x and not _s94(x["skills"]):
        return False
    if any(k not in _T23 for k in x):
        return False
    return True


def _s63(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "name" not in x:
        return False
    if "available" not in x:
        return False
    if "name" in x and not _s32(x["name"]):
        return False
    if "available" in x and not _s31(x["available"]):
        return False
    if any(k not in _T24 for k in x):
        return False
    return True


def _s64(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(7, x):
        return False
    if len(x) < 1:
        return False
    if len(x) > 64:
        return False
    return True


def _s65(x: Any) -> bool:
    if isinstance(x, str):
        if _LINE_BREAK.search(x) or not _search(8, x):
            return False
    return True


def _s66(x: Any) -> bool:
    if not (isinstance(x, str) and x in _T25):
        return False
    return True


def _s67(x: Any) -> bool:
    if not (isinstance(x, str) and x in _T26):
        return False
    return True


def _s68(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if any(k not in _T2 and not _s4(v) for k, v in x.items()):
        return False
    if not all(_s95(k) for k in x):
        return False
    return True


def _s69(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "name" not in x:
        return False
    if "address" not in x:
        return False
    if "name" in x and not _s34(x["name"]):
        return False
    if "address" in x and not _s4(x["address"]):
        return False
    if "ssh_user" in x and not _s4(x["ssh_user"]):
        return False
    if "ssh_port" in x and not _s75(x["ssh_port"]):
        return False
    if "base_dir" in x and not _s96(x["base_dir"]):
        return False
    if "service_user" in x and not _s97(x["service_user"]):
        return False
    if "app_port" in x and not _s98(x["app_port"]):
        return False
    if "https_port" in x and not _s75(x["https_port"]):
        return False
    if "http_port" in x and not _s75(x["http_port"]):
        return False
    if any(k not in _T27 for k in x):
        return False
    return True


def _s70(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(9, x):
        return False
    if len(x) > 400:
        return False
    return True


def _s71(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(10, x):
        return False
    if len(x) > 200:
        return False
    return True


def _s72(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(11, x):
        return False
    if len(x) > 400:
        return False
    return True


def _s73(x: Any) -> bool:
    if [_s34(x), _s99(x)].count(True) != 1:
        return False
    return True


def _s74(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(12, x):
        return False
    return True


def _s75(x: Any) -> bool:
    if not _integer(x):
        return False
    if x < 1:
        return False
    if x > 65535:
        return False
    return True


def _s76(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(13, x):
        return False
    if len(x) > 253:
        return False
    return True


def _s77(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(14, x):
        return False
    if len(x) > 200:
        return False
    return True


def _s78(x: Any) -> bool:
    if not _integer(x):
        return False
    if x < 1:
        return False
    if x > 336:
        return False
    return True


def _s79(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "token_env" not in x:
        return False
    if "token_env" in x and not _s42(x["token_env"]):
        return False
    if "sensitive" in x and not _s31(x["sensitive"]):
        return False
    if any(k not in _T28 for k in x):
        return False
    return True


def _s80(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "messages" in x and not _s100(x["messages"]):
        return False
    if "topics" in x and not _s101(x["topics"]):
        return False
    if "templates" in x and not _s102(x["templates"]):
        return False
    if "audio" in x and not _s103(x["audio"]):
        return False
    if any(k not in _T29 for k in x):
        return False
    return True


def _s81(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(15, x):
        return False
    return True


def _s82(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "account_sid" in x and not _s42(x["account_sid"]):
        return False
    if "auth_token" in x and not _s42(x["auth_token"]):
        return False
    if "api_key" in x and not _s42(x["api_key"]):
        return False
    if "api_secret" in x and not _s42(x["api_secret"]):
        return False
    if any(k not in _T30 for k in x):
        return False
    return True


def _s83(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if any(k not in _T2 and not _s104(v) for k, v in x.items()):
        return False
    if not all(_s38(k) for k in x):
        return False
    return True


def _s84(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(16, x):
        return False
    return True


def _s85(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(17, x):
        return False
    return True


def _s86(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "update_threshold" in x and not _s105(x["update_threshold"]):
        return False
    if "min_existing" in x and not _s106(x["min_existing"]):
        return False
    if any(k not in _T31 for k in x):
        return False
    return True


def _s87(x: Any) -> bool:
    if not _integer(x):
        return False
    if x < 10:
        return False
    if x > 3600:
        return False
    return True


def _s88(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(18, x):
        return False
    return True


def _s89(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(19, x):
        return False
    return True


def _s90(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "date" not in x:
        return False
    if "date" in x and not _s61(x["date"]):
        return False
    if "reason" in x and not _s52(x["reason"]):
        return False
    if any(k not in _T32 for k in x):
        return False
    return True


def _s91(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "from" not in x:
        return False
    if "to" not in x:
        return False
    if "from" in x and not _s61(x["from"]):
        return False
    if "to" in x and not _s61(x["to"]):
        return False
    if "reason" in x and not _s52(x["reason"]):
        return False
    if any(k not in _T33 for k in x):
        return False
    return True


def _s92(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 50:
        return False
    return True


def _s93(x: Any) -> bool:
    if not isinstance(x, list):
        return False
    if not all(_s17(i) for i in x):
        return False
    if len(x) < 1:
        return False
    if not _unique(x):
        return False
    return True


def _s94(x: Any) -> bool:
    if not isinstance(x, list):
        return False
    if not all(_s107(i) for i in x):
        return False
    return True


def _s95(x: Any) -> bool:
    if isinstance(x, str):
        if _LINE_BREAK.search(x) or not _search(20, x):
            return False
    return True


def _s96(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(21, x):
        return False
    if len(x) > 200:
        return False
    return True


def _s97(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(22, x):
        return False
    return True


def _s98(x: Any) -> bool:
    if not _integer(x):
        return False
    if x < 1024:
        return False
    if x > 65535:
        return False
    return True


def _s99(x: Any) -> bool:
    if not _s108(x):
        return False
    return True


def _s100(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "language_choice" in x and not _s109(x["language_choice"]):
        return False
    if "welcome" in x and not _s109(x["welcome"]):
        return False
    if "topic_menu" in x and not _s109(x["topic_menu"]):
        return False
    if "topic_option" in x and not _s109(x["topic_option"]):
        return False
    if "invalid_choice" in x and not _s109(x["invalid_choice"]):
        return False
    if "after_hours" in x and not _s109(x["after_hours"]):
        return False
    if "promise" in x and not _s109(x["promise"]):
        return False
    if "voicemail_prompt" in x and not _s109(x["voicemail_prompt"]):
        return False
    if "voicemail_thanks" in x and not _s109(x["voicemail_thanks"]):
        return False
    if "queue_wait" in x and not _s109(x["queue_wait"]):
        return False
    if "handoff" in x and not _s109(x["handoff"]):
        return False
    if "thanks" in x and not _s109(x["thanks"]):
        return False
    if any(k not in _T34 for k in x):
        return False
    return True


def _s101(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if any(k not in _T2 and not _s110(v) for k, v in x.items()):
        return False
    if not all(_s38(k) for k in x):
        return False
    return True


def _s102(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if any(k not in _T2 and not _s111(v) for k, v in x.items()):
        return False
    if not all(_s38(k) for k in x):
        return False
    return True


def _s103(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "language_choice" in x and not _s112(x["language_choice"]):
        return False
    if "welcome" in x and not _s112(x["welcome"]):
        return False
    if "topic_menu" in x and not _s112(x["topic_menu"]):
        return False
    if "invalid_choice" in x and not _s112(x["invalid_choice"]):
        return False
    if "after_hours" in x and not _s112(x["after_hours"]):
        return False
    if "voicemail_prompt" in x and not _s112(x["voicemail_prompt"]):
        return False
    if "voicemail_thanks" in x and not _s112(x["voicemail_thanks"]):
        return False
    if "queue_wait" in x and not _s112(x["queue_wait"]):
        return False
    if "thanks" in x and not _s112(x["thanks"]):
        return False
    if "answers" in x and not _s113(x["answers"]):
        return False
    if any(k not in _T35 for k in x):
        return False
    return True


def _s104(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "buy" in x and not _s114(x["buy"]):
        return False
    if "adopt" in x and not _s84(x["adopt"]):
        return False
    if "bundle_sid" in x and not _s115(x["bundle_sid"]):
        return False
    if "bundle_sid_env" in x and not _s42(x["bundle_sid_env"]):
        return False
    if "address_sid" in x and not _s116(x["address_sid"]):
        return False
    if "address_sid_env" in x and not _s42(x["address_sid_env"]):
        return False
    if any(k not in _T36 for k in x):
        return False
    if [_s117(x), _s118(x)].count(True) != 1:
        return False
    return True


def _s105(x: Any) -> bool:
    if not _number(x):
        return False
    if x < 0:
        return False
    if x > 1:
        return False
    return True


def _s106(x: Any) -> bool:
    if not _integer(x):
        return False
    if x < 0:
        return False
    return True


def _s107(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(23, x):
        return False
    return True


def _s108(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "name" not in x:
        return False
    if "address" not in x:
        return False
    if "name" in x and not _s34(x["name"]):
        return False
    if "address" in x and not _s4(x["address"]):
        return False
    if "ssh_user" in x and not _s4(x["ssh_user"]):
        return False
    if "ssh_port" in x and not _s75(x["ssh_port"]):
        return False
    if any(k not in _T37 for k in x):
        return False
    return True


def _s109(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 1600:
        return False
    return True


def _s110(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "title" in x and not _s119(x["title"]):
        return False
    if "answer" in x and not _s109(x["answer"]):
        return False
    if any(k not in _T38 for k in x):
        return False
    return True


def _s111(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 1024:
        return False
    return True


def _s112(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(24, x):
        return False
    if len(x) > 2048:
        return False
    return True


def _s113(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if any(k not in _T2 and not _s112(v) for k, v in x.items()):
        return False
    if not all(_s38(k) for k in x):
        return False
    return True


def _s114(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "type" not in x:
        return False
    if "country" in x and not _s16(x["country"]):
        return False
    if "type" in x and not _s120(x["type"]):
        return False
    if "area_code" in x and not _s121(x["area_code"]):
        return False
    if "contains" in x and not _s122(x["contains"]):
        return False
    if any(k not in _T39 for k in x):
        return False
    return True


def _s115(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(25, x):
        return False
    return True


def _s116(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(26, x):
        return False
    return True


def _s117(x: Any) -> bool:
    if isinstance(x, dict):
        if "buy" not in x:
            return False
    return True


def _s118(x: Any) -> bool:
    if isinstance(x, dict):
        if "adopt" not in x:
            return False
    return True


def _s119(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if len(x) < 1:
        return False
    if len(x) > 60:
        return False
    return True


def _s120(x: Any) -> bool:
    if not (isinstance(x, str) and x in _T40):
        return False
    return True


def _s121(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(27, x):
        return False
    return True


def _s122(x: Any) -> bool:
    if not isinstance(x, str):
        return False
    if _LINE_BREAK.search(x) or not _search(28, x):
        return False
    if len(x) < 2:
        return False
    if len(x) > 16:
        return False
    return True
