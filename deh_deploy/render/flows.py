"""The hub's two Studio flows: the voice IVR and the messaging flow.

Both follow the same path, per language after the language choice:

    language menu → hours check (run-function, fails closed) → open:   welcome, topic menu → answer and/or agent
                                                              → closed: after-hours reply with the promise →
                                                                        voicemail (voice) or a callback task (messages)

Every path ends in one of four ways, recorded in ``flow.variables.end`` or by the hand-off itself: ``agent``
(send-to-flex), ``voicemail``, ``self_service`` or ``after_hours``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from deh_deploy import channels, messages
from deh_deploy.config.model import HubConfig, Texts, Topic
from deh_deploy.i18n import speech_language
from deh_deploy.render.desired import Joined, Ref, join, ref
from deh_deploy.render.flowkit import Flow, Heard, cond
from deh_deploy.render.replies import SPEECH_REPLY, TEXT_REPLY, choices, language_names
from deh_deploy.render.wiring import recording_callback

LANGUAGE_PROMPT_TIMEOUT = 2  # seconds between one language's prompt and the next
MESSAGE_REPLY_TIMEOUT = 3600  # seconds a messaging menu waits for a reply


def functions(hub: HubConfig, env: str, name: str) -> dict[str, Ref | Joined]:
    """run-function properties for one of the hub's Serverless functions: references, filled in at apply."""
    return {
        "service_sid": ref("serverless.service", "hub", "sid"),
        "environment_sid": ref("serverless.environment", env, "sid"),
        "function_sid": ref("serverless.function", name, "sid"),
        "url": join("https://", ref("serverless.environment", env, "domain_name"), f"/{name}"),
    }


def _task_attributes(*, channel: str, language: str, from_: str) -> dict[str, str]:
    return {
        "type": "inbound",
        "name": from_,
        "from": from_,
        "channel": channel,
        "language": language,
        "topic": "{{flow.variables.topic}}",
        "queue": "{{flow.variables.queue}}",
        "feedback_type": "{{flow.variables.feedback}}",
        "sensitive": "{{flow.variables.sensitive}}",
    }


def _topic_vars(topic: Topic | None, hub: HubConfig) -> dict[str, str]:
    if topic is None:
        return {
            "topic": "unspecified",
            "queue": hub.routing.default_queue,
            "feedback": "question",
            "sensitive": "false",
        }
    return {
        "topic": topic.id,
        "queue": topic.queue,
        "feedback": topic.feedback,
        "sensitive": "true" if topic.sensitive else "false",
    }


def _titles(texts: Texts, hub: HubConfig) -> list[str]:
    return [texts.titles[t.id] for t in hub.topics]


def _menu(texts: Texts, hub: HubConfig) -> str:
    return messages.topic_menu(texts.messages, _titles(texts, hub))


def _language_menu(hub: HubConfig) -> list[str]:
    return messages.language_menu([hub.texts[lang].messages["language_choice"] for lang in hub.languages])


def _after_hours(texts: Texts) -> str:
    return messages.after_hours(texts.messages)


def _hours_check(f: Flow, hub: HubConfig, env: str, lang: str, *, channel: str, open_next: str) -> None:
    """Set the language, ask the hours Function, and branch: open → ``open_next``; closed or failing → closed."""
    f.set_vars(f"set_lang_{lang}", {"lang": lang}, next_=f"hours_{lang}")
    f.function(
        f"hours_{lang}",
        fn=functions(hub, env, "hours"),
        parameters={"channel": channel},
        success=f"is_open_{lang}",
        fail=f"closed_{lang}",
    )
    is_open = f"{{{{widgets.hours_{lang}.parsed.open}}}}"
    f.split(
        f"is_open_{lang}",
        input_=is_open,
        matches=[(cond("true", argument=is_open), open_next)],
        no_match=f"closed_{lang}",
    )


def _topic_pick(f: Flow, hub: HubConfig, lang: str, *, reply: str) -> None:
    """Branch on the topic the person gave: its number in any common script, or its title, in any case;
    anything else is an invalid choice."""
    titles = hub.texts[lang].titles
    f.split(
        f"pick_topic_{lang}",
        input_=reply,
        matches=[
            (
                cond(
                    choices(
                        i, (titles[topic.id],), languages=hub.languages, country=hub.country, spoken=False
                    ),
                    kind="matches_any_of",
                    name=topic.id,
                    argument=reply,
                ),
                f"topic_{lang}_{topic.id}",
            )
            for i, topic in enumerate(hub.topics, start=1)
        ],
        no_match=f"invalid_{lang}",
    )


