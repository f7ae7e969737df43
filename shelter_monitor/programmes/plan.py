"""A programme as data: its tasks, indicators with yearly targets, and funding plan by source and year.

Plain Python, no Flask and no database. `parse_programme` reads the YAML file described in
docs/programme-format.md and either returns a checked `Programme` or raises `ProgrammeFileError` listing every
problem with its line; nothing of a file with errors is used. `to_document`/`from_document` turn a programme
into the JSON kept in the database and back.
"""
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from shelter_monitor.programmes.measures import FUNDING_MEASURES, INDICATOR_MEASURES
from shelter_monitor.regions.data import region_records

FORMAT = "shelter-monitor-programme/1"
LANGUAGES = ("en", "uk")

Targets = Mapping[int, Decimal | None]  # year -> target; None where the source has no readable value


@dataclass(frozen=True)
class Indicator:
    code: str
    title: Mapping[str, str]
    unit: Mapping[str, str] | None          # None where the source's unit is unreadable
    targets: Targets
    total: Decimal | None
    regional_targets: Mapping[str, Targets] = field(default_factory=dict)  # ISO 3166-2 -> targets
    measure: str | None = None              # key of a platform measure (measures.py) set beside the target
    # where in the source document the figure is, in each language ({"en": "Annex 3", "uk": "Додаток 3"}); {} if unsaid
    source: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Task:
    number: str
    title: Mapping[str, str]
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class FundingLine:
    code: str
    title: Mapping[str, str]
    plan: Targets
    total: Decimal | None
    parts: tuple["FundingLine", ...] = ()   # a breakdown of this line (e.g. the state budget by ministry)
    measure: str | None = None


@dataclass(frozen=True)
class Programme:
    code: str
    title: Mapping[str, str]
    region: str | None                      # None: national; else the ISO 3166-2 code of its region
    years: tuple[int, ...]
    reference: Mapping[str, str]
    funding_unit: Mapping[str, str]
    funding: tuple[FundingLine, ...]
    funding_total: FundingLine | None
    tasks: tuple[Task, ...]

    def indicators(self) -> Iterator[tuple[Task, Indicator]]:
        for task in self.tasks:
            for indicator in task.indicators:
                yield task, indicator

    def indicator(self, code: str) -> tuple[Task, Indicator] | None:
        return next(((t, i) for t, i in self.indicators() if i.code == code), None)

    def funding_lines(self) -> Iterator[FundingLine]:
        """Every source and every part of a source, in file order."""
        for line in self.funding:
            yield line
            yield from line.parts

    def funding_rows(self) -> Iterator[FundingLine]:
        """Every line an official figure can be entered for: the sources, their parts and the totals row."""
        yield from self.funding_lines()
        if self.funding_total is not None:
            yield self.funding_total


@dataclass(frozen=True)
class Problem:
    line: int | None            # None: the problem is with the file as a whole (e.g. against what is stored)
    reason: str

    def __str__(self) -> str:
        return self.reason if self.line is None else f"line {self.line}: {self.reason}"


