"""How long an XLSX export of a large round takes and how much memory it needs: 10,000 responses (the demo
answers over and over) x every column (text answers included, multi answers split), written to a temporary file.

Times (wall, and the process's CPU time, steadier on a busy machine) the CSV write of those rows first, as the
yardstick, then the XLSX write, the SPSS (SAV) write and the import of the same rows from the XLSX (calamine) and
from the CSV, each printed beside the CSV write (how many times its time). For the XLSX also the peak of Python
allocations during a second run (tracemalloc slows it down, so it is not timed) and the growth of the process's
peak resident memory. Targets: XLSX under 10 s and 300 MB, SAV under 10 s, import from XLSX under 5 s and from CSV
under 3 s. Also times the national deck and the PDF report for 2,000 shelters (target for the deck: under 5 s).

Run: python -m bench.exports_bench
"""
import datetime as dt
import io
import itertools
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from shelter_monitor.dashboards.indicators import ShelterSnapshot, compute_indicators, indicators_by_region
from shelter_monitor.demo.generator import demo_answers, demo_regional_answers, demo_shelters
from shelter_monitor.exports.data import ExportData, ResponseRow
from shelter_monitor.exports.deck import write_deck
from shelter_monitor.exports.imports import read_responses
from shelter_monitor.exports.report import write_pdf
from shelter_monitor.exports.stats import write_sav
from shelter_monitor.exports.tables import table_columns, write_csv, write_xlsx
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.regions.data import region_records

RESPONSES = 10_000
DECK_RESPONSES = 2_000
VERSION = "2020.1"
VISIT = dt.date(2020, 10, 12)
TARGET_SECONDS = 10
TARGET_MB = 300
SAV_TARGET_SECONDS = 10
XLSX_IMPORT_TARGET_SECONDS = 5
CSV_IMPORT_TARGET_SECONDS = 3


def export_data(size: int = RESPONSES) -> ExportData:
    """A national export of `size` responses: the demo shelters' answers (seed 1), cycled."""
    rng = random.Random(1)
    shelters = demo_shelters()
    answers = [demo_answers(shelter, "2020-10", VISIT, True, rng) for shelter in shelters]
    cycled = itertools.islice(itertools.cycle(zip(shelters, answers, strict=True)), size)
    responses = tuple(
        ResponseRow(index + 1, index + 1, shelter.name, shelter.region, "submitted", VERSION, shelter_answers)
        for index, (shelter, shelter_answers) in enumerate(cycled)
    )
    snapshots = [ShelterSnapshot(i + 1, s.region, a) for i, (s, a) in enumerate(zip(shelters, answers, strict=True))]
    by_region = indicators_by_region(snapshots)
    regions = sorted({s.region for s in shelters})
    return ExportData(
        language="uk", round_code="2020-10", round_name="Bench", period_start=dt.date(2020, 10, 1),
        period_end=dt.date(2020, 10, 31), region=None,
        region_names={r.iso_code: r.name_uk for r in region_records()},
        definitions={VERSION: load_definition(VERSION)}, responses=responses, findings=(), recommendations=(),
        recommendation_texts={}, regional_forms={iso: demo_regional_answers(iso, rng) for iso in regions},
        national=compute_indicators(snapshots), by_region=by_region,
        gaps={key: tuple(iso for iso, ind in by_region.items() if ind.gaps[key]) for key in ("men", "under3")},
    )


def _maxrss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float

    def beside(self, csv: "Timing", target: float | None = None) -> str:
        """The times, as many times the CSV write's (by CPU, steadier), and the target."""
        text = f"{self.wall:6.2f} s (CPU {self.cpu:5.2f} s)  = {self.cpu / csv.cpu:4.1f} x the CSV write"
        return f"{text}   (target < {target:g} s)" if target is not None else text


def _timed(work) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu)


def _imported(result, data: ExportData) -> None:
    if result.errors or len(result.rows) != len(data.responses):
        raise SystemExit(f"the import gave back {len(result.rows)} rows and {len(result.errors)} errors: "
                         f"{result.errors[:3]}")


def main() -> None:
    data = export_data()
    columns = len(table_columns(data, include_text=True))
    rss_before = _maxrss_mb()
    definition = load_definition(VERSION)
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "bench.csv"

        def csv_write() -> None:
            with csv_path.open("wb") as stream:
                write_csv(data, stream, include_text=True)
        csv_time = _timed(csv_write)
        path = Path(folder) / "bench.xlsx"
        xlsx_time = _timed(lambda: write_xlsx(data, path, include_text=True))
        size_mb = path.stat().st_size / 1e6
        tracemalloc.start()
        write_xlsx(data, path, include_text=True)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_growth = _maxrss_mb() - rss_before
        sav_time = _timed(lambda: write_sav(data, Path(folder) / "bench.sav", include_text=True))
        xlsx_read = _timed(lambda: _imported(read_responses(path, path.name, definition), data))
        csv_read = _timed(lambda: _imported(read_responses(csv_path, csv_path.name, definition), data))
    print(f"{len(data.responses):,} responses x {columns} columns")
    print(f"CSV write:             {csv_time.wall:6.2f} s (CPU {csv_time.cpu:5.2f} s)")
    print(f"XLSX write:            {xlsx_time.beside(csv_time, TARGET_SECONDS)}")
    print(f"  file size:           {size_mb:6.1f} MB")
    print(f"  peak Python memory:  {peak / 1e6:6.1f} MB (tracemalloc, during the write)")
    print(f"  peak RSS growth:     {rss_growth:6.1f} MB (target < {TARGET_MB} MB; before: {rss_before:.0f} MB)")
    print(f"SAV write:             {sav_time.beside(csv_time, SAV_TARGET_SECONDS)}")
    print(f"import from the XLSX:  {xlsx_read.beside(csv_time, XLSX_IMPORT_TARGET_SECONDS)}")
    print(f"import from the CSV:   {csv_read.beside(csv_time, CSV_IMPORT_TARGET_SECONDS)}")
    smaller = export_data(DECK_RESPONSES)
    for label, writer in (("deck (PPTX)", write_deck), ("report (PDF)", write_pdf)):
        start = time.perf_counter()
        writer(smaller, io.BytesIO())
        print(f"national {label}, {DECK_RESPONSES:,} shelters: {time.perf_counter() - start:6.2f} s")


if __name__ == "__main__":
    main()