def _topic_branches(
    f: Flow, hub: HubConfig, lang: str, *, to_agent: str, answer: Callable[[str, Topic, str], object]
) -> None:
    """Per topic: record it in flow variables, give the self-service answer, then hand over or thank."""
    f.set_vars(f"topic_{lang}_unspecified", _topic_vars(None, hub), next_=to_agent)
    for topic in hub.topics:
        after = to_agent if topic.agent else f"thanks_{lang}"
        first = f"answer_{lang}_{topic.id}" if topic.self_service else after
        f.set_vars(f"topic_{lang}_{topic.id}", _topic_vars(topic, hub), next_=first)
        if topic.self_service:
            answer(f"answer_{lang}_{topic.id}", topic, after)
    f.set_vars(f"end_self_service_{lang}", {"end": "self_service"}, next_="")


def _heard(hub: HubConfig, lang: str, next_: str, names: list[tuple[str, ...]]) -> Heard | None:
    """Speech input for a voice menu in ``lang``, when the config turns it on and Twilio recognises the language."""
    assert hub.channels.voice is not None
    code = speech_language(lang, country=hub.country)
    if not hub.channels.voice.speech or code is None:
        return None
    words = [str(i) for i in range(1, len(names) + 1)] + [n for group in names for n in group]
    return Heard(code, ", ".join(dict.fromkeys(w.replace(",", " ")[:100] for w in words)), next_)


def _choice(hub: HubConfig, n: int, names: tuple[str, ...], *, name: str, argument: str) -> dict[str, Any]:
    value = choices(n, names, languages=hub.languages, country=hub.country, spoken=True)
    return cond(value, kind="matches_any_of", name=name, argument=argument)


def voice_flow(hub: HubConfig, env: str) -> dict[str, Any]:
    assert hub.channels.voice is not None
    voice = hub.channels.voice
    f = Flow(f"DEH {hub.slug} {env}: voice IVR")
    langs = hub.languages
    f.add(
        "Trigger",
        "trigger",
        {},
        [
            {"event": "incomingMessage", "next": ""},
            {"event": "incomingCall", "next": "lang_1" if len(langs) > 1 else f"set_lang_{langs[0]}"},
            {"event": "incomingConversationMessage", "next": ""},
            {"event": "incomingRequest", "next": ""},
        ],
    )
    if len(langs) > 1:
        prompts = _language_menu(hub)
        for n, lang in enumerate(langs, start=1):
            last = n == len(langs)
            digits = f"{{{{widgets.lang_{n}.Digits}}}}"
            f.gather(
                f"lang_{n}",
                text=prompts[n - 1],
                language=lang,
                audio=hub.texts[lang].audio.get("language_choice"),
                timeout=voice.gather_timeout if last else LANGUAGE_PROMPT_TIMEOUT,
                keypress=f"pick_lang_{n}",
                on_timeout=f"set_lang_{langs[0]}" if last else f"lang_{n + 1}",
                heard=_heard(hub, lang, f"heard_lang_{n}", [language_names(c) for c in langs]),
            )
            if _heard(hub, lang, "", []):
                said = f"{{{{widgets.lang_{n}.SpeechResult{SPEECH_REPLY}}}}}"
                f.split(
                    f"heard_lang_{n}",
                    input_=said,
                    matches=[
                        (_choice(hub, i, language_names(c), name=c, argument=said), f"set_lang_{c}")
                        for i, c in enumerate(langs, start=1)
                    ],
                    no_match=f"set_lang_{langs[0]}" if last else f"lang_{n + 1}",
                )
            f.split(
                f"pick_lang_{n}",
                input_=digits,
                matches=[
                    (cond(str(i), name=choice, argument=digits), f"set_lang_{choice}")
                    for i, choice in enumerate(langs, start=1)
                ],
                no_match=f"set_lang_{langs[0]}",
            )
    for lang in langs:
        _voice_language(f, hub, env, lang)
    return f.definition()


