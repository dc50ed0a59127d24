"""Check a hub document against ``schemas/hub.schema.json`` and point each error at its YAML position."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator

from deh_deploy import channels
from deh_deploy.channels.schema import publish, publish_scenarios
from deh_deploy.config.document import Document
from deh_deploy.diagnostics import Diagnostic

if TYPE_CHECKING:
    from deh_deploy.channels.definition import Channel

SCHEMA_FILE = "hub.schema.json"
LISTED_KEYS = 10  # unknown keys named after the first; the rest are counted, so the line stays readable


def schema_path() -> Path:
    """The published schema: in the source tree, or installed beside the package."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent.parent / "schemas" / SCHEMA_FILE, here.parent / "data" / SCHEMA_FILE):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(SCHEMA_FILE)


@cache
def published_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(schema_path().read_text(encoding="utf-8"))
    return data


# Every pattern of the published schema starts with this guard: JSON Schema's patterns are ECMA-262, where ``$``
# is the end of the text, but Python's ``re`` (which plain jsonschema uses) also lets ``$`` match before a final
# newline. The guard refuses a newline anywhere, the same in both.
NO_NEWLINE = "(?!.*\\n)"


def _finite_number(checker: Any, instance: Any) -> bool:
    """JSON has no NaN or infinity, but YAML does (``.nan``, ``.inf``, ``1e999``): those are not numbers here,
    so no ``minimum`` or ``maximum`` is ever compared with them (a comparison with NaN is always false)."""
    return bool(Draft202012Validator.TYPE_CHECKER.is_type(instance, "number") and math.isfinite(instance))


# Whatever a pattern says, a value it constrains (an id, a code, a SID, a date, an address) holds no line break:
# this covers patterns written without the guard, and line breaks other than "\n" that "." lets through.
_LINE_BREAK = re.compile("[\n\r\v\f\x85\u2028\u2029]")


def _pattern(validator: Validator, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and (
        _LINE_BREAK.search(instance) or not re.search(pattern, instance)
    ):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# Draft 2020-12 as deh validate applies it: finite numbers only, and no line break in a patterned value.
HubValidator: type[Draft202012Validator] = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator,
    validators={"pattern": _pattern},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("number", _finite_number),
)


def _validator() -> Draft202012Validator:
    return _validator_for(channels.table())


@lru_cache(maxsize=4)
def _validator_for(table: tuple[Channel, ...]) -> Draft202012Validator:
    return HubValidator(hub_schema(table))


def hub_schema(table: tuple[Channel, ...]) -> dict[str, Any]:
    """The published schema with its channel parts from the channel table (a channel registered at run time is
    checked too), and included translation files checked in full as objects."""
    schema = publish(published_schema(), table)
    translations = {
        **schema["properties"]["translations"],
        "additionalProperties": {
            "if": {"type": "object"},
            "then": {"$ref": "#/$defs/translation"},
            "else": {"type": "string"},
        },
    }
    schema["properties"] = {**schema["properties"], "translations": translations}
    return schema


# What each pattern of the schema means, for people.
PATTERN_FORMS = {
    r"^\+[1-9][0-9]{6,14}$": "an E.164 phone number such as +3612345678",
    r"^([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$": "a shift HH:MM-HH:MM such as 08:00-16:00",
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "a date YYYY-MM-DD",
    r"^[a-z][a-z0-9_]{0,39}$": "an id of lowercase letters, digits and _ starting with a letter",
    r"^[A-Z][A-Z0-9_]{0,127}$": "an environment variable name such as TWILIO_AUTH_TOKEN",
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$": "a BCP-47 language tag such as uk or pt-BR",
    r"^AC[0-9a-f]{32}$": "a Twilio account SID (AC and 32 hex digits)",
    r"^BU[0-9a-f]{32}$": "a regulatory bundle SID (BU and 32 hex digits)",
    r"^AD[0-9a-f]{32}$": "an address SID (AD and 32 hex digits)",
    r"^[A-Z]{2}$": "an ISO 3166 country code such as HU",
    r"^[a-z][a-z0-9-]{1,23}$": "a slug of 2-24 lowercase letters, digits and dashes",
    r"^https://.+$": "an https:// address",
}


def check_schema(doc: Document, validator: Draft202012Validator | None = None) -> list[Diagnostic]:
    """Every schema error of a document (the hub schema unless another validator is given), with positions."""
    return [_diagnostic(doc, error) for error in _errors(doc.data, validator or _validator())]


def scenario_validator() -> Draft202012Validator:
    """scenario.schema.json with the channel names of the channel table, as ``deh test`` checks scenarios."""
    return _scenario_validator_for(channels.table())


@lru_cache(maxsize=4)
def _scenario_validator_for(table: tuple[Channel, ...]) -> Draft202012Validator:
    return HubValidator(publish_scenarios(_sibling("scenario.schema.json"), table))


