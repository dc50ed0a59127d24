"""The template names deh-deploy wrote before ownership was made exact, kept to recognise hubs deployed under
them. ``deh_<slug>_<env>_<template>_<language>`` (a slug's ``-`` written ``_``) cannot say where a slug ends:
``deh_hungary_staging_production_greeting_en`` may be hub ``hungary``/staging's template ``production_greeting``
or hub ``hungary-staging``/production's ``greeting``."""

from __future__ import annotations

ENVIRONMENTS = ("staging", "production")


def template_name(slug: str, env: str, template: str, language: str) -> str:
    """The old form, as it was written."""
    return f"deh_{slug}_{env}_{template}_{language}".replace("-", "_").lower()


def template_prefix(slug: str, env: str) -> str:
    return f"deh_{slug}_{env}_".replace("-", "_")


def owns_template(slug: str, env: str, name: str) -> bool:
    """An old-form name is claimed only when no other hub can have written it. Another hub's old name that starts
    with ours has a slug that is ours followed by ``-<env>…``, so what follows our prefix then starts with
    ``<env>_`` or holds ``_<env>_``; such a name is left alone (a template the config still names is matched
    by its exact old name instead, see ``content.Template.identity``)."""
    start = template_prefix(slug, env)
    if not name.startswith(start):
        return False
    rest = name[len(start) :]
    return not any(rest.startswith(f"{e}_") or f"_{e}_" in rest for e in ENVIRONMENTS)
