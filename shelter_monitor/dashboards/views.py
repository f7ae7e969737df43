from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from shelter_monitor.auth.guard import require_login
from shelter_monitor.auth.policy import Action, can, require, scope_region
from shelter_monitor.cache import FragmentCache
from shelter_monitor.collation import collated
from shelter_monitor.dashboards.indicators import INDICATORS, IndicatorSpec
from shelter_monitor.dashboards.service import (
    dashboard_round,
    gap_regions,
    national_dashboard,
    region_shelters,
    stored_version,
    trends,
)
from shelter_monitor.dashboards.views_model import bars, indicator_spec, map_tiles
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.answers import LocalText
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.regions.service import all_regions, region_by_iso
from shelter_monitor.regions.tiles import grid_size, tile_labels
from shelter_monitor.rounds.models import Round
from shelter_monitor.rounds.service import rounds_newest_first
from shelter_monitor.shelters.service import STATUS_LABELS

GAP_LABELS = {
    "men": _l("Men"),
    "mothers_children": _l("Mothers with children"),
    "under3": _l("Children under 3"),
    "fathers_children": _l("Fathers with a child"),
    "foreigners": _l("Foreigners and stateless persons"),
}

NATIONAL_BODIES = FragmentCache()

blueprint = Blueprint("dashboards", __name__)
blueprint.before_request(require_login)


def refusal_labels(round_: Round) -> dict[str, LocalText]:
    """C8b's choices (the refusal reasons) labelled in the reader's language."""
    return {c.value: LocalText(c.label) for c in load_definition(round_.questionnaire_version).question("C8b").choices}


def _round(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id) or abort(404)
    require(current_user, Action.VIEW_DASHBOARD)
    return round_


@blueprint.get("/dashboard")
def start():
    require(current_user, Action.VIEW_DASHBOARD)
    round_ = dashboard_round(scope_region(current_user))
    if round_ is None:
        flash(_("There is no monitoring round yet: the dashboard shows a round's figures."), "info")
        return redirect(url_for("rounds.list_rounds"))
    return redirect(url_for("dashboards.national", round_id=round_.id))


@blueprint.get("/rounds/<int:round_id>/dashboard")
def national(round_id: int):
    round_ = _round(round_id)
    own_region = scope_region(current_user)
    own = own_region.iso_code if own_region is not None else None
    spec = indicator_spec(request.args.get("indicator"))
    return render_template("dashboards/national.html", round=round_, spec=spec,
                           body=_national_body(round_, spec, own, str(get_locale())),
                           rounds=db.session.scalars(rounds_newest_first()).all())


def _national_body(round_: Round, spec: IndicatorSpec, own: str | None, locale: str) -> Markup:
    """The figures of the national dashboard, rendered once per version of the stored indicators."""
    key = (round_.id, stored_version(round_), spec.key, own, locale)
    body = NATIONAL_BODIES.get(key)
    if body is None:
        dashboard = national_dashboard(round_, only_region=own)
        names = {r.iso_code: r.name(locale) for r in all_regions(locale)}
        rows = collated(dashboard.by_region.items(), key=lambda item: names[item[0]])
        body = Markup(render_template(
            "dashboards/_national_body.html", round=round_, dashboard=dashboard, spec=spec, indicators=INDICATORS,
            names=names, rows=rows, tiles=map_tiles(dashboard.by_region, spec.key), grid=grid_size(),
            tile_labels=tile_labels(locale),
            chart=bars([(names[iso], getattr(ind, spec.attribute)) for iso, ind in rows]),
            gaps={key: collated(isos, key=names.get) for key, isos in gap_regions(dashboard.by_region).items()},
            own_region=own, gap_labels=GAP_LABELS,
            refusal_labels=refusal_labels(round_)))
        NATIONAL_BODIES.put(key, body)
    return body


@blueprint.get("/rounds/<int:round_id>/dashboard/<iso_code>")
def region(round_id: int, iso_code: str):
    round_ = _round(round_id)
    region_ = region_by_iso(iso_code) or abort(404)
    require(current_user, Action.VIEW_REGION_DASHBOARD, region_)
    rows, indicators = region_shelters(round_, region_)
    return render_template("dashboards/region.html", round=round_, region=region_, rows=rows,
                           indicators=indicators, specs=INDICATORS, free_spec=indicator_spec("free_places"),
                           status_labels=STATUS_LABELS, refusal_labels=refusal_labels(round_),
                           chart=bars([(s.shelter.name, s.free_places) for s in rows]))


@blueprint.get("/dashboard/trends")
def trend():
    require(current_user, Action.VIEW_DASHBOARD)
    region_ = region_by_iso(request.args.get("region", "")) if request.args.get("region") else None
    if region_ is not None and not can(current_user, Action.VIEW_REGION_DASHBOARD, region_):
        abort(403)
    spec = indicator_spec(request.args.get("indicator"))
    series = trends(region_)
    return render_template("dashboards/trends.html", region=region_, series=series, spec=spec,
                           indicators=INDICATORS, regions=all_regions(str(get_locale())),
                           chart=bars([(round_.code, getattr(ind, spec.attribute)) for round_, ind in series]))
