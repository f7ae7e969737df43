"""The printable report: the deck's outline (outline.build_outline), slide by slide as sections of an A4 HTML page
rendered to PDF by WeasyPrint: the same words, tables and figures as the deck, long tables flowing over pages.

Plain Python (Jinja2 and WeasyPrint; no Flask, no database). The template is templates/report.html next to this
module, rendered with autoescape on. Charts are inline SVG bars with their numbers in the same table row; the
page numbers are drawn by CSS @page rules; the text is set in DejaVu Sans so Ukrainian renders on any server.

Fixed wording: the same keys as the deck (MESSAGES, re-exported here), translated through `data.translations`.
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from jinja2 import Environment, FileSystemLoader, select_autoescape

from shelter_monitor.exports.data import ExportData
from shelter_monitor.exports.outline import MESSAGES, Chart, Slide, Table, build_outline

__all__ = ["MESSAGES", "render_report_html", "write_pdf"]

TEMPLATES = Path(__file__).with_name("templates")
WIDE_COLUMNS = 6
_ENVIRONMENT = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                           trim_blocks=True, lstrip_blocks=True)


@dataclass(frozen=True)
class Bar:
    name: str
    shown: str
    width: float      # 0..100, the bar's share of the chart width
    highlight: bool
    count: int | None  # shelters behind the bar ("n")


def _bars(chart: Chart) -> list[Bar]:
    """The chart's rows with bar widths: shares against 100% (or the largest, if above), counts against the
    largest; a region with no figure gets no bar."""
    known = [value for value in chart.values if value is not None]
    scale = max(known, default=0)
    if chart.kind == "share":
        scale = max(scale, 1.0)
    counts = chart.counts or (None,) * len(chart.categories)
    return [Bar(name=name, shown=shown, width=round(100 * value / scale, 2) if value and scale else 0.0,
                highlight=index == chart.highlight, count=count)
            for index, (name, value, shown, count) in enumerate(zip(chart.categories, chart.values, chart.shown,
                                                                    counts, strict=True))]


def _row_groups(table: Table) -> list[list[tuple[int, tuple[str, ...]]]]:
    """The table's (index, row) pairs in groups a page should not split: a question with its answers (a row
    naming a group opens one), or each row alone in a table without groups."""
    groups: list[list[tuple[int, tuple[str, ...]]]] = []
    for index, row in enumerate(table.rows):
        if not groups or table.group_column is None or row[table.group_column]:
            groups.append([])
        groups[-1].append((index, row))
    return groups


def _widths(table: Table) -> list[float]:
    """The table's column widths in percent of its width, from the outline's weights (as on the slide)."""
    total = sum(table.weights)
    return [round(100 * weight / total, 2) for weight in table.weights]


def _landscape(slide: Slide) -> bool:
    """Whether the section goes on a landscape page: a table of more than WIDE_COLUMNS columns (the programme's
    plan against actual, three figures per year) does not fit an upright A4 page."""
    return any(isinstance(block, Table) and len(block.header) > WIDE_COLUMNS
               for column in slide.columns for block in column)


def render_report_html(data: ExportData) -> str:
    """The report as a standalone HTML document (what write_pdf renders)."""
    outline = build_outline(data)
    return _ENVIRONMENT.get_template("report.html").render(o=outline, t=outline.texts, bars_of=_bars,
                                                           row_groups=_row_groups, widths=_widths,
                                                           landscape=_landscape)


def write_pdf(data: ExportData, stream: BinaryIO | Any) -> None:
    """Write the report of `data` as an A4 PDF to `stream` (a binary file object or a path)."""
    from weasyprint import HTML  # loads Pango and fonts: only when a PDF is asked for

    HTML(string=render_report_html(data), base_url=str(TEMPLATES)).write_pdf(stream)
