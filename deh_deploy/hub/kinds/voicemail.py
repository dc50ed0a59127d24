"""Voicemail callbacks of the Record Voicemail widget: the recording status and the transcription.

A completed recording is a voicemail, and so a feedback record, even when the callback Function that would create
its call-back task failed: the promise holds either way. The record is keyed by the recording SID, the same key
the call-back task's attributes lead to, so both merge into one record. The transcript's text is never stored.
"""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from sqlalchemy import Connection

from deh_deploy.hub.kinds import Kind, Params, register, without
from deh_deploy.hub.records import Contact, Context, save, touch


def _recording_key(params: Params) -> str | None:
    sid = params.get("RecordingSid")
    return f"{sid}:{params.get('RecordingStatus', '')}" if sid else None


def _transcription_key(params: Params) -> str | None:
    sid = params.get("TranscriptionSid")
    return str(sid) if sid else None


def _as_is(params: Params) -> dict[str, Any]:
    return dict(params)


def _without_text(params: Params) -> dict[str, Any]:
    return without(params, "TranscriptionText")


def _started(params: Params, fallback: datetime) -> datetime:
    try:
        value = parsedate_to_datetime(str(params.get("RecordingStartTime") or ""))
    except (TypeError, ValueError):
        return fallback
    return value if value.tzinfo is not None else fallback


def _voicemail(params: Params, ctx: Context, *, transcript: bool) -> Contact:
    recording = str(params["RecordingSid"])
    return Contact(
        key=f"voicemail:{recording}",
        reason="voicemail",
        created_at=_started(params, ctx.now),
        channel="voice",
        call_sid=str(params["CallSid"]) if params.get("CallSid") else None,
        recording_sid=recording,
        has_recording=True,
        has_transcript=transcript,
    )


def _recording(conn: Connection, params: Params, ctx: Context) -> bool:
    if params.get("RecordingStatus") != "completed" or not params.get("RecordingSid"):
        return False
    save(conn, touch(conn, _voicemail(params, ctx, transcript=False), ctx), ctx)
    return True


def _transcription(conn: Connection, params: Params, ctx: Context) -> bool:
    if not params.get("RecordingSid"):
        return False
    done = params.get("TranscriptionStatus") == "completed"
    save(conn, touch(conn, _voicemail(params, ctx, transcript=done), ctx), ctx)
    return True


RECORDING = register(
    Kind(
        name="recording",
        provider="twilio",
        path="/twilio/recording",
        key=_recording_key,
        minimise=_as_is,
        process=_recording,
    )
)
TRANSCRIPTION = register(
    Kind(
        name="transcription",
        provider="twilio",
        path="/twilio/transcription",
        key=_transcription_key,
        minimise=_without_text,
        process=_transcription,
    )
)
