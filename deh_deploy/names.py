"""How deh-deploy names what it owns. Ownership is recognised by these names and nothing else, and exactly: no
name another hub (another slug or environment) makes can be read as ours.

Slugs are ``[a-z][a-z0-9-]*`` and environments ``staging`` or ``production``, so:

- friendly names ``DEH <slug> <env> …`` are exact because a slug holds no space;
- the unique name ``deh-<slug>-<env>`` is exact only as a whole (``deh-a-staging-production`` is the slug
  ``a-staging``), so it is compared whole and never as a prefix;
- template names allow ``[a-z0-9_]`` only, where a slug's ``-`` becomes ``_`` and no character is left to end a
  slug; the slug's length is written first instead (``deh7_hungary_staging_…``), which ends it exactly.
"""

from __future__ import annotations

import re

from deh_deploy import legacy_names

MAX_FRIENDLY = 64  # TaskRouter, Messaging Service and Studio friendly names
HOURS_VARIABLE = "DEH_HOURS"  # the config's opening hours in its own terms (deh_deploy/hours/record.py)
NUMBERS_VARIABLE = "DEH_NUMBERS"  # ``<number id>=<PN sid> …``, the numbers the hub bought (450 bytes at most)
VARIABLE_BYTES = (
    450  # a Serverless Variable's value at most (twilio_serverless_v1.json, CreateVariable's Value)
)
SID_LENGTH = 34  # two letters and 32 hex digits
_TEMPLATE = re.compile(r"deh(?P<length>[1-9][0-9]*)_(?P<rest>.*)", re.DOTALL)
_VERSION = re.compile(r"(?P<base>.+)_v(?P<number>[1-9][0-9]*)", re.DOTALL)


def numbers_record(sids: dict[str, str]) -> str:
    """The value of ``DEH_NUMBERS``: ``<number id>=<SID>`` for each number the hub bought, in id order."""
    return " ".join(f"{key}={sids[key]}" for key in sorted(sids))


def numbers_record_bytes(ids: list[str]) -> int:
    """How long ``DEH_NUMBERS`` will be once the numbers are bought: validate knows before any SID exists."""
    return len(numbers_record({key: "P" * SID_LENGTH for key in ids}).encode())


def prefix(slug: str, env: str) -> str:
    """``DEH hungary staging`` — the friendly-name prefix of everything this hub owns."""
    return f"DEH {slug} {env}"


def friendly(slug: str, env: str, name: str) -> str:
    return f"{prefix(slug, env)} {name}"[:MAX_FRIENDLY]


def unique(slug: str, env: str) -> str:
    """``deh-hungary-staging`` — the Serverless service's unique name, owned only when equal as a whole."""
    return f"deh-{slug}-{env}"


def template_prefix(slug: str, env: str) -> str:
    """``deh7_hungary_staging_`` — the slug's length makes the prefix end where the slug ends."""
    return f"deh{len(slug)}_{slug.replace('-', '_')}_{env}_"


def template_name(slug: str, env: str, template: str, language: str) -> str:
    """WhatsApp template names allow lowercase letters, digits and underscores only."""
    return f"{template_prefix(slug, env)}{template}_{language}".replace("-", "_").lower()


def legacy_template_name(name: str) -> str | None:
    """The name a template had before the slug's length was written into it (``deh_hungary_staging_…``), for
    recognising a hub deployed under those names; None when ``name`` is not a template name of today's form."""
    match = _TEMPLATE.fullmatch(name)
    if not match:
        return None
    length, rest = int(match["length"]), match["rest"]
    if len(rest) <= length or rest[length] != "_":
        return None
    return f"deh_{rest}"


def template_version(name: str, number: int) -> str:
    """The name of a template's ``number``-th version: the first keeps the name, later ones add ``_v<number>``.
    Names end in a language subtag otherwise, and none is ``v`` and digits, so the suffix is never ambiguous."""
    return name if number == 1 else f"{name}_v{number}"


def template_version_of(name: str) -> tuple[str, int]:
    """``(first version's name, number)`` of a template name: ``…_uk_v3`` is version 3 of ``…_uk``."""
    match = _VERSION.fullmatch(name)
    if match and int(match["number"]) > 1:
        return match["base"], int(match["number"])
    return name, 1


def template_today(slug: str, env: str, name: str) -> str:
    """A template name in today's form: an old-form name this hub made (``deh_hungary_staging_…``) is written
    with the slug's length, so that its later versions (always made in today's form) are known as its own."""
    old = legacy_names.template_prefix(slug, env)
    if name.startswith(old) and legacy_names.owns_template(slug, env, name):
        return template_prefix(slug, env) + name[len(old) :]
    return name


def owns(slug: str, env: str, name: str | None) -> bool:
    """Whether a live resource's name says this hub and environment made it."""
    if not name:
        return False
    return (
        name == prefix(slug, env)
        or name.startswith(prefix(slug, env) + " ")
        or name == unique(slug, env)
        or name.startswith(template_prefix(slug, env))
        or legacy_names.owns_template(slug, env, name)
    )
