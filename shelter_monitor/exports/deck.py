"""The round-table deck: a 16:9 PowerPoint file of a round's results, national or for one region.

Plain Python (python-pptx, public API only; no Flask, no database). What the deck says is the outline
(exports/outline.py, which the PDF report reads too); this module only lays its slides out. Every block is
measured before it is placed: text height from its font size and the lines it wraps to at its width, table rows
from their tallest cell, tiles from their contents. What does not fit above the footer continues on a following
slide titled "... (cont.)" (table headers repeated); a title too long for one line at 28 pt is set smaller.
Charts are native PowerPoint charts whose data a presenter can edit; their categories are the region names with
the number of shelters behind each bar ("Kyiv Oblast (n = 3)") and their values the Indicators values (shares as
0..1 numbers formatted as percentages), so tests and people can read them back.

Fixed wording: outline.MESSAGES (re-exported here), translated through `data.translations`.
"""
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_MARK
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from shelter_monitor.exports.data import ExportData
from shelter_monitor.exports.outline import (
    CHART_INDICATORS,
    FIGURE_KEYS,
    MESSAGES,
    Block,
    Chart,
    ChartBlock,
    Outline,
    Slide,
    Table,
    Text,
    Tile,
    Tiles,
    build_outline,
)

__all__ = ["CHART_INDICATORS", "FIGURE_KEYS", "MESSAGES", "build_outline", "write_deck"]

FONT = "Arial"  # on every Office machine, has Cyrillic; LibreOffice substitutes the metric-equal Liberation Sans
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
ACCENT = RGBColor(0x2A, 0x7F, 0x9E)
MUTED = RGBColor(0x9A, 0xA8, 0xB5)
INK = RGBColor(0x22, 0x2B, 0x33)
GREY = RGBColor(0x5A, 0x65, 0x70)
CARD = RGBColor(0xF1, 0xF4, 0xF7)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
SEVERITY_COLOURS = {"high": RGBColor(0xC0, 0x39, 0x2B), "medium": RGBColor(0xD9, 0x8C, 0x00)}
# a programme figure against its target (programmes.overview statuses)
STATUS_COLOURS = {"reached": RGBColor(0x2E, 0x7D, 0x32), "partly": SEVERITY_COLOURS["medium"],
                  "behind": SEVERITY_COLOURS["high"]}

SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in, exactly 16:9
MARGIN = Inches(0.6)
BAR_H = Inches(1.05)
BODY_TOP = Inches(1.35)
BODY_W = SLIDE_W - 2 * MARGIN
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5
CELL_MARGIN = Inches(0.06)


@dataclass(frozen=True)
class Run:
    text: str
    size: int = 14
    bold: bool = False
    colour: RGBColor = INK
    space_after: int = 4


TONES = {"ink": INK, "grey": GREY, "accent": ACCENT, "navy": NAVY, "no_data": GREY, **SEVERITY_COLOURS,
         **STATUS_COLOURS}
PT = 12700                                      # EMU in a point
FOOTER_TOP = SLIDE_H - Inches(0.45)             # nothing but the footer below this line
BODY_BOTTOM = FOOTER_TOP - Inches(0.1)
COLUMN_GAP, BLOCK_GAP = Inches(0.3), Inches(0.15)
INSET = Inches(0.05)                            # a text box's inner margin on each side
TILE_INSET = Inches(0.2)                        # a tile's left margin, clear of its coloured edge
CELL_PAD = Inches(0.03)                         # a table cell's top and bottom margin
ROW_SLACK = Inches(0.02)                        # added to a row's measured height
EM = {False: 0.56, True: 0.6}                   # average glyph width in ems (Arial; Cyrillic a little wider)
LINE = 1.2                                      # line height in ems
TITLE_SIZES = (28, 24, 20, 18, 16)


