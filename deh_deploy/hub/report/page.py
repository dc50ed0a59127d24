"""The report as one self-contained HTML page: SVG plots drawn on the server by pygal, no script, no CDN.

It works offline, prints on A4 (a print style sheet: no navigation, plots kept whole), and shows right-to-left
languages and non-Latin topic titles correctly: every value that comes from the config or the records is in a
``<bdi>`` so its direction never reorders the text around it. Numbers, percentages and dates are in the
Society's locale (the first official language of its country, by CLDR, through babel).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig
    from deh_deploy.hub.report.figures import Figures, Promise

STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5rem auto;max-width:72rem;color:#222;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
.meta{color:#555} .cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.card{border:1px solid #ccc;border-radius:.4rem;padding:.6rem .9rem;min-width:10rem}
.card b{display:block;font-size:1.6rem} table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #ddd;padding:.25rem .6rem;text-align:start} td.n{text-align:end}
figure{margin:1rem 0;break-inside:avoid} figure svg{width:100%;height:auto;max-height:26rem}
.overdue{color:#b00020;font-weight:bold} .note{color:#555;font-size:.9rem}
@media print{body{margin:0;max-width:none} nav{display:none} h2{break-after:avoid}
 figure,table,.cards{break-inside:avoid} @page{size:A4;margin:1.5cm}}
"""


def society_locale(hub: HubConfig) -> str:
    """The Society's locale: its country's first official language (``hu_HU`` for Hungary)."""
    from babel.languages import get_official_languages

    official = get_official_languages(hub.country.upper(), de_facto=True)
    return f"{official[0]}_{hub.country.upper()}" if official else "en"


class Formats:
    """Numbers and dates in one locale."""

    def __init__(self, locale: str, timezone: str) -> None:
        self.locale = locale
        self.zone = ZoneInfo(timezone)

    def number(self, value: float | None, digits: int = 1) -> str:
        from babel.numbers import format_decimal

        if value is None:
            return "–"
        pattern = "#,##0" if digits == 0 else "#,##0." + "0" * digits
        return str(format_decimal(value, format=pattern, locale=self.locale))

    def percent(self, value: float | None) -> str:
        from babel.numbers import format_percent

        return "–" if value is None else str(format_percent(value, format="#,##0.0%", locale=self.locale))

    def date(self, value: Any) -> str:
        from babel.dates import format_date

        return str(format_date(value, format="medium", locale=self.locale))

    def instant(self, value: datetime | None) -> str:
        from babel.dates import format_datetime

        if value is None:
            return "–"
        return str(format_datetime(value.astimezone(self.zone), format="medium", locale=self.locale))


def _bdi(text: object) -> str:
    return f"<bdi>{escape(str(text))}</bdi>"


def topic_titles(hub: HubConfig, language: str) -> dict[str, str]:
    """Topic id → its title in ``language`` (else the hub's first language), as callers hear it."""
    texts = hub.texts.get(language) or hub.texts.get(hub.languages[0])
    titles = dict(texts.titles) if texts is not None else {}
    return {t.id: titles.get(t.id, t.id) for t in hub.topics}


def _chart(
    kind: str,
    title: str,
    x_labels: list[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    colors: tuple[str, ...] = (),
    **style: Any,
) -> str:
    import pygal
    from pygal.style import Style

    chart_style = Style(
        background="white",
        plot_background="white",
        font_family="system-ui, sans-serif",
        colors=colors
        or ("#c8102e", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf", "#7f7f7f"),
    )
    cls = {"bar": pygal.Bar, "stacked": pygal.StackedBar, "line": pygal.Line}[kind]
    chart = cls(
        title=title,
        style=chart_style,
        js=[],  # no script, no CDN: the plot is plain SVG
        disable_xml_declaration=True,
        width=900,
        height=360,
        x_label_rotation=30 if len(x_labels) > 8 else 0,
        legend_at_bottom=True,
        print_values=False,
        **style,
    )
    chart.x_labels = x_labels
    for name, values in series.items():
        chart.add(name, values)
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))  # pygal's config for its (absent) script
    svg = _UUID.sub(hashlib.sha256(title.encode()).hexdigest()[:12], svg)  # the same page each time
    return f'<figure role="img" aria-label="{escape(title)}">{svg}</figure>'


def _promise_table(title: str, cells: Mapping[str, Promise], labels: Mapping[str, str], fmt: Formats) -> str:
    rows = "".join(
        f"<tr><td>{_bdi(labels.get(key, key))}</td><td class=n>{fmt.number(p.kept, 0)}</td>"
        f"<td class=n>{fmt.number(p.broken, 0)}</td><td class=n>{fmt.number(p.pending, 0)}</td>"
        f"<td class=n>{fmt.percent(p.share)}</td></tr>"
        for key, p in sorted(cells.items(), key=lambda kv: -(kv[1].kept + kv[1].broken + kv[1].pending))
    )
    return (
        f"<table><caption>{escape(title)}</caption><tr><th></th><th>kept</th><th>broken</th><th>pending</th>"
        f"<th>kept share</th></tr>{rows}</table>"
    )


def _over_time(
    title: str, figures: Figures, attribute: str, labels: Mapping[str, str], weeks: list[str]
) -> str:
    keys: set[str] = set()
    for week in figures.weeks:
        keys |= set(getattr(week, attribute))
    series = {
        labels.get(k, k): [float(getattr(w, attribute)[k]) for w in figures.weeks] for k in sorted(keys)
    }
    return _chart("stacked", title, weeks, series)


