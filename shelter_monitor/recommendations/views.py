from collections.abc import Iterable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from shelter_monitor.auth.guard import require_login
from shelter_monitor.auth.policy import Action, Addressee, can, require, scope_region
from shelter_monitor.extensions import db
from shelter_monitor.recommendations.forms import FollowUpForm, follow_up_labels
from shelter_monitor.recommendations.service import (
    NATIONAL_CODES,
    REGIONAL_CODES,
    FollowUpState,
    follow_ups,
    national_recommendations,
    national_table,
    previous_round,
    reason_labels,
    recommendation_texts,
    record_follow_up,
    regional_recommendations,
    regions_behind,
    responded_regions,
    shelters_by_id,
)
from shelter_monitor.regions.models import Region
from shelter_monitor.regions.service import all_regions, region_by_iso
from shelter_monitor.rounds.models import Round

blueprint = Blueprint("recommendations", __name__)

blueprint.before_request(require_login)


def _round(round_id: int) -> Round:
    return db.session.get(Round, round_id) or abort(404)


def _follow_up_forms(codes: Iterable[str], follow: dict[str, FollowUpState]) -> dict[str, FollowUpForm]:
    """Each recommendation's form, showing its current status and comment."""
    return {code: FollowUpForm.showing(follow[code].current if code in follow else None) for code in codes}


@blueprint.app_template_global("addressee")
def addressee(code: str, region: Region | None) -> Addressee:
    return Addressee(code, region.id if region else None)


@blueprint.get("/rounds/<int:round_id>/recommendations/region")
def pick_region(round_id: int):
    return redirect(url_for("recommendations.regional", round_id=round_id,
                            iso_code=request.args.get("region", "")))


@blueprint.get("/rounds/<int:round_id>/recommendations")
def national(round_id: int):
    round_ = _round(round_id)
    own = scope_region(current_user)
    if (not can(current_user, Action.VIEW_NATIONAL_RECOMMENDATIONS) and own is not None
            and can(current_user, Action.VIEW_REGIONAL_RECOMMENDATIONS, own)):
        return redirect(url_for("recommendations.regional", round_id=round_id, iso_code=own.iso_code))
    require(current_user, Action.VIEW_NATIONAL_RECOMMENDATIONS)
    issued = national_recommendations(round_)
    shelters = shelters_by_id(i for item in issued.values() for i in item.shelter_ids)
    previous = previous_round(round_)
    follow = follow_ups(round_, None)
    regions = all_regions(str(get_locale()))
    return render_template(
        "recommendations/national.html", round=round_, issued=issued, codes=NATIONAL_CODES,
        regional_codes=REGIONAL_CODES, table=national_table(round_), regions=regions,
        region_names={r.iso_code: r.name(str(get_locale())) for r in regions}, responded=responded_regions(round_),
        reason_labels=reason_labels(round_.questionnaire_version),
        texts=recommendation_texts(round_.questionnaire_version),
        shelters=shelters, behind=regions_behind(round_, issued, shelters),
        follow=follow, previous=previous,
        previous_follow=follow_ups(previous, None) if previous else {},
        forms=_follow_up_forms(NATIONAL_CODES, follow), statuses=follow_up_labels())


@blueprint.get("/rounds/<int:round_id>/recommendations/<iso_code>")
def regional(round_id: int, iso_code: str):
    round_ = _round(round_id)
    region = region_by_iso(iso_code) or abort(404)
    require(current_user, Action.VIEW_REGIONAL_RECOMMENDATIONS, region)
    issued = regional_recommendations(round_, region)
    previous = previous_round(round_)
    follow = follow_ups(round_, region)
    return render_template(
        "recommendations/regional.html", round=round_, region=region, issued=issued, codes=REGIONAL_CODES,
        texts=recommendation_texts(round_.questionnaire_version),
        reason_labels=reason_labels(round_.questionnaire_version),
        shelters=shelters_by_id(i for item in issued.values() for i in item.shelter_ids),
        follow=follow, previous=previous,
        previous_follow=follow_ups(previous, region) if previous else {},
        regions=all_regions(str(get_locale())), forms=_follow_up_forms(REGIONAL_CODES, follow),
        statuses=follow_up_labels())


@blueprint.post("/rounds/<int:round_id>/recommendations/<code>/follow-up")
def follow_up(round_id: int, code: str):
    round_ = _round(round_id)
    region = region_by_iso(request.form.get("region", "")) if code.startswith("R") else None
    if code not in REGIONAL_CODES + NATIONAL_CODES or (code.startswith("R") and region is None):
        abort(404)
    require(current_user, Action.FOLLOW_UP_RECOMMENDATION, Addressee(code, region.id if region else None))
    form = FollowUpForm()
    if form.validate_on_submit():
        record_follow_up(round_, code, region, form.status.data, form.comment.data or "", current_user)
        db.session.commit()
        flash(_("Status saved."), "success")
    else:
        flash(_("Choose a status."), "error")
    target = (url_for("recommendations.regional", round_id=round_id, iso_code=region.iso_code) if region
              else url_for("recommendations.national", round_id=round_id))
    return redirect(f"{target}#rec-{code}")
