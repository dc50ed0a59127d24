"""No two hubs on one account own each other's names, for every name form deh writes: a property over slugs
the schema allows and both environments."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from deh_deploy import legacy_names
from deh_deploy.names import friendly, legacy_template_name, owns, template_name, unique

SLUGS = st.from_regex(r"[a-z][a-z0-9-]{1,23}", fullmatch=True)
ENVS = st.sampled_from(("staging", "production"))
HUBS = st.tuples(SLUGS, ENVS)
IDS = st.from_regex(r"[a-z][a-z0-9_-]{0,15}", fullmatch=True)
LANGS = st.from_regex(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}", fullmatch=True)
TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)


def names_of(hub: tuple[str, str], name: str, template: str, lang: str) -> list[str]:
    slug, env = hub
    return [
        friendly(slug, env, name),
        unique(slug, env),
        template_name(slug, env, template, lang),
        legacy_names.template_name(slug, env, template, lang),
    ]


@given(HUBS, HUBS, TEXT, IDS, LANGS)
def test_no_name_of_another_hub_is_ours(
    ours: tuple[str, str], theirs: tuple[str, str], name: str, template: str, lang: str
) -> None:
    if ours == theirs:
        return
    for theirs_name in names_of(theirs, name, template, lang):
        assert not owns(*ours, theirs_name), theirs_name


@given(HUBS, TEXT, IDS, LANGS)
def test_every_name_of_today_is_ours(hub: tuple[str, str], name: str, template: str, lang: str) -> None:
    slug, env = hub
    for own in (friendly(slug, env, name), unique(slug, env), template_name(slug, env, template, lang)):
        assert owns(slug, env, own), own


@given(HUBS, IDS, LANGS)
def test_a_template_name_of_today_knows_its_old_name(hub: tuple[str, str], template: str, lang: str) -> None:
    slug, env = hub
    new = template_name(slug, env, template, lang)
    assert legacy_template_name(new) == legacy_names.template_name(slug, env, template, lang)


def test_the_reported_overlap() -> None:
    """Hub hungary-staging/production's template was claimed (and deleted) by hub hungary/staging."""
    theirs = legacy_names.template_name("hungary-staging", "production", "welcome", "hu")
    assert theirs == "deh_hungary_staging_production_welcome_hu"
    assert not owns("hungary", "staging", theirs)
    assert not owns("hungary", "staging", template_name("hungary-staging", "production", "welcome", "hu"))
    assert not owns("hungary", "staging", unique("hungary-staging", "production"))


@given(HUBS, HUBS)
def test_no_lease_is_another_hubs_service(one: tuple[str, str], other: tuple[str, str]) -> None:
    """Hub ``lease-x``'s Serverless service is not hub ``x``'s lease, nor any hub's lease any hub's service."""
    from deh_deploy.providers.lease import lease_name

    assert lease_name(*one) != unique(*other)
    assert not owns(*other, lease_name(*one))
