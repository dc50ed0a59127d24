"""Semantic rules: what a schema cannot say. Each rule yields diagnostics; all of them run, none stops the others.

Rules run only on a document that passed the schema, so they may rely on its shapes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from deh_deploy import channels, i18n, messages, names, phones, sms, textchecks
from deh_deploy.channels.definition import Channel
from deh_deploy.config.document import Document
from deh_deploy.config.keys import MESSAGE_KEYS, VOICE_PROMPTS
from deh_deploy.config.loader import format_path
from deh_deploy.diagnostics import Diagnostic
from deh_deploy.hours import check_hours

Rule = Callable[[Document, dict[str, Any]], Iterator[Diagnostic]]

# Each message's placeholders: all are required, no others are allowed.
PLACEHOLDERS = {"language_choice": {"digit"}, "topic_option": {"digit", "topic"}, "after_hours": {"promise"}}
PLACEHOLDER_MARK = "FILL IN"
PLACEHOLDER_SID = "0" * 32
# Messages a person reads on a messaging channel, so their SMS length matters.
SMS_MESSAGES = ("welcome", "invalid_choice", "handoff", "thanks")
# Where Twilio's number search takes AreaCode (twilio_api_v2010.json, AvailablePhoneNumbers: "Applies to only
# phone numbers in the US and Canada").
AREA_CODE_COUNTRIES = ("US", "CA")


def _languages(data: dict[str, Any]) -> list[str]:
    return list(data["languages"])


def _canon(tag: str) -> str:
    """A tag as tags are compared: canonical BCP-47 casing (``pt-br`` is ``pt-BR``); an unknown tag as written."""
    try:
        return i18n.canonical(tag)
    except ValueError:
        return tag


def _canonical_keys(names: Any) -> dict[str, str]:
    """Canonical tag → the first way it is written among ``names`` (a list or a mapping's keys)."""
    found: dict[str, str] = {}
    for name in names:
        found.setdefault(_canon(name), name)
    return found


def _translation_key(data: dict[str, Any], lang: str) -> str | None:
    """The key of ``translations`` that holds a language's texts, however its tag is cased there."""
    return _canonical_keys(data["translations"]).get(_canon(lang))


def languages_known(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """Each tag is one CLDR knows, and each language is listed once: tags that differ only in case (``pt-BR``,
    ``pt-br``) are one language, and would render two message templates with one Twilio name."""
    for i, tag in enumerate(data["languages"]):
        try:
            i18n.canonical(tag)
        except ValueError as exc:
            found = i18n.suggest(tag)
            if found is None:
                yield doc.at(("languages", i), str(exc))
                continue
            meant, what = found
            name = i18n.language(meant).english_name
            tail = f" Write {meant!r} wherever {tag!r} is written" if _written_elsewhere(data, tag) else ""
            yield doc.at(("languages", i), f"{what}; did you mean {meant!r} ({name})?{tail}")
    yield from _same_language(doc, ("languages",), list(enumerate(data["languages"])), "list it once")
    yield from _same_language(
        doc, ("translations",), [(k, k) for k in data["translations"]], "keep one", prefer_key=True
    )
    for qid, queue in data["routing"]["queues"].items():
        where = ("routing", "queues", qid, "languages")
        yield from _same_language(doc, where, list(enumerate(queue["languages"])), "list it once")


def _misspelt(data: dict[str, Any]) -> dict[str, str | None]:
    """Each tag of ``languages`` that CLDR does not know → the tag it most likely meant (or None). The rules that
    compare languages leave these out: one error at the tag itself says it, with "did you mean", instead of one
    for every queue, topic and translation that disagrees with it."""
    out: dict[str, str | None] = {}
    for tag in data["languages"]:
        if not _known(tag):
            found = i18n.suggest(tag)
            out[tag] = found[0] if found else None
    return out


def _meant(data: dict[str, Any]) -> set[str]:
    """The canonical tags that the misspelt tags of ``languages`` most likely meant."""
    return {_canon(m) for m in _misspelt(data).values() if m is not None}


def _written_elsewhere(data: dict[str, Any], tag: str) -> bool:
    """Whether a language tag is written outside ``languages`` too: as a translations key or a queue language."""
    return tag in data["translations"] or any(
        tag in q["languages"] for q in data["routing"]["queues"].values()
    )


def _same_language(
    doc: Document,
    base: tuple[str | int, ...],
    entries: list[tuple[str | int, str]],
    fix: str,
    *,
    prefer_key: bool = False,
) -> Iterator[Diagnostic]:
    """A diagnostic at each entry whose tag is, canonically, an earlier entry's; it names the earlier one too."""
    first: dict[str, tuple[str | int, str]] = {}
    for key, tag in entries:
        canonical = _canon(tag)
        if canonical not in first:
            first[canonical] = (key, tag)
            continue
        earlier_key, earlier = first[canonical]
        _, line, col = doc.positions.locate((*base, earlier_key), prefer_key=prefer_key)
        yield doc.at(
            (*base, key),
            f"{tag!r} is the same language as {earlier!r} ({format_path((*base, earlier_key))}, line {line}"
            f" column {col}); {fix}",
            prefer_key=prefer_key,
        )


def translations_complete(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    translations = data["translations"]
    listed = {_canon(lang) for lang in data["languages"]}
    misspelt, meant = _misspelt(data), _meant(data)
    for i, lang in enumerate(_languages(data)):
        if _translation_key(data, lang) is None and lang not in misspelt:
            yield doc.at(("languages", i), f"no translations for {lang!r}; add translations.{lang}")
    for lang in translations:
        if _canon(lang) not in listed and _canon(lang) not in meant:
            yield doc.at(
                ("translations", lang),
                f"translations for {lang!r}, which is not in languages",
                severity="warning",
                prefer_key=True,
            )
    for language in _languages(data):
        key = _translation_key(data, language)
        t = translations.get(key) if key is not None else None
        if key is None or not isinstance(t, dict):
            continue
        lang = key
        where = ("translations", lang)
        messages = t.get("messages", {})
        missing = [k for k in MESSAGE_KEYS if k not in messages]
        if missing:
            yield doc.at(
                (*where, "messages") if "messages" in t else where,
                f"missing in {lang!r}: {', '.join(missing)}",
            )
        titles = t.get("topics", {})
        for topic, spec in data["topics"].items():
            tt = titles.get(topic, {})
            if "title" not in tt:
                yield doc.at((*where, "topics"), f"topic {topic!r} has no title in {lang!r}")
            if spec.get("self_service") and "answer" not in tt:
                yield doc.at(
                    (*where, "topics", topic) if topic in titles else (*where, "topics"),
                    f"self-service topic {topic!r} has no answer in {lang!r}",
                )
            if not spec.get("self_service") and "answer" in tt:
                yield doc.at(
                    (*where, "topics", topic, "answer"),
                    f"answer is never used: topic {topic!r} is not self_service",
                    severity="warning",
                )
        for topic in titles:
            if topic not in data["topics"]:
                yield doc.at((*where, "topics", topic), f"texts for unknown topic {topic!r}", prefer_key=True)


def placeholders_valid(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    for lang, t in _texts(data):
        for key, text in t.get("messages", {}).items():
            found = textchecks.placeholders(text)
            path = ("translations", lang, "messages", key)
            for need in sorted(PLACEHOLDERS.get(key, set()) - found):
                yield doc.at(path, f"must contain {{{need}}}")
            for extra in sorted(found - PLACEHOLDERS.get(key, set())):
                yield doc.at(path, f"unknown placeholder {{{extra}}}")


def topics_reachable(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    queues = data["routing"]["queues"]
    misspelt, meant = _misspelt(data), _meant(data)
    for topic, spec in data["topics"].items():
        where = ("topics", topic)
        if not spec.get("self_service") and spec.get("agent") is False:
            yield doc.at(where, "a topic needs self_service: true, agent: true, or both", prefer_key=True)
        queue = spec.get("queue", data["routing"]["default_queue"])
        if queue not in queues:
            yield doc.at((*where, "queue") if "queue" in spec else where, _unknown("queue", queue, queues))
        elif spec.get("agent", True):
            served = {_canon(lang) for lang in queues[queue]["languages"]}
            for lang in _languages(data):
                if _canon(lang) not in served and lang not in misspelt:
                    yield doc.at(
                        (*where, "queue") if "queue" in spec else where,
                        f"queue {queue!r} does not serve {lang!r}, but this topic is offered in it",
                    )
    for key in ("default_queue", "callback_queue"):
        q = data["routing"].get(key)
        if q is not None and q not in queues:
            yield doc.at(("routing", key), _unknown("queue", q, queues))
    listed = {_canon(lang) for lang in data["languages"]}
    for qid, q in queues.items():
        for i, lang in enumerate(q["languages"]):
            if _canon(lang) not in listed and _canon(lang) not in meant and lang not in misspelt:
                yield doc.at(
                    ("routing", "queues", qid, "languages", i), _unknown("language", lang, data["languages"])
                )


def names_fit(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """Twilio's friendly names hold 64 characters; a queue is known by ``DEH <slug> <env> <id>:``, which must fit."""
    from deh_deploy.names import MAX_FRIENDLY, prefix

    env = max(data["environments"], key=len)  # the longest prefix: one message per queue
    for qid, q in data["routing"]["queues"].items():
        known_by = f"{prefix(data['slug'], env)} {qid}:"
        full = f"{known_by} {q['name']}"
        if len(known_by) >= MAX_FRIENDLY:
            yield doc.at(
                ("routing", "queues", qid),
                f"queue id too long: {known_by!r} leaves no room in Twilio's "
                f"{MAX_FRIENDLY}-character names; use a shorter id",
                prefer_key=True,
            )
        elif len(full) > MAX_FRIENDLY:
            yield doc.at(
                ("routing", "queues", qid, "name"),
                f"{full!r} is longer than Twilio's {MAX_FRIENDLY} "
                f"characters; agents will see {full[:MAX_FRIENDLY]!r}",
                severity="warning",
            )


def _enabled(data: dict[str, Any]) -> list[Channel]:
    """The definitions of the channels the hub turns on, in the table's order."""
    return [c for c in channels.table() if c.name in data["channels"]]


def country_known(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """The Society's country and each bought number's are ISO 3166 codes (the phone checks rely on them)."""
    if problem := phones.country_problem(data["society"]["country"]):
        yield doc.at(("society", "country"), problem)
    for env, e in data["environments"].items():
        for num, spec in e.get("numbers", {}).items():
            buy_country = spec.get("buy", {}).get("country")
            if buy_country is not None and (problem := phones.country_problem(buy_country)):
                yield doc.at(("environments", env, "numbers", num, "buy", "country"), problem)


def numbers_valid(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """Numbers are checked against the Society's country; with an unknown country, country_known says so."""
    country = data["society"]["country"]
    checkable = phones.country_problem(country) is None
    used = {data["channels"][c.name]["number"]: c.name for c in _enabled(data) if c.carrier == "number"}
    for env, e in data["environments"].items():
        numbers = e.get("numbers", {})
        for num, channel in used.items():
            if num not in numbers:
                yield doc.at(
                    ("environments", env),
                    f"{channel} uses number {num!r}, which {env} does not define",
                    prefer_key=True,
                )
        for num, spec in numbers.items():
            where = ("environments", env, "numbers", num)
            if num not in used:
                yield doc.at(
                    where, f"number {num!r} is not used by any channel", severity="warning", prefer_key=True
                )
            if (
                checkable
                and "adopt" in spec
                and (problem := phones.check_phone(spec["adopt"], country=country))
            ):
                yield doc.at((*where, "adopt"), problem)
            buy_country = spec.get("buy", {}).get("country", country)
            if buy_country != country and phones.country_problem(buy_country) is None:
                yield doc.at(
                    (*where, "buy", "country"),
                    f"buys a number in {buy_country}, not the Society's country {country}",
                    severity="warning",
                )
            for sid in ("bundle_sid", "address_sid"):
                if sid in spec and f"{sid}_env" in spec:
                    yield doc.at(
                        (*where, f"{sid}_env"),
                        f"give {sid} or {sid}_env, not both",
                        prefer_key=True,
                    )
            area = spec.get("buy", {}).get("area_code")
            if (
                area
                and buy_country not in AREA_CODE_COUNTRIES
                and phones.country_problem(buy_country) is None
            ):
                yield doc.at(
                    (*where, "buy", "area_code"),
                    f"Twilio ignores area_code outside the US and Canada (here {buy_country}): write "
                    f'contains: "+{phones.calling_code(buy_country)}{area}" for numbers that begin so',
                    severity="warning",
                    prefer_key=True,
                )
        for need in (p for c in channels.table() for p in c.needs if p.phone):
            phone = e.get(need.key)
            if checkable and phone and (problem := phones.check_phone(phone, country=country)):
                yield doc.at(("environments", env, need.key), problem)
        for enabled in _enabled(data):
            for need in enabled.needs:
                if need.key not in e:
                    yield doc.at(
                        ("environments", env),
                        f"{enabled.name} is enabled but {env} has no {need.key}",
                        prefer_key=True,
                    )
        bought = [num for num, spec in numbers.items() if "adopt" not in spec]
        if (size := names.numbers_record_bytes(bought)) > names.VARIABLE_BYTES:
            yield doc.at(
                ("environments", env, "numbers"),
                f"the record of the {len(bought)} numbers {env} buys ({names.NUMBERS_VARIABLE}) would be {size} "
                f"bytes; a Twilio Serverless Variable takes at most {names.VARIABLE_BYTES}: shorten the number ids",
                prefer_key=True,
            )


def timezone_exists(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    tz = data["timezone"]
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder of tzdata, such as 'Europe'
        hint = closest_zone(tz)
        tail = f"; did you mean {hint!r}?" if hint else " (e.g. Europe/Budapest)"
        yield doc.at(("timezone",), f"unknown IANA timezone {tz!r}{tail}")


def closest_zone(tz: str) -> str | None:
    """The IANA zone name most like a misspelt one (``Europe/Chisnau`` → ``Europe/Chisinau``), compared without
    case; a region alone (``Europe``) is no zone and gets no guess. Asked only for an unknown zone: listing the
    zones reads the whole database."""
    import difflib
    from zoneinfo import available_timezones

    zones = {z.lower(): z for z in available_timezones() if "/" in z}
    if "/" not in tz:  # a city alone: Kyiv → Europe/Kyiv
        city = tz.strip().replace(" ", "_").lower()
        from deh_deploy.init.answers import listed_zones

        listed = listed_zones()  # Europe/Istanbul, not its old alias Asia/Istanbul
        found = sorted(
            (z not in listed, low, z) for low, z in zones.items() if low.rsplit("/", 1)[-1] == city
        )
        return found[0][2] if found else None
    region = tz.split("/", 1)[0].lower()
    same_region = [z for z in zones if z.split("/", 1)[0] == region]
    for candidates in (same_region, list(zones)):
        hint = difflib.get_close_matches(tz.lower(), candidates, n=1, cutoff=0.75)
        if hint:
            return zones[hint[0]]
    return None


def hours_valid(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    for p in check_hours(data["hours"], country=data["society"]["country"], timezone=data["timezone"]):
        if not p.path:
            continue  # the timezone: reported once, at $.timezone, by timezone_exists
        yield doc.at(("hours", *p.path), p.message, severity=p.severity)


def voice_can_speak(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    if not any(c.flow == "voice" for c in _enabled(data)):
        return
    for lang, t in _texts(data):
        if i18n.tts_voice(lang) is not None:
            continue
        audio = t.get("audio", {})
        missing = [k for k in VOICE_PROMPTS if k not in audio]
        answers = audio.get("answers", {})
        missing += [
            f"answers.{topic}"
            for topic, spec in data["topics"].items()
            if spec.get("self_service") and topic not in answers
        ]
        if missing:
            yield doc.at(
                ("translations", lang),
                f"Twilio has no text-to-speech voice for {lang!r}: the phone line "
                f"needs recorded audio; missing audio: {', '.join(missing)}",
            )


def sms_length(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """Every text the messaging flow sends, as it is sent (menus put together, placeholders filled), against
    each enabled channel's limits: its SMS segments where it counts them, else its characters."""
    counted = [
        (c, data["channels"][c.name].get(c.limits.segments_key, c.limits.default_segments))
        for c in _enabled(data)
        if c.flow == "messaging" and c.limits.segments_key
    ]
    capped = [
        (c, limit)
        for c in _enabled(data)
        if c.flow == "messaging" and not c.limits.segments_key and (limit := c.limits.max_chars)
    ]
    if not counted and not capped:
        return
    for path, text, what in _sent_texts(data):
        if counted:
            info = sms.sms_info(text)
            for channel, limit in counted:
                if info.segments > limit:
                    yield doc.at(
                        path,
                        f"{what}needs {info.segments} SMS segments ({info.encoding}, {info.units} "
                        f"characters); channels.{channel.name}.{channel.limits.segments_key} is {limit}",
                        severity="warning",
                    )
        over = [(channel.name, limit) for channel, limit in capped if len(text) > limit]
        if over:  # one warning, naming the first of the channels with the tightest limit
            name, limit = min(over, key=itemgetter(1))
            yield doc.at(
                path, f"{what}has {len(text)} characters; {name} takes at most {limit}", severity="warning"
            )


def _sent_texts(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    texts = dict(_texts(data))
    complete = [
        lang
        for lang in texts
        if all(k in texts[lang].get("messages", {}) for k in MESSAGE_KEYS)
        and all("title" in texts[lang].get("topics", {}).get(t, {}) for t in data["topics"])
    ]
    if len(complete) == len(data["languages"]) > 1:
        menu = "\n".join(
            messages.language_menu([texts[lang]["messages"]["language_choice"] for lang in complete])
        )
        yield (("translations", complete[0], "messages", "language_choice"), menu, "the language menu ")
    for lang in complete:
        m = texts[lang]["messages"]
        base = ("translations", lang, "messages")
        titles = [texts[lang]["topics"][t]["title"] for t in data["topics"]]
        yield (*base, "topic_menu"), messages.welcome_and_menu(m, titles), "the welcome and topic menu "
        yield (*base, "after_hours"), messages.after_hours(m), ""
        for key in SMS_MESSAGES:
            yield (*base, key), m[key], ""
        for topic, v in texts[lang].get("topics", {}).items():
            if "answer" in v:
                yield ("translations", lang, "topics", topic, "answer"), v["answer"], ""


def templates_valid(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    templates = data.get("templates", {})
    for lang, t in _texts(data):
        bodies = t.get("templates", {})
        for tid in templates:
            if tid not in bodies:
                yield doc.at(("translations", lang), f"template {tid!r} has no body in {lang!r}")
        for tid, body in bodies.items():
            path = ("translations", lang, "templates", tid)
            if tid not in templates:
                yield doc.at(path, _unknown("template", tid, templates), prefer_key=True)
                continue
            for problem in textchecks.check_whatsapp_variables(body, templates[tid].get("samples", {})):
                yield doc.at(path, problem)


def direction_marked(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """Right-to-left text that mixes in left-to-right runs needs direction marks, judged on the text as sent.

    Only a translation with right-to-left characters can mix directions, so CLDR's direction of a language (which
    costs loading its locale data) is asked only for those.
    """
    for lang, t in _texts(data):
        m = t.get("messages", {})
        values = {"digit": "1", "topic": "", "promise": m.get("promise", "")}
        texts = [
            (path, textchecks.fill(text, **values) if path[2:3] == ("messages",) else text)
            for path, text in _strings({k: v for k, v in t.items() if k != "audio"}, ("translations", lang))
        ]
        if not any(textchecks.has_rtl(text) for _, text in texts):
            continue
        direction = i18n.language(lang).direction
        for path, sent in texts:
            if problem := textchecks.check_bidi(sent, direction=direction):
                yield doc.at(path, problem, severity="warning")


def names_printable(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """Names deh-deploy sends to Twilio hold no control or invisible character (a NUL, a newline, a zero-width
    space, a bidi override): Twilio would keep it, and a name that looks right would not be the name."""
    for path, name in _names(data):
        for hidden in textchecks.hidden_characters(name):
            more = f", {hidden.count} in this name" if hidden.count > 1 else ""
            yield doc.at_char(
                path,
                name,
                hidden.index,
                f"{hidden.kind} character {textchecks.describe(hidden.char)}{more} in a name sent to Twilio;"
                " remove it",
            )


def _names(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    routing = data["routing"]
    yield ("society", "name"), data["society"]["name"]
    if "workspace" in routing:
        yield ("routing", "workspace"), routing["workspace"]
    for qid, queue in routing["queues"].items():
        yield ("routing", "queues", qid, "name"), queue["name"]
    for i, activity in enumerate(routing.get("activities", ())):
        yield ("routing", "activities", i, "name"), activity["name"]
    viber = data["channels"].get("viber")
    if isinstance(viber, dict) and isinstance(viber.get("bot_name"), str):
        yield ("channels", "viber", "bot_name"), viber["bot_name"]


def texts_printable(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """What a person reads or hears holds no control character (line breaks apart), and invisible formatting
    characters are pointed out: a zero-width space or a bidi override in a message is almost always a copy-paste
    accident. The marks and isolates that direction_marked recommends are fine."""
    for lang, t in _texts(data):
        for path, text in _strings({k: v for k, v in t.items() if k != "audio"}, ("translations", lang)):
            for hidden in textchecks.hidden_characters(text, allowed=_MESSAGE_CHARACTERS):
                more = f", {hidden.count} in this text" if hidden.count > 1 else ""
                what = f"{textchecks.describe(hidden.char)}{more}"
                if hidden.kind == "control":
                    yield doc.at_char(
                        path, text, hidden.index, f"control character {what} in a message; remove it"
                    )
                else:
                    yield doc.at_char(
                        path,
                        text,
                        hidden.index,
                        f"invisible character {what}; remove it unless it is meant to be there",
                        severity="warning",
                    )


_MESSAGE_CHARACTERS = textchecks.MESSAGE_FORMATTING | {"\n"}


def placeholders_filled(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """``deh init`` writes FILL IN markers and all-zero account SIDs for what only the Society knows; each is a
    warning until filled. Where the config says an environment is not ready yet (``ready: false``), its
    placeholders are allowed, so that a new country can be merged while it is drafted: they are reported as what
    they are, severity ``placeholder``, and fail nothing, not even ``--strict``."""
    for path, message in placeholders(data):
        drafting = _drafting(data, path)
        if drafting is None:
            yield doc.at(path, message, severity="warning")
        else:
            what = (
                "the all-zero account SID: fill in the Society's Twilio account"
                if "SID" in message
                else "to fill in"
            )
            yield doc.at(path, f"{what} before {drafting}", severity="placeholder")


def placeholders(data: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every value still to fill in, with what it is: a FILL IN marker anywhere, an all-zero account SID."""
    sids = {("environments", env, "account_sid") for env in data["environments"]}
    for path, text in _strings(data, ()):
        if path in sids and text.endswith(PLACEHOLDER_SID):
            yield path, "placeholder account SID: fill in the Society's Twilio account"
        elif PLACEHOLDER_MARK in text:
            yield path, "placeholder to fill in"


def placeholder_scope(path: tuple[str | int, ...]) -> str | None:
    """The environment a value belongs to (``environments.<env>…``), or None for what every environment uses."""
    return str(path[1]) if len(path) > 1 and path[0] == "environments" else None


def _drafting(data: dict[str, Any], path: tuple[str | int, ...]) -> str | None:
    """Why a placeholder at ``path`` is allowed, or None: its environment is marked ``ready: false``, or, for
    what every environment uses, none is ready."""
    environments = data["environments"]
    env = placeholder_scope(path)
    if env is not None:
        return f"{env} is ready (it says ready: false)" if environments[env].get("ready") is False else None
    if environments and all(e.get("ready") is False for e in environments.values()):
        return "an environment is ready (each says ready: false)"
    return None


def _strings(data: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, (*path, i))


def _texts(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The translations of each configured language that is a real language (languages_known reports the rest),
    in the order of ``languages``, each with its key in ``translations`` (the tag as written there)."""
    for language in _languages(data):
        lang = _translation_key(data, language)
        t = data["translations"].get(lang) if lang is not None else None
        if lang is not None and isinstance(t, dict) and _known(lang):
            yield lang, t


def _known(lang: str) -> bool:
    try:
        i18n.canonical(lang)
    except ValueError:
        return False
    return True


def hub_service_valid(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """The hub service's public URL is given per environment: only for environments the config defines. The Viber
    bridge bridges the bot ``channels.viber`` describes: there must be one."""
    if data.get("hub", {}).get("viber_bridge") is True and "viber" not in data.get("channels", {}):
        yield doc.at(
            ("hub", "viber_bridge"),
            "the Viber bridge needs channels.viber (the bot's name and its token variable)",
        )
    for env in data.get("hub", {}).get("public_url", {}):
        if env not in data["environments"]:
            yield doc.at(
                ("hub", "public_url", env),
                _unknown("environment", env, data["environments"]),
                prefer_key=True,
            )


def hosting_valid(doc: Document, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """The hosting section says one thing about each choice: the database is the Society's (``database_url_env``)
    or one deh host installs (``database``), on a host it names; certbot is asked for only where it would run (no
    certificate given, not a test host)."""
    hosting = data.get("hosting")
    if not hosting:
        return
    hosts = [h["name"] for h in hosting["hosts"]]
    database = hosting.get("database")
    if database is not None:
        if "database_url_env" in hosting:
            yield doc.at(
                ("hosting", "database"),
                "give database_url_env (a PostgreSQL the Society has) or database (one deh host installs), "
                "not both",
                prefer_key=True,
            )
        host = database["host"]
        if isinstance(host, str) and host not in hosts:
            yield doc.at(("hosting", "database", "host"), _unknown("host", host, hosts))
        elif isinstance(host, dict) and host["name"] in hosts:
            yield doc.at(
                ("hosting", "database", "host", "name"),
                f"{host['name']!r} is one of hosting.hosts: write host: {host['name']} to install PostgreSQL there",
            )
    if "certbot" in hosting:
        if "certificate" in hosting:
            yield doc.at(
                ("hosting", "certbot"),
                "certbot obtains a certificate only when none is given: remove certbot or certificate",
                prefer_key=True,
            )
        elif hosting.get("test_host") is True:
            yield doc.at(
                ("hosting", "certbot"),
                "a test host gets a self-signed certificate: certbot is for a public domain (test_host: false)",
                prefer_key=True,
            )


def _unknown(kind: str, name: str, known: Any) -> str:
    import difflib

    names = list(known)
    hint = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    tail = f"; did you mean {hint[0]!r}?" if hint else f"; known: {', '.join(names)}" if names else ""
    return f"unknown {kind} {name!r}{tail}"


RULES: tuple[Rule, ...] = (
    languages_known,
    translations_complete,
    placeholders_valid,
    topics_reachable,
    country_known,
    numbers_valid,
    timezone_exists,
    hours_valid,
    voice_can_speak,
    sms_length,
    templates_valid,
    direction_marked,
    placeholders_filled,
    names_fit,
    names_printable,
    texts_printable,
    hub_service_valid,
    hosting_valid,
)


def check_rules(doc: Document) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for rule in RULES:
        out.extend(rule(doc, doc.data))
    return out