def wrapped_lines(text: str, size: float, width: int, bold: bool = False) -> int:
    """How many lines `text` takes at `size` points in a box `width` EMU wide: greedy word wrapping on an average
    glyph width (a little wide on purpose: an estimate too small would overflow, one too large leaves room)."""
    per_line = max(1, int(width / (size * EM[bold] * PT)))
    total = 0
    for paragraph in text.split("\n"):
        lines, used = 1, 0
        for word in paragraph.split(" "):
            if used and used + 1 + len(word) <= per_line:
                used += 1 + len(word)
                continue
            if used:
                lines += 1
            used = len(word)
            while used > per_line:
                lines += 1
                used -= per_line
        total += lines
    return total


def runs_height(runs: Sequence[Run], width: int) -> int:
    """The height of a text box holding `runs` (one paragraph each) at `width`, inner margins included."""
    inner = width - 2 * INSET
    return 2 * INSET + sum(int(wrapped_lines(run.text, run.size, inner, run.bold) * run.size * LINE * PT)
                           + run.space_after * PT for run in runs)


def _style_run(run, size: float, bold: bool, colour: RGBColor) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour


def _fill_frame(frame, paragraphs: Sequence[Run], align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP) -> None:
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    for index, part in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.space_after = Pt(part.space_after)
        paragraph.line_spacing = 1.0
        run = paragraph.add_run()
        run.text = part.text or " "  # an empty run takes the 18 pt default height in some renderers
        _style_run(run, part.size, part.bold, part.colour)


def _textbox(slide, left, top, width, height, paragraphs: Sequence[Run], align=PP_ALIGN.LEFT,
             anchor=MSO_ANCHOR.TOP, fill: RGBColor | None = None):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = INSET
    _fill_frame(frame, paragraphs, align, anchor)
    if fill is not None:
        box.fill.solid()
        box.fill.fore_color.rgb = fill
    return box


def _band(slide, left, top, width, height, colour: RGBColor):
    """A filled area without text (a text box: no theme style, so no shadow in any renderer)."""
    box = slide.shapes.add_textbox(left, top, width, height)
    box.fill.solid()
    box.fill.fore_color.rgb = colour
    return box


# ---- measured pieces ----------------------------------------------------------------------------------------
# A block is cut into atoms (a heading, a line, a table row, a row of tiles); atoms of one block that land on the
# same slide are drawn as one shape. A heading or a table header keeps with the atom after it.

@dataclass
class _Atom:
    height: int
    part: Any                # a Run, a table row, a row of tiles, a chart
    header: bool = False     # a table header or text heading: repeated / kept with what follows


def _text_runs(block: Text) -> tuple[Run | None, list[Run]]:
    colour = TONES.get(block.tone, INK)
    heading = Run(block.heading, block.size + 2, True, NAVY, 4) if block.heading else None
    return heading, [Run(line, block.size, block.tone not in ("ink", "grey"), colour, 3) for line in block.lines]


def _tile_runs(tile: Tile, width: int) -> list[Run]:
    colour = TONES.get(tile.tone, ACCENT)
    value_size = 28 if len(tile.value) <= 8 else 20 if len(tile.value) <= 20 else 14
    runs = [Run(tile.value, value_size, True, colour if tile.tone != "accent" else NAVY, 2),
            Run(tile.label, 12, False, INK, 2)]
    if tile.note:
        runs.append(Run(tile.note, 11, True, GREY, 0))
    return runs


def _cell_width(width: int, weights: Sequence[float]) -> list[int]:
    total = sum(weights)
    return [int(width * weight / total) for weight in weights]


def _row_height(cells: Sequence[str], widths: Sequence[int], size: int, bold: Sequence[bool]) -> int:
    lines = max(wrapped_lines(text or " ", size, width - 2 * CELL_MARGIN, strong)
                for text, width, strong in zip(cells, widths, bold, strict=True))
    return int(lines * size * LINE * PT) + 2 * CELL_PAD + ROW_SLACK


def _bold_cells(block: Table, index: int) -> list[bool]:
    """Which cells of row `index` are set in bold: the whole header (-1), a row's toned cells."""
    if index < 0:
        return [True] * len(block.header)
    return [bool(block.tone(index, column)) for column in range(len(block.header))]


