"""The runbook as markdown (a pull request, a wiki) or as one printable HTML page: no script, no file beside it,
print CSS so that a trainer can hand it over on paper."""

from __future__ import annotations

import calendar
import html

from deh_deploy.runbook.model import Item, Month, Runbook, Section

MARK = {"done": "[x] done", "to do": "[ ] to do", "unknown": "[ ] unknown", "note": ""}


def markdown(book: Runbook) -> str:
    lines = [
        f"# Go-live runbook: {book.society} ({book.slug}, {book.env})",
        "",
        f"Account {book.account_sid}; generated {book.generated.isoformat()}; {book.checked}.",
    ]
    for section in book.sections:
        lines += ["", f"## {section.title}", ""]
        if section.intro:
            lines += [section.intro, ""]
        lines += [_md_item(i) for i in section.items]
        if section.weekly:
            lines += ["| day | open |", "|---|---|", *(f"| {d} | {s} |" for d, s in section.weekly), ""]
        for month in section.months:
            lines.append(f"- **{_month(month)}**: {_md_days(month)}")
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def _md_item(item: Item) -> str:
    mark = MARK[item.status]
    detail = f" ({item.detail})" if item.detail else ""
    text = item.text.replace("\n", " / ")  # a menu read line by line stays one item
    return f"- {mark + ': ' if mark else ''}{text}{detail}"


def _md_days(month: Month) -> str:
    return "; ".join(f"{d.day} {d.strftime('%a')}: {why}" for d, why in month.closed) or "open as every week"


def _month(month: Month) -> str:
    return f"{calendar.month_name[month.first.month]} {month.first.year}"


STYLE = """
body { font: 11pt/1.4 system-ui, sans-serif; max-width: 52rem; margin: 1.5rem auto; color: #111; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; border-bottom: 1px solid #999; margin-top: 1.6rem; }
ul.items { list-style: none; padding: 0; } ul.items li { margin: .35rem 0; padding-left: 1.8rem; text-indent: -1.8rem; }
.mark { display: inline-block; width: 1.4rem; font-weight: bold; }
.done .mark { color: #166534; } .todo .mark { color: #b91c1c; } .unknown .mark { color: #92400e; }
.detail { color: #444; font-size: .92em; }
table { border-collapse: collapse; margin: .5rem 0; } td, th { border: 1px solid #bbb; padding: .2rem .6rem; text-align: left; }
.months { display: grid; grid-template-columns: repeat(3, 1fr); gap: .6rem; }
.month { border: 1px solid #bbb; padding: .3rem .5rem; break-inside: avoid; }
.month h3 { font-size: .95rem; margin: 0 0 .2rem; } .month p { margin: .1rem 0; font-size: .88em; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; } li, tr { break-inside: avoid; }
  @page { size: A4; margin: 15mm; }
}
"""
HTML_MARK = {
    "done": ("done", "☑"),
    "to do": ("todo", "☐"),
    "unknown": ("unknown", "?"),
    "note": ("note", "•"),
}


def page(book: Runbook) -> str:
    e = html.escape
    title = f"Go-live runbook: {book.society} ({book.slug}, {book.env})"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f"<p>Account {e(book.account_sid)}; generated {book.generated.isoformat()}; {e(book.checked)}.</p>",
    ]
    for section in book.sections:
        out.append(_html_section(section))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _html_section(section: Section) -> str:
    e = html.escape
    parts = [f"<section><h2>{e(section.title)}</h2>"]
    if section.intro:
        parts.append(f"<p>{e(section.intro)}</p>")
    if section.items:
        parts.append('<ul class="items">')
        for item in section.items:
            css, glyph = HTML_MARK[item.status]
            detail = f' <span class="detail">({e(item.detail)})</span>' if item.detail else ""
            label = "" if item.status == "note" else f' title="{e(item.status)}"'
            parts.append(
                f'<li class="{css}" data-status="{e(item.status)}"{label}><span class="mark">{glyph}</span>'
                f"{e(item.text).replace(chr(10), '<br>')}{detail}</li>"
            )
        parts.append("</ul>")
    if section.weekly:
        rows = "".join(f"<tr><th>{e(d)}</th><td>{e(s)}</td></tr>" for d, s in section.weekly)
        parts.append(f'<table class="weekly"><tr><th>day</th><th>open</th></tr>{rows}</table>')
    if section.months:
        parts.append('<div class="months">')
        for month in section.months:
            days = "".join(
                f'<p data-day="{d.isoformat()}">{d.day} {d.strftime("%a")}: {e(why)}</p>'
                for d, why in month.closed
            )
            parts.append(
                f'<div class="month"><h3>{e(_month(month))}</h3>{days or "<p>open as every week</p>"}</div>'
            )
        parts.append("</div>")
    parts.append("</section>")
    return "\n".join(parts)