def _sibling(file_name: str) -> dict[str, Any]:
    """Another published schema beside hub.schema.json."""
    data: dict[str, Any] = json.loads((schema_path().parent / file_name).read_text(encoding="utf-8"))
    return data


def _errors(data: Any, validator: Draft202012Validator) -> Iterator[ValidationError]:
    for error in validator.iter_errors(data):
        if error.validator in ("oneOf", "anyOf") and error.context and not _is_choice_of_keys(error):
            yield best_match(error.context)
        elif error.validator == "if":
            continue  # reported through the "then" branch's own errors
        else:
            yield error


def _is_choice_of_keys(error: ValidationError) -> bool:
    options = error.validator_value
    return isinstance(options, list) and all(set(o) == {"required"} for o in options)


def _diagnostic(doc: Document, error: ValidationError) -> Diagnostic:
    path = tuple(error.absolute_path)
    validator = error.validator
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        return _unknown_key(doc, path, error)
    if validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else str(error.message)
        return doc.at(path, f"missing required key {missing!r}", prefer_key=True)
    if validator == "propertyNames":
        return doc.at(path, f"key {_clip(error.instance)}: {_short(error)}", prefer_key=True)
    if validator in ("oneOf", "anyOf") and _is_choice_of_keys(error):
        keys = " or ".join(repr(o["required"][0]) for o in _value(error))
        return doc.at(path, f"needs exactly one of {keys}")
    if validator == "pattern" and isinstance(error.instance, str):
        if found := lookalike(error.instance, _pattern_of(error)):
            index, message = found
            return doc.at_char(path, error.instance, index, message)
        if _pattern_of(error) == E164:
            return doc.at(path, f"{_clip(error.instance)} is not {_phone_form(doc)}")
        if _pattern_of(error) == LANGUAGE_TAG and (meant := _language_meant(error.instance)):
            return doc.at(path, f"{_clip(error.instance)} is not {PATTERN_FORMS[LANGUAGE_TAG]}; {meant}")
    if validator == "type":
        return doc.at(path, typed(error))
    return doc.at(path, _short(error))


E164 = r"^\+[1-9][0-9]{6,14}$"


LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


def _language_meant(text: str) -> str | None:
    """ "did you mean 'tr'?" for a language written by its name (Turkish) or a country code in capitals (UA)."""
    from deh_deploy import i18n

    found = i18n.suggest(text)
    return f"did you mean {found[0]!r}?" if found else None


def _pattern_of(error: ValidationError) -> str:
    return str(error.validator_value).replace(NO_NEWLINE, "", 1)


def _phone_form(doc: Document) -> str:
    """The E.164 form with an example from the Society's own country (a Moldovan hub gets a Moldovan number)."""
    from deh_deploy import phones

    society = doc.data.get("society") if isinstance(doc.data, dict) else None
    country = society.get("country") if isinstance(society, dict) else None
    example = phones.example(country) if isinstance(country, str) else None
    return f"an E.164 phone number such as {example or '+3612345678'}"