def _group_widths(block: Table, widths: Sequence[int]) -> list[int]:
    """The widths of the group row's cells: the sum of the columns each spans."""
    spans, start = [], 0
    for _, span in block.groups:
        spans.append(sum(widths[start:start + span]))
        start += span
    return spans


def _header_heights(block: Table, widths: Sequence[int]) -> tuple[int, int]:
    """The heights of the group row (0 without groups) and of the header row."""
    groups = 0
    if block.groups:
        groups = _row_height([label for label, _ in block.groups], _group_widths(block, widths), block.size,
                             [True] * len(block.groups))
    return groups, _row_height(block.header, widths, block.size, _bold_cells(block, -1))


def _continued_row(block: Table, atom: "_Atom", width: int) -> "_Atom":
    """A row that opens a continuation slide: a blank group cell gets its group's name (the question above
    its answers), and the row is measured again."""
    index, row = atom.part
    if block.group_column is None or row[block.group_column]:
        return atom
    filled = tuple(block.group_of(index) if column == block.group_column else cell for column, cell in enumerate(row))
    height = _row_height(filled, _cell_width(width, block.weights), block.size, _bold_cells(block, index))
    return replace(atom, height=height, part=(index, filled))


def _atoms(block: Block, width: int) -> list[_Atom]:
    if isinstance(block, Text):
        heading, runs = _text_runs(block)
        atoms = []
        if heading is not None:
            atoms.append(_Atom(runs_height([heading], width) - 2 * INSET, heading, header=True))
        if block.big:
            atoms.append(_Atom(int(40 * LINE * PT), Run(block.big, 40, True, ACCENT, 0), header=True))
        if block.columns > 1:
            column_w = width // block.columns
            for start in range(0, len(runs), block.columns):
                group = runs[start:start + block.columns]
                atoms.append(_Atom(max(runs_height([run], column_w) - 2 * INSET for run in group), group))
        else:
            atoms += [_Atom(runs_height([run], width) - 2 * INSET, run) for run in runs]
        return atoms
    if isinstance(block, Table):
        widths = _cell_width(width, block.weights)
        atoms = [_Atom(sum(_header_heights(block, widths)), (-1, block.header), header=True)]
        atoms += [_Atom(_row_height(row, widths, block.size, _bold_cells(block, index)), (index, row))
                  for index, row in enumerate(block.rows)]
        return atoms
    if isinstance(block, Tiles):
        gap = Inches(0.18)
        tile_w = (width - gap * (block.per_row - 1)) // block.per_row
        atoms = []
        for start in range(0, len(block.tiles), block.per_row):
            row = block.tiles[start:start + block.per_row]
            inner = tile_w - TILE_INSET + INSET  # runs_height takes off INSET on each side
            height = max(runs_height(_tile_runs(tile, tile_w), inner) for tile in row)
            atoms.append(_Atom(height + Inches(0.1) + gap, row))
        return atoms
    rows = len(block.chart.categories)
    least = Inches(1.2) if rows <= 2 else Inches(0.4) + rows * Inches(0.17)
    return [_Atom(least + _note_height(block, width), block.chart)]


def _note_height(block: ChartBlock, width: int) -> int:
    return runs_height([Run(block.note, 10, False, GREY, 0)], width) if block.note else 0


@dataclass
class _Placed:
    block: Block
    atoms: list[_Atom]
    heading: list[_Atom]     # headers repeated from an earlier slide (a table header)

    @property
    def height(self) -> int:
        return sum(atom.height for atom in self.heading + self.atoms)