def _voice_language(f: Flow, hub: HubConfig, env: str, lang: str) -> None:
    assert hub.channels.voice is not None
    voice = hub.channels.voice
    t = hub.texts[lang]
    audio = t.audio.get
    _hours_check(f, hub, env, lang, channel="voice", open_next=f"welcome_{lang}")
    # open
    f.say(
        f"welcome_{lang}",
        text=t.messages["welcome"],
        language=lang,
        audio=audio("welcome"),
        next_=f"topics_{lang}",
    )
    f.gather(
        f"topics_{lang}",
        text=_menu(t, hub),
        language=lang,
        audio=audio("topic_menu"),
        timeout=voice.gather_timeout,
        keypress=f"pick_topic_{lang}",
        on_timeout=f"invalid_{lang}",
        heard=_heard(hub, lang, f"heard_topic_{lang}", [(t.titles[topic.id],) for topic in hub.topics]),
    )
    _topic_pick(f, hub, lang, reply=f"{{{{widgets.topics_{lang}.Digits}}}}")
    if _heard(hub, lang, "", []):
        said = f"{{{{widgets.topics_{lang}.SpeechResult{SPEECH_REPLY}}}}}"
        f.split(
            f"heard_topic_{lang}",
            input_=said,
            matches=[
                (
                    _choice(hub, i, (t.titles[topic.id],), name=topic.id, argument=said),
                    f"topic_{lang}_{topic.id}",
                )
                for i, topic in enumerate(hub.topics, start=1)
            ],
            no_match=f"invalid_{lang}",
        )
    f.say(
        f"invalid_{lang}",
        text=t.messages["invalid_choice"],
        language=lang,
        audio=audio("invalid_choice"),
        next_=f"topic_{lang}_unspecified",
    )
    _topic_branches(
        f,
        hub,
        lang,
        to_agent=f"wait_{lang}",
        answer=lambda name, topic, after: f.say(
            name, text=t.answers[topic.id], language=lang, audio=t.answer_audio.get(topic.id), next_=after
        ),
    )
    f.say(
        f"thanks_{lang}",
        text=t.messages["thanks"],
        language=lang,
        audio=audio("thanks"),
        next_=f"end_self_service_{lang}",
    )
    f.say(
        f"wait_{lang}",
        text=t.messages["queue_wait"],
        language=lang,
        audio=audio("queue_wait"),
        next_=f"agent_{lang}",
    )
    f.flex(
        f"agent_{lang}",
        workflow=ref("taskrouter.workflow", "hub", "sid"),
        channel=ref("taskrouter.task_channel", channels.get("voice").task_channel, "sid"),
        attributes=_task_attributes(channel="voice", language=lang, from_="{{trigger.call.From}}"),
        fail=f"closed_{lang}",
    )
    # closed, or the hours check failed: fail closed, keep the promise through voicemail
    f.say(
        f"closed_{lang}",
        text=_after_hours(t),
        language=lang,
        audio=audio("after_hours"),
        next_=f"vm_prompt_{lang}",
    )
    f.say(
        f"vm_prompt_{lang}",
        text=t.messages["voicemail_prompt"],
        language=lang,
        audio=audio("voicemail_prompt"),
        next_=f"record_{lang}",
    )
    assert hub.channels.voice is not None
    f.record(
        f"record_{lang}",
        max_length=voice.voicemail_max_length,
        transcribe=voice.transcribe,
        complete=f"callback_{lang}",
        no_audio=f"end_after_hours_{lang}",
        # The transcript arrives after the call; the callback function adds it to the task of this call.
        transcription_callback=join(functions(hub, env, "callback")["url"], "?type=transcript"),
        # With the hub service's public URL, the recording's status goes to it: a completed recording is a
        # feedback record even when the callback function fails (render/wiring.py).
        recording_status_callback=recording_callback(hub, env),
    )
    f.function(
        f"callback_{lang}",
        fn=functions(hub, env, "callback"),
        parameters={
            "type": "voicemail",
            "channel": "voice",
            "language": lang,
            "from": "{{trigger.call.From}}",
            "recording_url": f"{{{{widgets.record_{lang}.RecordingUrl}}}}",
            "call_sid": "{{trigger.call.CallSid}}",
            "transcript": "",
        },
        success=f"vm_thanks_{lang}",
        fail=f"vm_thanks_{lang}",
    )
    f.say(
        f"vm_thanks_{lang}",
        text=t.messages["voicemail_thanks"],
        language=lang,
        audio=audio("voicemail_thanks"),
        next_=f"end_voicemail_{lang}",
    )
    f.set_vars(f"end_voicemail_{lang}", {"end": "voicemail"}, next_="")
    f.set_vars(f"end_after_hours_{lang}", {"end": "after_hours"}, next_="")


def channel_of() -> str:
    """Liquid naming the channel of whoever writes, from their address as Twilio gives it.

    Channels with an address prefix are told apart first (a WhatsApp sender ``whatsapp:+36…`` also holds a
    ``+``), then those recognised by another mark (an SMS sender's bare E.164 number); the channel with no mark
    (web chat) is what is left.
    """
    served = channels.messaging()
    marked = [c for c in served if c.prefix] + [c for c in served if c.mark and not c.prefix]
    fallback = "".join(c.name for c in served if not c.mark)  # the table allows one at most
    if not marked:
        return fallback
    tests = "".join(
        f"{{% {'if' if i == 0 else 'elsif'} a contains '{c.mark}' %}}{c.name}" for i, c in enumerate(marked)
    )
    otherwise = f"{{% else %}}{fallback}" if fallback else ""
    return (
        "{% assign a = trigger.message.From | append: trigger.conversation.Author %}"
        f"{tests}{otherwise}{{% endif %}}"
    )