def _unknown_key(doc: Document, path: tuple[str | int, ...], error: ValidationError) -> Diagnostic:
    schema = error.schema if isinstance(error.schema, dict) else {}
    known = list(schema.get("properties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    extras = [k for k in instance if k not in known]
    key = extras[0] if extras else "?"
    import difflib

    hint = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    message = f"unknown key {_clip(key)}"
    message += (
        f"; did you mean {hint[0]!r}?"
        if hint
        else (f"; expected one of: {', '.join(known)}" if known else "")
    )
    if len(extras) > 1:
        listed = ", ".join(_clip(k) for k in extras[1 : 1 + LISTED_KEYS])
        rest = len(extras) - 1 - LISTED_KEYS
        summary = f" … and {rest:,} more" if rest > 0 else ""
        message += f" (and {len(extras) - 1:,} more unknown: {listed}{summary})"
    return doc.at((*path, key), message, prefer_key=True)


def _value(error: ValidationError) -> list[Any]:
    """The keyword's value where it is a list (enum, oneOf)."""
    value = error.validator_value
    return list(value) if isinstance(value, list) else []


def _short(error: ValidationError) -> str:
    """jsonschema's messages, made shorter where they would repeat whole values."""
    v = error.validator
    if v == "pattern":
        pattern = str(error.validator_value).replace(NO_NEWLINE, "", 1)
        form = PATTERN_FORMS.get(pattern, f"the form {pattern}")
        return f"{_clip(error.instance)} is not {form}"
    if v == "enum":
        return f"{_clip(error.instance)} is not one of: {', '.join(map(str, _value(error)))}"
    if v == "type" and isinstance(error.instance, float) and not math.isfinite(error.instance):
        return _not_finite(error)
    if v == "type":
        return typed(error)
    if v == "const":
        return f"must be {error.validator_value!r}"
    if v in ("maxItems", "maxProperties", "minItems", "minProperties", "maxLength", "minLength"):
        if " is " not in error.message:
            return str(error.message)  # newer jsonschema messages already name the value
        return f"{_clip(error.instance)}: {error.message.split(' is ', 1)[-1]}"
    return str(error.message)


def typed(error: ValidationError) -> str:
    """A value of the wrong type, with the fix where YAML's reading of it is the usual cause: a number where text
    belongs (quotes), one text where a list belongs (brackets), yes/no where true/false belongs."""
    value, expected = error.instance, error.validator_value
    if isinstance(value, float) and not math.isfinite(value):
        return _not_finite(error)
    found = f"expected {expected}, got {_json_type(value)} {_clip(value)}"
    schema = error.schema if isinstance(error.schema, dict) else {}
    if expected == "string" and isinstance(value, int | float) and not isinstance(value, bool):
        written = str(value)
        if schema.get("pattern", "").replace(NO_NEWLINE, "", 1) == E164 and written.isdigit():
            return f'{found}: a phone number is text in E.164, with a +; put it in quotes: "+{written}"'
        return f'{found}: YAML reads it as a number; put it in quotes: "{written}"'
    if expected == "string" and isinstance(value, bool):
        return (
            f'{found}: YAML reads {str(value).lower()} as a boolean; put it in quotes: "{str(value).lower()}"'
        )
    if expected == "boolean" and isinstance(value, str) and value.lower() in _YAML11_BOOLEANS:
        meant = str(_YAML11_BOOLEANS[value.lower()]).lower()
        return f"{found}: only true and false are booleans here (YAML 1.2); write {meant}"
    if expected == "array" and isinstance(value, str | int | float) and not isinstance(value, bool):
        item = json.dumps(value, ensure_ascii=False)
        return f"{found}: a list is written in brackets, even with one item; write [{item}]"
    return found


_YAML11_BOOLEANS = {
    **dict.fromkeys(("yes", "y", "on"), True),
    **dict.fromkeys(("no", "n", "off"), False),
}

# Characters that look like the ones a value needs, as a word processor or another keyboard layout writes them.
LOOKALIKES = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\uff1a\u2236\ua789\ufe55", ":"),
    **dict.fromkeys("\u00a0\u2007\u2009\u202f", " "),
    "\uff0b": "+",
    **{chr(0xFF10 + d): str(d) for d in range(10)},  # fullwidth digits
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
    **dict(zip("аеорсухіјѕԁ", "aeopcyxijsd", strict=True)),  # Cyrillic letters that look Latin
    **dict(zip("АВЕКМНОРСТХІЈЅ", "ABEKMHOPCTXIJS", strict=True)),
}


def lookalike(value: str, pattern: str) -> tuple[int, str] | None:
    """Where ``value`` fails ``pattern`` only because of look-alike characters: the first one's index and what to
    type instead (an en dash copied into 09:00–17:00 looks right and is refused)."""
    fixed = "".join(LOOKALIKES.get(c, c) for c in value)
    if fixed == value or not re.search(pattern, fixed):
        return None
    import unicodedata

    index = next(i for i, c in enumerate(value) if c in LOOKALIKES)
    char, meant = value[index], LOOKALIKES[value[index]]
    name = unicodedata.name(char, f"U+{ord(char):04X}").lower()
    article = "an" if name[0] in "aeiou" else "a"
    shown = "a space" if meant == " " else meant
    return (
        index,
        f"{_clip(value)} has {article} {name} ({char}, U+{ord(char):04X}), which looks like {shown} but is not;"
        f" type {shown} instead: {_clip(fixed)}",
    )


def _not_finite(error: ValidationError) -> str:
    """YAML's ``.nan`` and ``.inf`` (or a number too large to hold, which becomes ``.inf``), in plain words."""
    value = error.instance
    assert isinstance(value, float)
    what = (
        '.nan ("not a number")'
        if math.isnan(value)
        else f"{'-' if value < 0 else ''}.inf (infinity, or a number too large to hold)"
    )
    schema = error.schema if isinstance(error.schema, dict) else {}
    examples = [
        e for e in schema.get("examples", ()) if isinstance(e, int | float) and not isinstance(e, bool)
    ]
    example = f" such as {examples[0]}" if examples else ""
    whole = "whole " if error.validator_value == "integer" else ""
    return f"{what} cannot be used; write a {whole}number{example}"


def _json_type(value: Any) -> str:
    return {
        dict: "mapping",
        list: "list",
        str: "string",
        bool: "boolean",
        int: "integer",
        float: "number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _clip(value: Any, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
