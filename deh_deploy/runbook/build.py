"""The checklist from the config: what to buy, register, approve, record, assign and know before going live.

Each step that the account can confirm has a check id; its status comes from the :class:`~.model.Account` read
from Twilio, or is "unknown" when none was read. What the account cannot say (a Facebook Page connected, a web
chat key) stays "unknown" either way, and says so.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

from deh_deploy.config.model import VOICE_PROMPTS, HubConfig, NumberSpec
from deh_deploy.hours.compile import closed_dates
from deh_deploy.hours.model import DAY_KEYS
from deh_deploy.i18n import language, tts_voice
from deh_deploy.messages import after_hours, language_menu, topic_menu
from deh_deploy.render.skills import listed
from deh_deploy.runbook.model import Account, Item, Month, Runbook, Section, Status

DAY_NAMES = dict(
    zip(DAY_KEYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)
CHANNEL_NAMES = {"voice": "calls", "sms": "SMS", "whatsapp": "WhatsApp", "messenger": "Messenger",
                 "viber": "Viber", "webchat": "web chat"}  # fmt: skip


def build(hub: HubConfig, env: str, *, account: Account | None, today: date) -> Runbook:
    environment = hub.environment(env)

    def item(check: str, text: str, detail: str = "") -> Item:
        status: Status
        if account is None:
            status, found = "unknown", ""
        else:
            status, found = account.checks.get(check, ("to do", ""))
        return Item(text, status, "; ".join(x for x in (detail, found) if x))

    sections = [
        *_placeholders(hub, env),
        Section("Phone numbers", tuple(_numbers(hub, env, item))),
        *_whatsapp(hub, env, item),
        *_messenger(hub, env, item),
        *_recordings(hub),
        Section(
            "Agent skills",
            tuple(
                item(f"skill:{s}", f"Assign {s} to the agents who {_skill_means(hub, s)}")
                for s in listed(hub)
            ),
            intro="In Flex (Admin > Skills, or each agent's Skills in Teams): at least one agent per skill.",
        ),
        _hours(hub, today),
        _data_protection(hub),
    ]
    if "webchat" in hub.channels.enabled:
        sections.insert(
            -2,
            Section(
                "Web chat",
                (
                    Item(
                        "Create a Webchat 3 deployment key for the hub's web chat address, with the allowed origins "
                        "and embed it on the sites (Flex > Channel management > Webchat; no Twilio API shows it)",
                        "unknown",
                        "allowed origins: " + ", ".join(_setting(hub, "webchat", "allowed_origins") or ()),
                    ),
                ),
            ),
        )
    if account is None:
        checked = "not checked against an account (no credentials or sandbox given): what only the account can tell is unknown"
    else:
        checked = f"checked against account {account.account_sid} on {account.where}"
    return Runbook(hub.society, hub.slug, env, environment.account_sid, today, checked, tuple(sections))


def _placeholders(hub: HubConfig, env: str) -> list[Section]:
    """What ``deh init`` left to fill in and this environment uses: first, since plan and apply refuse it."""
    folder = hub.source.parent.resolve() if hub.source.is_file() else hub.source.resolve()
    items = []
    for d in hub.environment(env).placeholders:
        where = Path(os.path.relpath(Path(d.file).resolve(), folder)).as_posix()
        items.append(Item(f"Fill in {d.path} ({where}:{d.line})", "to do"))
    intro = "Placeholders deh init left: deh plan and deh apply refuse them until they are filled in."
    return [Section("Before anything else", tuple(items), intro=intro)] if items else []


def _numbers(hub: HubConfig, env: str, item: _Item) -> list[Item]:
    out = []
    for spec in hub.environment(env).numbers.values():
        uses = [CHANNEL_NAMES[c] for c in hub.channels.enabled if _setting(hub, c, "number") == spec.id]
        why = f" for {', '.join(uses)}" if uses else ""
        if spec.adopt:
            out.append(
                item(f"number:{spec.id}", f"Keep {spec.adopt} on the account (numbers.{spec.id}){why}")
            )
        else:
            out.append(item(f"number:{spec.id}", f"Buy a {_described(spec)} (numbers.{spec.id}){why}"))
        if spec.bundle_sid or spec.bundle_sid_env:
            named = spec.bundle_sid or f"the bundle in ${spec.bundle_sid_env}"
            out.append(
                item(
                    f"bundle:{spec.id}",
                    f"Regulatory bundle {named} approved by Twilio for {spec.type} numbers in {spec.country}: the "
                    "Society's registration documents, an address in the country and an authorised "
                    "representative's ID (Phone Numbers > Regulatory Compliance)",
                )
            )
        elif not spec.adopt:
            out.append(
                item(
                    f"bundle:{spec.id}",
                    f"Find out whether {spec.type} numbers in {spec.country} need a regulatory bundle (deh plan "
                    "says so); if they do, submit the documents and set bundle_sid",
                )
            )
    return out


def _whatsapp(hub: HubConfig, env: str, item: _Item) -> list[Section]:
    if "whatsapp" not in hub.channels.enabled:
        return []
    sender = hub.environment(env).prerequisites.get("whatsapp_sender", "")
    items = [
        item(
            "sender",
            f"Register the WhatsApp sender {sender} with Meta through Twilio until it is ONLINE (Messaging > Senders "
            "> WhatsApp senders), with the Society's Meta Business Manager verified",
        )
    ]
    for template in hub.templates:
        for lang in hub.languages:
            text = hub.texts[lang].templates.get(template.id, "")
            items.append(
                item(
                    f"template:{template.id}.{lang}",
                    f"WhatsApp template {template.id} ({language(lang).english_name}) approved by Meta "
                    f"({template.category}; deh apply submits it)",
                    f'"{text}"' if text else "",
                )
            )
    return [Section("WhatsApp", tuple(items))]


def _messenger(hub: HubConfig, env: str, item: _Item) -> list[Section]:
    if "messenger" not in hub.channels.enabled:
        return []
    page = hub.environment(env).prerequisites.get("messenger_page_id", "")
    step = item(
        "page",
        f"Connect the Society's Facebook Page {page} to the Twilio account (Messaging > Senders > Facebook Messenger), "
        "signed in as an admin of the Page",
    )
    return [Section("Facebook Messenger", (step,))]


def _recordings(hub: HubConfig) -> list[Section]:
    """The prompts to record: every voice prompt of a language Twilio cannot speak, with the exact words."""
    if "voice" not in hub.channels.enabled:
        return []
    titles_of = {lang: [hub.texts[lang].titles[t.id] for t in hub.topics] for lang in hub.languages}
    items = []
    for index, lang in enumerate(hub.languages, start=1):
        texts = hub.texts[lang]
        if tts_voice(lang) is not None and not texts.audio:
            continue
        name = language(lang).english_name
        said = {
            "language_choice": language_menu(
                [hub.texts[x].messages["language_choice"] for x in hub.languages]
            )[index - 1],
            "topic_menu": topic_menu(texts.messages, titles_of[lang]),
            "after_hours": after_hours(texts.messages),
        }
        for prompt in VOICE_PROMPTS:
            url = texts.audio.get(prompt)
            items.append(
                _recording(f"{prompt} ({name})", said.get(prompt, texts.messages.get(prompt, "")), url)
            )
        for topic in hub.topics:
            if topic.self_service and topic.id in texts.answers:
                url = texts.answer_audio.get(topic.id)
                items.append(_recording(f"answer to {topic.id} ({name})", texts.answers[topic.id], url))
    if not items:
        return []
    intro = "Twilio has no voice for these languages: record each prompt word for word, as an MP3 the config names."
    return [Section("Recordings", tuple(items), intro=intro)]


def _recording(what: str, text: str, url: str | None) -> Item:
    status: Status = "done" if url else "to do"
    found = f"the config plays {url}" if url else "no recording named in the config yet"
    return Item(f"Record {what}: read “{text}”", status, found)


def _hours(hub: HubConfig, today: date) -> Section:
    weekly = tuple(
        (DAY_NAMES[day], ", ".join(s.label() for s in shifts) or "closed")
        for day, shifts in zip(DAY_KEYS, hub.hours.weekly, strict=True)
    )
    first = today.replace(day=1)
    starts = [first]
    for _ in range(11):  # twelve months from this one
        starts.append((starts[-1] + timedelta(days=32)).replace(day=1))
    end = (starts[-1] + timedelta(days=32)).replace(day=1)
    closed = closed_dates(hub.hours, years=list(range(today.year, end.year + 1)))
    months = tuple(
        Month(
            start,
            tuple(sorted((d, why) for d, why in closed.items() if start <= d < following and d >= today)),
        )
        for start, following in zip(starts, [*starts[1:], end], strict=True)
    )
    rule = hub.hours.holidays
    intro = f"Times are {hub.timezone}. " + (
        f"Closed on the public holidays of {rule.country} (the holidays library)"
        + ("" if rule.observed else ", observed days left out")
        if rule
        else "Public holidays do not close the hub"
    )
    intro += "; the closures of the config are listed with them. Callers are told the hub is closed and why."
    return Section(
        "Opening hours and holidays, the next 12 months", intro=intro, weekly=weekly, months=tuple(months)
    )


def _data_protection(hub: HubConfig) -> Section:
    days = hub.service.retention_days
    notes = (
        "The hub service keeps one feedback record per contact: channel, language, topic, feedback type, "
        "sensitivity, status, its times and the promise's deadline, and the person as a keyed pseudonym (the key "
        "in the variable hub.person_key_env names), never their number or address.",
        "Of each Conversations message it keeps who wrote it and when, never its text; a webhook event's content "
        "is cleared once it is processed; recordings and transcripts stay in Twilio, the record holds their SIDs.",
        *(
            ("The Viber bridge keeps each person's Viber id, to send the replies, beside the pseudonym.",)
            if "viber" in hub.channels.enabled
            else ()
        ),
        f"Records, messages, events and Viber ids older than {days} days are deleted (hub.retention_days: {days}).",
        "Sensitive records are shown only to the roles marked sensitive: "
        + (", ".join(n for n, r in hub.service.roles.items() if r.sensitive) or "none configured")
        + ".",
        "Tell people how long their contact is kept and who sees it (the Society's privacy notice), and record "
        "the processing in its data protection register.",
    )
    return Section("Data protection", tuple(Item(n) for n in notes))


def _skill_means(hub: HubConfig, skill: str) -> str:
    from deh_deploy.render.skills import of

    skills = of(hub)
    for lang in hub.languages:
        if skills.language(lang) == skill:
            return f"speak {language(lang).english_name}"
    for channel in hub.channels.enabled:
        if skills.comm(channel) == skill:
            return f"answer {CHANNEL_NAMES[channel]}"
    return "work in every queue" if skill == skills.everyone else "the queues asking for it need"


def _described(spec: NumberSpec) -> str:
    how = f", matching {spec.contains}" if spec.contains else ""
    how += f", area code {spec.area_code}" if spec.area_code else ""
    return f"{spec.type} number in {spec.country}{how}"


def _setting(hub: HubConfig, channel: str, name: str) -> list[str] | str | None:
    settings: Any = hub.channels.settings.get(channel)  # type: ignore[call-overload,unused-ignore]
    value = settings.get(name) if isinstance(settings, Mapping) else getattr(settings, name, None)
    return list(value) if isinstance(value, tuple) else value


class _Item(Protocol):  # build's item(): a check id, the text, a detail
    def __call__(self, check: str, text: str, detail: str = "") -> Item: ...