FROM_OF = "{{trigger.message.From}}{{trigger.conversation.Author}}"


def messaging_flow(hub: HubConfig, env: str) -> dict[str, Any]:
    f = Flow(f"DEH {hub.slug} {env}: messaging")
    langs = hub.languages
    f.add(
        "Trigger",
        "trigger",
        {},
        [
            {"event": "incomingMessage", "next": ""},  # messaging enters by Conversations only
            {"event": "incomingCall", "next": ""},
            {"event": "incomingConversationMessage", "next": "contact"},
            {"event": "incomingRequest", "next": ""},
        ],
    )
    start = "language_menu" if len(langs) > 1 else f"set_lang_{langs[0]}"
    f.set_vars("contact", {"channel": channel_of(), "from": FROM_OF}, next_=start)
    if len(langs) > 1:
        f.ask(
            "language_menu",
            body="\n".join(_language_menu(hub)),
            timeout=MESSAGE_REPLY_TIMEOUT,
            reply="pick_lang",
            on_timeout=f"set_lang_{langs[0]}",
        )
        arg = f"{{{{widgets.language_menu.inbound.Body{TEXT_REPLY}}}}}"
        f.split(
            "pick_lang",
            input_=arg,
            matches=[
                (
                    cond(
                        choices(
                            i,
                            (lang, *language_names(lang)),
                            languages=langs,
                            country=hub.country,
                            spoken=False,
                        ),
                        kind="matches_any_of",
                        name=lang,
                        argument=arg,
                    ),
                    f"set_lang_{lang}",
                )
                for i, lang in enumerate(langs, 1)
            ],
            no_match=f"set_lang_{langs[0]}",
        )
    for lang in langs:
        _messaging_language(f, hub, env, lang)
    return f.definition()


def _templates(hub: HubConfig, lang: str) -> dict[str, Ref]:
    """The approved message templates an agent answers a callback with once WhatsApp's 24-hour window has
    closed, by SID: ``template_<id>`` is the version of template ``<id>`` in use, in the caller's language."""
    return {f"template_{t.id}": ref("content.template", f"{t.id}.{lang}", "sid") for t in hub.templates}


def _messaging_language(f: Flow, hub: HubConfig, env: str, lang: str) -> None:
    t = hub.texts[lang]
    _hours_check(f, hub, env, lang, channel="{{flow.variables.channel}}", open_next=f"topics_{lang}")
    f.ask(
        f"topics_{lang}",
        body=messages.welcome_and_menu(t.messages, _titles(t, hub)),
        timeout=MESSAGE_REPLY_TIMEOUT,
        reply=f"pick_topic_{lang}",
        on_timeout=f"topic_{lang}_unspecified",
    )
    _topic_pick(f, hub, lang, reply=f"{{{{widgets.topics_{lang}.inbound.Body{TEXT_REPLY}}}}}")
    f.send(f"invalid_{lang}", body=t.messages["invalid_choice"], next_=f"topic_{lang}_unspecified")
    _topic_branches(
        f,
        hub,
        lang,
        to_agent=f"handoff_{lang}",
        answer=lambda name, topic, after: f.send(name, body=t.answers[topic.id], next_=after),
    )
    f.send(f"thanks_{lang}", body=t.messages["thanks"], next_=f"end_self_service_{lang}")
    f.send(f"handoff_{lang}", body=t.messages["handoff"], next_=f"agent_{lang}")
    f.flex(
        f"agent_{lang}",
        workflow=ref("taskrouter.workflow", "hub", "sid"),
        channel=ref("taskrouter.task_channel", channels.messaging()[0].task_channel, "sid"),  # one for all
        attributes=_task_attributes(
            channel="{{flow.variables.channel}}", language=lang, from_="{{flow.variables.from}}"
        ),
        fail=f"closed_{lang}",
    )
    f.send(f"closed_{lang}", body=_after_hours(t), next_=f"callback_{lang}")
    f.function(
        f"callback_{lang}",
        fn=functions(hub, env, "callback"),
        parameters={
            "type": "message",
            "channel": "{{flow.variables.channel}}",
            "language": lang,
            "from": "{{flow.variables.from}}",
            "recording_url": "",
            "transcript": "",
            **_templates(hub, lang),
        },
        success=f"end_after_hours_{lang}",
        fail=f"end_after_hours_{lang}",
    )
    f.set_vars(f"end_after_hours_{lang}", {"end": "after_hours"}, next_="")