def render(hub: HubConfig, figures: Figures, *, role: str, locale: str | None = None) -> str:
    """The page for ``figures``, as ``role`` sees it."""
    locale = locale or society_locale(hub)
    fmt = Formats(locale, hub.timezone)
    from babel import Locale

    parsed = Locale.parse(locale)
    language = parsed.language
    direction = "rtl" if parsed.character_order == "right-to-left" else "ltr"
    titles = topic_titles(hub, language)
    names = {code: Locale.parse(code).get_display_name(locale) or code for code in hub.languages}
    weeks = [fmt.date(w.start) for w in figures.weeks]
    s = figures.summary()
    sensitive = "&lt;5" if figures.sensitive is None else fmt.number(figures.sensitive, 0)
    cards = [
        ("Contacts", fmt.number(figures.contacts, 0)),
        ("Promise kept", f"{fmt.percent(figures.promise.share)}"),
        (
            "Kept / broken / pending",
            f"{figures.promise.kept} / {figures.promise.broken} / {figures.promise.pending}",
        ),
        ("First response, median (working h)", fmt.number(figures.median_hours)),
        ("First response, 90th percentile (working h)", fmt.number(figures.p90_hours)),
        ("Out of hours", fmt.percent(figures.out_of_hours_share)),
        ("Sensitive feedback", sensitive),
        ("At risk now", fmt.number(len(figures.at_risk), 0)),
    ]
    card_html = "".join(
        f'<div class="card" data-figure="{escape(label)}">{escape(label)}<b>{value}</b></div>'
        for label, value in cards
    )
    plots = [
        _chart(
            "line",
            "Promise kept, share per week",
            weeks,
            {"kept share": [w.promise.share for w in figures.weeks]},
            range=(0, 1),
            value_formatter=lambda v: fmt.percent(v),
        ),
        _chart(
            "stacked",
            "Promise per week",
            weeks,
            {
                "kept": [float(w.promise.kept) for w in figures.weeks],
                "broken": [float(w.promise.broken) for w in figures.weeks],
                "pending": [float(w.promise.pending) for w in figures.weeks],
            },
            colors=("#2e7d32", "#c8102e", "#9e9e9e"),
        ),
        _chart(
            "bar",
            "Time to first human response (working hours)",
            list(figures.buckets),
            {"contacts": [float(v) for v in figures.buckets.values()]},
        ),
        _over_time("Contacts per topic", figures, "topic", titles, weeks),
        _over_time("Contacts per feedback type", figures, "feedback_type", {}, weeks),
        _over_time("Contacts per language", figures, "language", names, weeks),
        _over_time("Contacts per channel", figures, "channel", {}, weeks),
    ]
    tables = [
        _promise_table("Promise per channel", figures.by_channel, {}, fmt),
        _promise_table("Promise per language", figures.by_language, names, fmt),
        _promise_table("Promise per topic", figures.by_topic, titles, fmt),
    ]
    risk_rows = "".join(
        f"<tr><td class=n>{r.id}</td><td>{_bdi(r.channel)}</td><td>{_bdi(names.get(r.language, r.language))}</td>"
        f"<td>{_bdi(titles.get(r.topic, r.topic))}</td><td>{fmt.instant(r.created_at)}</td>"
        f"<td{' class=overdue' if r.overdue else ''}>{fmt.instant(r.deadline_at)}"
        f"{' (overdue)' if r.overdue else ''}</td></tr>"
        for r in figures.at_risk
    )
    at_risk = (
        "<table id=at-risk><tr><th>record</th><th>channel</th><th>language</th><th>topic</th><th>received</th>"
        f"<th>deadline</th></tr>{risk_rows}</table>"
        if risk_rows
        else "<p>No open record is waiting for a human response.</p>"
    )
    weekly_rows = "".join(
        f"<tr><td>{fmt.date(w.start)}</td><td class=n>{fmt.number(w.contacts, 0)}</td>"
        f"<td class=n>{fmt.percent(w.promise.share)}</td><td class=n>{fmt.number(w.out_of_hours, 0)}</td>"
        f"<td class=n>{'&lt;5' if w.sensitive is None else fmt.number(w.sensitive, 0)}</td></tr>"
        for w in figures.weeks
    )
    return f"""<!doctype html>
<html lang="{escape(language)}" dir="{direction}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(hub.society)}: helpdesk report {escape(s["from"])} – {escape(s["to"])}</title>
<style>{STYLE}</style></head><body>
<h1>{_bdi(hub.society)}: helpdesk report</h1>
<p class="meta">{fmt.date(figures.first)} – {fmt.date(figures.last)} · role {_bdi(role)} ·
promise “{_bdi(hub.service.promise.within_hours)} h or next working day” ·
data as of <span id="freshness">{fmt.instant(figures.newest_event)}</span></p>
<nav><a href="#promise">Promise</a> · <a href="#response">First response</a> · <a href="#contacts">Contacts</a> ·
<a href="#at-risk-h">At risk</a></nav>
<div class="cards">{card_html}</div>
<h2 id="promise">Was the promise kept?</h2>{plots[0]}{plots[1]}{"".join(tables)}
<table><caption>Per week</caption><tr><th>week of</th><th>contacts</th><th>promise kept</th><th>out of hours</th>
<th>sensitive</th></tr>{weekly_rows}</table>
<h2 id="response">How long did people wait for a human?</h2>{plots[2]}
<p class="note">In the hub's working hours, from the contact to the first human response.</p>
<h2 id="contacts">What are people telling us?</h2>{"".join(plots[3:])}
<h2 id="at-risk-h">Open records at risk, soonest deadline first</h2>{at_risk}
<p class="note">Sensitive feedback is counted, never broken down{
        "" if figures.sensitive_role else "; counts under 5 are shown as &lt;5"
    }.</p>
</body></html>
"""
