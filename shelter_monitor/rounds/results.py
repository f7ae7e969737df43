"""Everything derived from a round's answers, stored so that pages and exports read it instead of recomputing."""
from shelter_monitor.availability.service import refresh_latest_answers
from shelter_monitor.dashboards.service import refresh_indicators
from shelter_monitor.recommendations.service import refresh_round
from shelter_monitor.rounds.models import Round


def refresh_results(round_: Round) -> None:
    """Recompute the round's findings, recommendations and indicators, and its shelters' latest answers (after
    any change to what counts)."""
    refresh_round(round_)
    refresh_indicators(round_)
    refresh_latest_answers(round_)