def paginate(blocks: Sequence[Block], width: int, height: int) -> list[list[_Placed]]:
    """The blocks of one column, cut into pages of at most `height` EMU (with BLOCK_GAP between blocks)."""
    pages: list[list[_Placed]] = [[]]
    used = 0
    for block in blocks:
        atoms = _atoms(block, width)
        repeat = [atoms[0]] if isinstance(block, Table) else []
        current: _Placed | None = None
        index = 0
        while index < len(atoms):
            # a header and the atom after it move together
            group = [atoms[index]]
            if atoms[index].header and index + 1 < len(atoms):
                group.append(atoms[index + 1])
            need = sum(atom.height for atom in group) + (BLOCK_GAP if current is None and pages[-1] else 0)
            if used + need > height and (pages[-1] or current is not None and current.atoms):
                pages.append([])
                used = 0
                current = None
                if isinstance(block, Table) and index > 0:
                    group[0] = _continued_row(block, group[0], width)
            if current is None:
                current = _Placed(block, [], [])
                if pages[-1]:
                    used += BLOCK_GAP
                if repeat and index > 0 and group[0] is not repeat[0]:
                    current.heading = list(repeat)
                    used += repeat[0].height
                pages[-1].append(current)
            current.atoms.extend(group)
            used += sum(atom.height for atom in group)
            index += len(group)
    return pages


