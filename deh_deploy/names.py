"""How deh-deploy names what it owns. Ownership is recognised by these names and nothing else."""

from __future__ import annotations

MAX_FRIENDLY = 64  # TaskRouter, Messaging Service and Studio friendly names


def prefix(slug: str, env: str) -> str:
    """``DEH hungary staging`` — the friendly-name prefix of everything this hub owns."""
    return f"DEH {slug} {env}"


def friendly(slug: str, env: str, name: str) -> str:
    return f"{prefix(slug, env)} {name}"[:MAX_FRIENDLY]


def unique(slug: str, env: str, *parts: str) -> str:
    """``deh-hungary-staging[-part…]`` — unique names (Serverless service, content template names)."""
    return "-".join(("deh", slug, env, *parts))


def template_name(slug: str, env: str, template: str, language: str) -> str:
    """WhatsApp template names allow lowercase letters, digits and underscores only."""
    return f"deh_{slug}_{env}_{template}_{language}".replace("-", "_").lower()


def owns(slug: str, env: str, name: str | None) -> bool:
    """Whether a live resource's name says this hub and environment made it."""
    if not name:
        return False
    return (
        name == prefix(slug, env)
        or name.startswith(prefix(slug, env) + " ")
        or name == unique(slug, env)
        or name.startswith(unique(slug, env) + "-")
        or name.startswith(template_name(slug, env, "", "").removesuffix("__") + "_")
    )