class ProgrammeFileError(ValueError):
    """The file cannot be loaded; `problems` says where and why (every problem found, in line order)."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        super().__init__("\n".join(str(p) for p in self.problems))


class _Reader:
    """Walks the YAML node tree, turning nodes into values and noting each problem with its line."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node, reason: str) -> None:
        self.problems.append(Problem(node.start_mark.line + 1, reason))

    def mapping(self, node: yaml.Node, what: str, required: set[str], optional: set[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must be a mapping of keys to values")
            return {}
        items: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in items:
                self.problem(key_node, f"{what}: '{key}' is given twice")
            elif key not in required | optional:
                expected = ", ".join(sorted(required | optional))
                self.problem(key_node, f"{what}: unknown key '{key}' (expected one of {expected})")
            else:
                items[key] = value_node
        for key in sorted(required - set(items)):
            self.problem(node, f"{what}: '{key}' is missing")
        return items

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{what} must be a list")
            return []
        return list(node.value)

    def text(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or not node.value.strip():
            self.problem(node, f"{what} must be a non-empty text")
            return ""
        return node.value.strip()

    def local_text(self, node: yaml.Node, what: str) -> dict[str, str]:
        items = self.mapping(node, what, set(LANGUAGES), set())
        return {language: self.text(value, f"{what} ({language})") for language, value in items.items()}

    def year(self, node: yaml.Node, what: str) -> int | None:
        if isinstance(node, yaml.ScalarNode) and node.value.isdigit() and 1990 <= int(node.value) <= 2100:
            return int(node.value)
        self.problem(node, f"{what}: '{getattr(node, 'value', '')}' is not a year")
        return None

    def amount(self, node: yaml.Node, what: str) -> Decimal | None:
        """A non-negative number written as in the source ("2996.616"); empty where the source is unreadable."""
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what} must be a number or empty")
            return None
        raw = node.value.strip()
        if raw in ("", "~", "null"):
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.problem(node, f"{what}: '{raw}' is not a number (write 2996.616, no thousands separator)")
            return None
        if not value.is_finite() or value < 0:
            self.problem(node, f"{what}: '{raw}' must be a number of 0 or more")
            return None
        return value

    def by_year(self, node: yaml.Node, what: str, years: tuple[int, ...]) -> dict[int, Decimal | None]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"{what} must map each year to a value")
            return {}
        values: dict[int, Decimal | None] = {}
        for key_node, value_node in node.value:
            year = self.year(key_node, what)
            if year is None:
                continue
            if year not in years:
                self.problem(key_node, f"{what}: {year} is not one of the programme's years")
            elif year in values:
                self.problem(key_node, f"{what}: {year} is given twice")
            else:
                values[year] = self.amount(value_node, f"{what} {year}")
        return {year: values.get(year) for year in years}

    def total(self, node: yaml.Node | None, what: str, values: Mapping[int, Decimal | None]) -> Decimal | None:
        """The stated total, checked against the sum of the years where every year is readable."""
        if node is None:
            return None
        total = self.amount(node, f"{what} total")
        if total is not None and all(v is not None for v in values.values()) and sum(values.values()) != total:
            self.problem(node, f"{what}: total {total} is not the sum of the years ({sum(values.values())})")
        return total


def _code(reader: _Reader, node: yaml.Node, what: str, seen: set[str]) -> str:
    code = reader.text(node, what)
    if code and not code.replace("_", "").replace("-", "").isalnum():
        reader.problem(node, f"{what}: '{code}' may hold only letters, digits, '-' and '_'")
    if code in seen:
        reader.problem(node, f"{what}: '{code}' is used twice")
    seen.add(code)
    return code


def _measure(reader: _Reader, node: yaml.Node | None, what: str, allowed: Mapping[str, Any]) -> str | None:
    if node is None:
        return None
    key = reader.text(node, what)
    if key and key not in allowed:
        reader.problem(node, f"{what}: unknown measure '{key}' (known: {', '.join(allowed)})")
        return None
    return key or None


def _check_parts(reader: _Reader, node: yaml.Node, line: FundingLine, years: tuple[int, ...]) -> None:
    for year in years:
        parts = [part.plan.get(year) for part in line.parts]
        if line.plan.get(year) is not None and parts and None not in parts and sum(parts) != line.plan[year]:
            reader.problem(node, f"funding '{line.code}' {year}: its parts add up to {sum(parts)}, "
                                 f"not {line.plan[year]}")


def _funding_line(reader: _Reader, node: yaml.Node, years: tuple[int, ...], seen: set[str],
                  with_parts: bool = True) -> FundingLine:
    items = reader.mapping(node, "funding source", {"code", "title", "plan"},
                           {"total", "measure"} | ({"parts"} if with_parts else set()))
    code = _code(reader, items["code"], "funding source code", seen) if "code" in items else ""
    what = f"funding '{code}'"
    plan = reader.by_year(items["plan"], what, years) if "plan" in items else {}
    parts = tuple(_funding_line(reader, part, years, seen, with_parts=False)
                  for part in reader.sequence(items["parts"], f"{what} parts")) if "parts" in items else ()
    line = FundingLine(code=code, title=reader.local_text(items["title"], f"{what} title") if "title" in items else {},
                       plan=plan, total=reader.total(items.get("total"), what, plan), parts=parts,
                       measure=_measure(reader, items.get("measure"), f"{what} measure", FUNDING_MEASURES))
    _check_parts(reader, node, line, years)
    return line


def _funding_total(reader: _Reader, node: yaml.Node, sources: tuple[FundingLine, ...],
                   years: tuple[int, ...]) -> FundingLine:
    items = reader.mapping(node, "funding total", {"plan"}, {"total", "title"})
    plan = reader.by_year(items["plan"], "funding total", years) if "plan" in items else {}
    for year in years:
        values = [source.plan.get(year) for source in sources]
        if plan.get(year) is not None and None not in values and sum(values) != plan[year]:
            reader.problem(node, f"funding total {year}: the sources add up to {sum(values)}, not {plan[year]}")
    title = reader.local_text(items["title"], "funding total title") if "title" in items else {}
    total = reader.total(items.get("total"), "funding total", plan)
    return FundingLine(code="total", title=title, plan=plan, total=total)


def _regional_targets(reader: _Reader, node: yaml.Node, what: str, years: tuple[int, ...]) -> dict[str, Targets]:
    known = {record.iso_code for record in region_records()}
    items = reader.mapping(node, f"{what} regional targets", set(), known)
    return {iso: reader.by_year(value, f"{what} target for {iso}", years) for iso, value in items.items()}


def _indicator(reader: _Reader, node: yaml.Node, years: tuple[int, ...], seen: set[str]) -> Indicator:
    items = reader.mapping(node, "indicator", {"code", "title"},
                           {"unit", "targets", "total", "regional_targets", "measure", "source"})
    code = _code(reader, items["code"], "indicator code", seen) if "code" in items else ""
    what = f"indicator '{code}'"
    targets = reader.by_year(items["targets"], f"{what} targets", years) if "targets" in items \
        else dict.fromkeys(years)
    unit_node = items.get("unit")
    empty_unit = unit_node is None or (isinstance(unit_node, yaml.ScalarNode) and not unit_node.value.strip())
    return Indicator(
        code=code,
        title=reader.local_text(items["title"], f"{what} title") if "title" in items else {},
        unit=None if empty_unit else reader.local_text(unit_node, f"{what} unit"),
        targets=targets,
        total=reader.total(items.get("total"), what, targets),
        regional_targets=_regional_targets(reader, items["regional_targets"], what, years)
        if "regional_targets" in items else {},
        measure=_measure(reader, items.get("measure"), f"{what} measure", INDICATOR_MEASURES),
        source=_source(reader, items["source"], f"{what} source") if "source" in items else {},
    )


def _source(reader: _Reader, node: yaml.Node, what: str) -> dict[str, str]:
    """A place in the source document: {en, uk}, or one text that reads the same in every language (a code)."""
    if isinstance(node, yaml.ScalarNode):
        return dict.fromkeys(LANGUAGES, reader.text(node, what))
    return reader.local_text(node, what)


def _task(reader: _Reader, node: yaml.Node, years: tuple[int, ...], numbers: set[str], codes: set[str]) -> Task:
    items = reader.mapping(node, "task", {"number", "title"}, {"indicators"})
    number = _code(reader, items["number"], "task number", numbers) if "number" in items else ""
    indicators = tuple(_indicator(reader, item, years, codes)
                       for item in reader.sequence(items["indicators"], f"task {number} indicators")) \
        if "indicators" in items else ()
    title = reader.local_text(items["title"], f"task {number} title") if "title" in items else {}
    return Task(number=number, title=title, indicators=indicators)


def _years(reader: _Reader, node: yaml.Node) -> tuple[int, ...]:
    years = [reader.year(item, "years") for item in reader.sequence(node, "years")]
    if None in years:
        return ()
    if not years or years != sorted(set(years)):
        reader.problem(node, "years must list each year once, in increasing order")
    return tuple(years)


def _region(reader: _Reader, node: yaml.Node | None) -> str | None:
    if node is None or (isinstance(node, yaml.ScalarNode) and node.value in ("", "national")):
        return None
    iso = reader.text(node, "region")
    if iso and iso not in {record.iso_code for record in region_records()}:
        reader.problem(node, f"region: '{iso}' is not an ISO 3166-2 code of a region of Ukraine (e.g. UA-46)")
    return iso or None


def _compose(text: str) -> yaml.Node:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise ProgrammeFileError([Problem(mark.line + 1 if mark else 1, f"not valid YAML: {error.problem}")]) from None
    except yaml.YAMLError as error:
        raise ProgrammeFileError([Problem(1, f"not valid YAML: {error}")]) from None
    if root is None:
        raise ProgrammeFileError([Problem(1, "the file is empty")])
    return root


def parse_programme(text: str) -> Programme:
    """The programme in a file's text; raises ProgrammeFileError with every problem and its line."""
    reader = _Reader()
    items = reader.mapping(_compose(text), "programme", {"format", "code", "title", "years", "tasks"},
                           {"region", "reference", "funding"})
    if "format" in items and reader.text(items["format"], "format") != FORMAT:
        reader.problem(items["format"], f"format must be '{FORMAT}'")
    years = _years(reader, items["years"]) if "years" in items else ()
    sources: tuple[FundingLine, ...] = ()
    funding_total = None
    unit: dict[str, str] = {}
    if "funding" in items:
        funding = reader.mapping(items["funding"], "funding", {"unit", "sources"}, {"total"})
        unit = reader.local_text(funding["unit"], "funding unit") if "unit" in funding else {}
        seen: set[str] = set()
        sources = tuple(_funding_line(reader, node, years, seen)
                        for node in reader.sequence(funding["sources"], "funding sources")) \
            if "sources" in funding else ()
        funding_total = _funding_total(reader, funding["total"], sources, years) if "total" in funding else None
    numbers: set[str] = set()
    codes: set[str] = set()
    tasks = tuple(_task(reader, node, years, numbers, codes) for node in reader.sequence(items["tasks"], "tasks")) \
        if "tasks" in items else ()
    programme = Programme(
        code=_code(reader, items["code"], "code", set()) if "code" in items else "",
        title=reader.local_text(items["title"], "title") if "title" in items else {},
        region=_region(reader, items.get("region")),
        years=years,
        reference=reader.local_text(items["reference"], "reference") if "reference" in items else {},
        funding_unit=unit, funding=sources, funding_total=funding_total, tasks=tasks,
    )
    if reader.problems:
        raise ProgrammeFileError(reader.problems)
    return programme


def _amount_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _targets_document(targets: Targets) -> dict[str, str | None]:
    return {str(year): _amount_text(value) for year, value in targets.items()}


def _line_document(line: FundingLine) -> dict[str, Any]:
    return {"code": line.code, "title": dict(line.title), "plan": _targets_document(line.plan),
            "total": _amount_text(line.total), "parts": [_line_document(p) for p in line.parts],
            "measure": line.measure}


def to_document(programme: Programme) -> dict[str, Any]:
    """The programme as JSON-ready data (amounts as exact decimal strings)."""
    return {
        "code": programme.code, "title": dict(programme.title), "region": programme.region,
        "years": list(programme.years), "reference": dict(programme.reference),
        "funding_unit": dict(programme.funding_unit),
        "funding": [_line_document(line) for line in programme.funding],
        "funding_total": _line_document(programme.funding_total) if programme.funding_total else None,
        "tasks": [{"number": task.number, "title": dict(task.title), "indicators": [
            {"code": i.code, "title": dict(i.title), "unit": dict(i.unit) if i.unit else None,
             "targets": _targets_document(i.targets), "total": _amount_text(i.total),
             "regional_targets": {iso: _targets_document(t) for iso, t in i.regional_targets.items()},
             "measure": i.measure, "source": dict(i.source)}
            for i in task.indicators]} for task in programme.tasks],
    }


def _amount(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _targets(document: Mapping[str, str | None]) -> dict[int, Decimal | None]:
    return {int(year): _amount(value) for year, value in document.items()}


def _line(document: Mapping[str, Any]) -> FundingLine:
    return FundingLine(code=document["code"], title=document["title"], plan=_targets(document["plan"]),
                       total=_amount(document["total"]), parts=tuple(_line(p) for p in document["parts"]),
                       measure=document["measure"])


def _stored_source(source: str | Mapping[str, str]) -> Mapping[str, str]:
    # documents stored before the source had a text per language hold one text
    return dict.fromkeys(LANGUAGES, source) if isinstance(source, str) and source else source or {}


def from_document(document: Mapping[str, Any]) -> Programme:
    """The programme stored by `to_document`."""
    return Programme(
        code=document["code"], title=document["title"], region=document["region"], years=tuple(document["years"]),
        reference=document["reference"], funding_unit=document["funding_unit"],
        funding=tuple(_line(line) for line in document["funding"]),
        funding_total=_line(document["funding_total"]) if document["funding_total"] else None,
        tasks=tuple(Task(number=t["number"], title=t["title"], indicators=tuple(
            Indicator(code=i["code"], title=i["title"], unit=i["unit"], targets=_targets(i["targets"]),
                      total=_amount(i["total"]),
                      regional_targets={iso: _targets(t) for iso, t in i["regional_targets"].items()},
                      measure=i["measure"], source=_stored_source(i["source"]))
            for i in t["indicators"])) for t in document["tasks"]),
    )