class _Deck:
    def __init__(self, outline: Outline):
        self.outline = outline
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = SLIDE_W, SLIDE_H

    # frame -----------------------------------------------------------------------------------------------
    def title_slide(self) -> None:
        o = self.outline
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[LAYOUT_TITLE])
        slide.background.fill.solid()
        slide.background.fill.fore_color.rgb = NAVY
        _band(slide, 0, Inches(5.2), SLIDE_W, Inches(0.08), ACCENT)
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = MARGIN, Inches(1.3), BODY_W, Inches(2.4)
        size = next((size for size in (40, 34, 28, 24) if wrapped_lines(o.round_name, size, BODY_W, True) <= 2), 20)
        _fill_frame(title.text_frame, [Run(o.round_name, size, True, WHITE)], anchor=MSO_ANCHOR.BOTTOM)
        subtitle = slide.placeholders[1]
        subtitle.left, subtitle.top, subtitle.width, subtitle.height = MARGIN, Inches(3.8), BODY_W, Inches(1.2)
        _fill_frame(subtitle.text_frame, [Run(o.text("deck_subtitle"), 22, False, MUTED)])
        facts = [(o.text("deck_period"), o.period), (o.text("deck_scope"), o.scope),
                 (o.text("deck_generated"), o.generated)]
        widths = (Inches(5.4), Inches(4.2), BODY_W - Inches(9.6))
        left = MARGIN
        for (label, value), width in zip(facts, widths, strict=True):
            value_size = 20 if wrapped_lines(value, 20, width - 2 * INSET) == 1 else 14
            _textbox(slide, left, Inches(5.55), width - Inches(0.1), Inches(1.2),
                     [Run(label.upper(), 12, True, MUTED), Run(value, value_size, False, WHITE)])
            left += width

    def slide(self, title: str):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[LAYOUT_TITLE_ONLY])
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = 0, 0, SLIDE_W, BAR_H
        shape.fill.solid()
        shape.fill.fore_color.rgb = NAVY
        frame = shape.text_frame
        frame.margin_left = frame.margin_right = MARGIN
        size = next((size for size in TITLE_SIZES if wrapped_lines(title, size, BODY_W, True) == 1), TITLE_SIZES[-1])
        _fill_frame(frame, [Run(title, size, True, WHITE, 0)], anchor=MSO_ANCHOR.MIDDLE)
        _band(slide, 0, BAR_H, SLIDE_W, Inches(0.05), ACCENT)
        footer = f"{self.outline.round_name} · {self.outline.scope}"
        _textbox(slide, MARGIN, FOOTER_TOP, BODY_W - Inches(1.1), Inches(0.35), [Run(footer, 10, False, GREY, 0)])
        _textbox(slide, SLIDE_W - MARGIN - Inches(1), FOOTER_TOP, Inches(1), Inches(0.35),
                 [Run(str(len(self.prs.slides)), 10, False, GREY, 0)], align=PP_ALIGN.RIGHT)
        return slide

    # content ---------------------------------------------------------------------------------------------
    def outline_slide(self, spec: Slide) -> None:
        """One outline slide: its columns side by side, each paginated; as many slides as the longest needs."""
        weights = spec.weights if len(spec.weights) == len(spec.columns) else (1.0,) * len(spec.columns)
        widths = _cell_width(BODY_W - COLUMN_GAP * (len(spec.columns) - 1), weights)
        height = BODY_BOTTOM - BODY_TOP
        columns = [paginate(blocks, width, height) for blocks, width in zip(spec.columns, widths, strict=True)]
        count = max((len(pages) for pages in columns), default=1)
        for page in range(count):
            title = spec.title if page == 0 else self.outline.text("deck_cont").format(title=spec.title)
            slide = self.slide(title)
            left = MARGIN
            for pages, width in zip(columns, widths, strict=True):
                if page < len(pages):
                    self.draw_column(slide, pages[page], left, width)
                left += width + COLUMN_GAP

    def draw_column(self, slide, placed: Sequence[_Placed], left: int, width: int) -> None:
        top = BODY_TOP
        for index, item in enumerate(placed):
            if index:
                top += BLOCK_GAP
            height = item.height
            block = item.block
            if isinstance(block, ChartBlock):
                last = index == len(placed) - 1
                height = max(height, BODY_BOTTOM - top) if last else height
                self.chart_block(slide, block, left, top, width, height)
            elif isinstance(block, Text):
                self.text_block(slide, block, item, left, top, width)
            elif isinstance(block, Table):
                self.table_block(slide, block, item, left, top, width)
            else:
                self.tiles_block(slide, block, item, left, top, width)
            top += height

    def text_block(self, slide, block: Text, item: _Placed, left, top, width) -> None:
        runs = [atom.part for atom in item.heading + item.atoms if isinstance(atom.part, Run)]
        if runs:
            height = sum(atom.height for atom in item.heading + item.atoms if isinstance(atom.part, Run))
            _textbox(slide, left, top, width, height + 2 * INSET, runs)
            top += height + 2 * INSET
        groups = [atom for atom in item.atoms if isinstance(atom.part, list)]
        if not groups:
            return
        column_w = width // block.columns
        height = sum(atom.height for atom in groups) + 2 * INSET
        for column in range(block.columns):
            cells = [atom.part[column] for atom in groups if column < len(atom.part)]
            if cells:
                _textbox(slide, left + column * column_w, top, column_w, height, cells)

    def table_block(self, slide, block: Table, item: _Placed, left, top, width) -> None:
        atoms = item.heading + item.atoms
        widths = _cell_width(width, block.weights)
        group_h, header_h = _header_heights(block, widths)
        grouped = bool(block.groups) and atoms[0].part[0] < 0
        shape = slide.shapes.add_table(len(atoms) + grouped, len(block.header), left, top, width,
                                       sum(atom.height for atom in atoms))
        table = shape.table
        table.first_row = False
        table.horz_banding = False
        for index, column_w in enumerate(widths):
            table.columns[index].width = column_w
        if grouped:
            self.group_row(table, block, group_h)
        for row_index, atom in enumerate(atoms, start=grouped):
            number, values = atom.part
            header = number < 0
            table.rows[row_index].height = header_h if header and grouped else atom.height
            fill = NAVY if header else CARD if number % 2 == 0 else WHITE
            for col, (value, bold) in enumerate(zip(values, _bold_cells(block, number), strict=True)):
                colour = WHITE if header else TONES.get(block.tone(number, col), INK)
                align = PP_ALIGN.RIGHT if col in block.numeric and not (header and grouped) else PP_ALIGN.LEFT
                if header and grouped and col:
                    align = PP_ALIGN.CENTER
                self.cell(table.cell(row_index, col), value, block.size, bold, colour,
                          ACCENT if header and grouped else fill, align=align)

    def group_row(self, table, block: Table, height: int) -> None:
        """The row above a table's header: each group's label over the columns it spans (merged cells)."""
        table.rows[0].height = height
        start = 0
        for label, span in block.groups:
            cell = table.cell(0, start)
            if span > 1:
                cell.merge(table.cell(0, start + span - 1))
            self.cell(cell, label, block.size, True, WHITE, NAVY, align=PP_ALIGN.CENTER)
            for spanned in range(start + 1, start + span):  # hidden, but at the row's size, not the default 18 pt
                self.cell(table.cell(0, spanned), "", block.size, True, WHITE, NAVY)
            start += span

    def tiles_block(self, slide, block: Tiles, item: _Placed, left, top, width) -> None:
        gap = Inches(0.18)
        tile_w = (width - gap * (block.per_row - 1)) // block.per_row
        for atom in item.atoms:
            height = atom.height - gap
            for index, tile in enumerate(atom.part):
                x = left + index * (tile_w + gap)
                box = _textbox(slide, x, top, tile_w, height, _tile_runs(tile, tile_w), fill=CARD)
                box.text_frame.margin_left = TILE_INSET
                _band(slide, x, top, Inches(0.07), height, TONES.get(tile.tone, ACCENT))
            top += atom.height

    def chart_block(self, slide, block: ChartBlock, left, top, width, height) -> None:
        note = _note_height(block, width)
        self.bar_chart(slide, block.chart, left, top, width, height - note)
        if block.note and block.chart.categories:
            _textbox(slide, left, top + height - note, width, note, [Run(block.note or "", 10, False, GREY, 0)])

    def bar_chart(self, slide, chart: Chart, left, top, width, height) -> None:
        if not chart.categories:  # no region has a response yet: nothing to chart
            _textbox(slide, left, top, width, Inches(0.5), [Run(self.outline.text("deck_no_data"), 18, False, GREY)])
            return
        rows = len(chart.categories)
        font = 12 if rows <= 12 else 10 if rows <= 20 else 9
        number_format = "0%" if chart.kind == "share" else "#,##0"
        chart_data = CategoryChartData(number_format=number_format)
        label = self.outline.text("deck_category_n")
        chart_data.categories = [label.format(name=name, n=count) if chart.counts else name
                                 for name, count in zip(chart.categories, chart.counts or (0,) * rows, strict=True)]
        chart_data.add_series(chart.label, chart.values)
        frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, left, top, width, height, chart_data)
        pptx_chart = frame.chart
        pptx_chart.has_legend = False
        pptx_chart.has_title = False
        pptx_chart.font.name = FONT
        pptx_chart.font.size = Pt(font)
        pptx_chart.font.color.rgb = INK
        plot = pptx_chart.plots[0]
        plot.gap_width = 45 if rows > 2 else 80
        plot.vary_by_categories = False
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = number_format
        labels.number_format_is_linked = False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        labels.font.size = Pt(font)
        labels.font.bold = True
        series = plot.series[0]
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = ACCENT if chart.highlight is None else MUTED
        if chart.highlight is not None:
            point = series.points[chart.highlight]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = ACCENT
        categories = pptx_chart.category_axis
        categories.reverse_order = True  # the first category on top, as the outline lists them
        categories.has_major_gridlines = False
        categories.format.line.color.rgb = MUTED
        categories.tick_labels.font.size = Pt(font)
        categories.major_tick_mark = XL_TICK_MARK.NONE
        values = pptx_chart.value_axis
        values.minimum_scale = 0
        values.has_major_gridlines = False
        values.visible = False

    @staticmethod
    def cell(cell, text: str, size: int, bold: bool, colour: RGBColor, fill: RGBColor, align=PP_ALIGN.LEFT) -> None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
        cell.margin_left = cell.margin_right = CELL_MARGIN
        cell.margin_top = cell.margin_bottom = CELL_PAD
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        _fill_frame(cell.text_frame, [Run(text, size, bold, colour, 0)], align=align)

    def build(self) -> Presentation:
        self.title_slide()
        for spec in self.outline.slides:
            self.outline_slide(spec)
        return self.prs


def write_deck(data: ExportData, stream: BinaryIO | Any) -> None:
    """Write the round-table deck of `data` (PPTX, 16:9) to `stream` (a binary file object or a path): the title
    slide, then the outline's slides (outline.build_outline), each continued on "(cont.)" slides as needed."""
    _Deck(build_outline(data)).build().save(stream)
