"""How long the rules take over a large round: 5,000 demo responses through evaluate_round, best of 5.

Run: python -m bench.rules_bench
"""
import datetime as dt
import itertools
import random
import time

from shelter_monitor.demo.generator import DEMO_REGIONS_WITHOUT_FORM, demo_answers, demo_regional_answers, demo_shelters
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.rules.engine import evaluate_round, load_rules

RESPONSES = 5_000
REPEATS = 5
VISIT = dt.date(2020, 10, 12)


def demo_round(size: int = RESPONSES) -> tuple[list[tuple[str, str, dict]], dict[str, dict]]:
    """`size` responses: the demo shelters over and over, each pass drawn from its own seed."""
    shelters = demo_shelters()
    responses = []
    for seed in itertools.count():
        rng = random.Random(seed)
        for shelter in shelters:
            if len(responses) == size:
                regional_rng = random.Random(2020)
                regions = sorted({s.region for s in shelters} - set(DEMO_REGIONS_WITHOUT_FORM))
                return responses, {iso: demo_regional_answers(iso, regional_rng) for iso in regions}
            answers = demo_answers(shelter, "2020-10", VISIT, True, rng)
            responses.append((f"{shelter.key}-{seed}", shelter.region, answers))
    raise AssertionError("unreachable")


def best_time(function, repeats: int = REPEATS) -> float:
    """The fastest of `repeats` runs, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    rules = load_rules(load_definition())
    responses, regional = demo_round()
    seconds = best_time(lambda: evaluate_round(rules, responses, regional))
    print(f"rules: evaluate {len(responses)} responses: {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
