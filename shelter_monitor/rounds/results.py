"""Everything derived from a round's answers, stored so that pages and exports read it instead of recomputing.

Whoever writes a round's stored results holds the round's results lock (rounds.service.lock_results) until the
transaction ends, so concurrent workflow steps in one round never interleave their writes. A workflow step
recomputes only what it changes: the response's findings, its region's recommendations and indicators, the
national ones combined from the regions' stored parts (RegionResult), its shelter's latest answers. The result
is exactly what a whole-round recompute (refresh_results, `flask results refresh`) stores.
"""
from shelter_monitor.availability.service import refresh_latest_answers
from shelter_monitor.dashboards.service import has_region_parts, refresh_indicators, refresh_region_indicators
from shelter_monitor.recommendations.service import (
    refresh_national,
    refresh_region,
    refresh_response_findings,
    refresh_round,
)
from shelter_monitor.responses.models import COUNTED_STATES, RegionalForm, Response
from shelter_monitor.rounds.models import Round
from shelter_monitor.rounds.service import lock_results


def refresh_results(round_: Round) -> None:
    """Recompute the whole round's findings, recommendations and indicators, and its shelters' latest answers
    (after an import, an upgrade, or whenever the stored results may be out of date)."""
    lock_results(round_)
    refresh_round(round_)
    refresh_indicators(round_)
    refresh_latest_answers(round_)


def refresh_response_results(response: Response, counted_before: bool) -> None:
    """After a response's state or answers changed: recompute what depends on it, if it counted before or
    counts now (a draft's saves and an approval of a submitted response change nothing that is counted, and
    recompute nothing). Its findings, its region's recommendations and indicators, the national ones, its
    shelter's latest answers; the whole round instead when the round's results have no regional parts yet."""
    if not counted_before and response.state not in COUNTED_STATES:
        return
    round_ = response.round
    lock_results(round_)
    if not has_region_parts(round_):
        refresh_results(round_)
        return
    region = response.shelter.region
    refresh_response_findings(round_, response)
    refresh_region(round_, region)
    refresh_national(round_)
    refresh_region_indicators(round_, region)
    refresh_latest_answers(round_, [response.shelter_id])


def refresh_regional_form_results(form: RegionalForm) -> None:
    """After a regional form was saved: its region's recommendations (a regional form decides regional
    categories only, so the national ones and the indicators do not change)."""
    lock_results(form.round)
    if not has_region_parts(form.round):
        refresh_results(form.round)
        return
    refresh_region(form.round, form.region)
