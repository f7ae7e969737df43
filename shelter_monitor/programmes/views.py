from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from shelter_monitor.auth.guard import require_login
from shelter_monitor.auth.policy import Action, can, require
from shelter_monitor.errors import FieldError
from shelter_monitor.extensions import db
from shelter_monitor.programmes.charts import SERIES, latest_year_with_actuals, share_groups, year_groups
from shelter_monitor.programmes.figures import format_amount, format_measured, format_share
from shelter_monitor.programmes.forms import ActualValueForm
from shelter_monitor.programmes.measures import MEASURES
from shelter_monitor.programmes.models import Programme, Target
from shelter_monitor.programmes.service import (
    enter_value,
    history,
    measured_for,
    overview,
    programme_by_code,
    programme_plan,
    programmes,
    region_breakdown,
)
from shelter_monitor.questionnaire.model import localize
from shelter_monitor.regions.models import Region
from shelter_monitor.regions.service import all_regions, region_by_iso

blueprint = Blueprint("programmes", __name__)
blueprint.before_request(require_login)


@blueprint.app_template_filter("amount")
def amount_filter(value) -> str:
    return format_amount(value, str(get_locale()))


@blueprint.app_template_filter("measured")
def measured_filter(value, lower_bound: bool) -> str:
    return format_measured(value, lower_bound, str(get_locale()))


@blueprint.app_template_filter("share")
def share_filter(value) -> str:
    return format_share(value, str(get_locale()))


def _programme(code: str) -> Programme:
    row = programme_by_code(code) or abort(404)
    require(current_user, Action.VIEW_PROGRAMME, row)
    return row


def _view_region(row: Programme, iso: str | None) -> Region | None:
    """The region the page shows (None: national); a regional programme always shows its own region."""
    if row.region is not None:
        return row.region
    if not iso:
        return None
    region = region_by_iso(iso) or abort(404)
    require(current_user, Action.VIEW_PROGRAMME_REGION, region)
    return region


def _visible_regions(row: Programme) -> list[Region]:
    if row.region is not None:
        return [row.region]
    return [r for r in all_regions(str(get_locale())) if can(current_user, Action.VIEW_PROGRAMME_REGION, r)]


def _entry_regions(row: Programme) -> list[Region | None]:
    """Where the user may enter figures: nationally (None) and/or regions, as the policy allows."""
    places: list[Region | None] = [None] if row.region is None else []
    places += all_regions(str(get_locale())) if row.region is None else [row.region]
    return [place for place in places if can(current_user, Action.ENTER_PROGRAMME_VALUE, (row, place))]


def _entry_form(row: Programme, kind: str, code: str, region: Region | None) -> ActualValueForm | None:
    places = _entry_regions(row)
    if not places:
        return None
    form = ActualValueForm(kind=kind)
    parsed = programme_plan(row)
    locale = str(get_locale())
    if kind == Target.INDICATOR:
        form.code.choices = [(code, code)]
    else:
        form.code.choices = [(line.code, localize(line.title, locale)) for line in parsed.funding_rows()]
    if request.method == "GET" and code:
        form.code.data = code
    form.year.choices = [(year, str(year)) for year in parsed.years]
    form.region.choices = [(p.iso_code if p else "", p.name(locale) if p else _("National figure"))
                           for p in places]
    if request.method == "GET":
        form.region.data = region.iso_code if region and region in places else form.region.choices[0][0]
    return form


def _visible_history(row: Programme, kind: str, code: str | None):
    return [entry for entry in history(row, kind, code)
            if entry.region is None or can(current_user, Action.VIEW_PROGRAMME_REGION, entry.region)]


@blueprint.get("/programmes")
def list_programmes():
    require(current_user, Action.VIEW_PROGRAMMES)
    rows = [row for row in programmes() if can(current_user, Action.VIEW_PROGRAMME, row)]
    return render_template("programmes/list.html", programmes=[(row, programme_plan(row)) for row in rows])


@blueprint.get("/programmes/<code>")
def show(code: str):
    row = _programme(code)
    region = _view_region(row, request.args.get("region"))
    view = overview(row, region)
    year = request.args.get("year", type=int)
    year = year if year in view.years else latest_year_with_actuals(view)
    return render_template("programmes/overview.html", row=row, view=view, region=region,
                           regions=_visible_regions(row), year=year,
                           shares=share_groups(view, year, str(get_locale())))


def _measured(row: Programme, regions: list[Region]):
    """What the platform measured for the programme, nationally and in the regions (the rounds are read once)."""
    return measured_for(programme_plan(row), [region.iso_code for region in regions])


def _indicator_page(row: Programme, indicator_code: str, region: Region | None, form: ActualValueForm | None,
                    status: int = 200):
    regions = _visible_regions(row)
    measured = _measured(row, regions)
    view = overview(row, region, measured)
    found = view.row(Target.INDICATOR, indicator_code) or abort(404)
    task = next(t.task for t in view.tasks if found in t.rows)
    breakdown = region_breakdown(row, Target.INDICATOR, indicator_code, regions, measured) \
        if region is None and row.region is None else []
    return render_template("programmes/indicator.html", row=row, view=view, item=found, task=task, region=region,
                           regions=regions, groups=year_groups(found, view.years), series=SERIES,
                           breakdown=breakdown, history=_visible_history(row, Target.INDICATOR, indicator_code),
                           form=form), status


@blueprint.get("/programmes/<code>/indicators/<indicator_code>")
def indicator(code: str, indicator_code: str):
    row = _programme(code)
    region = _view_region(row, request.args.get("region"))
    return _indicator_page(row, indicator_code, region, _entry_form(row, Target.INDICATOR, indicator_code, region))


def _funding_page(row: Programme, region: Region | None, form: ActualValueForm | None, status: int = 200):
    regions = _visible_regions(row)
    measured = _measured(row, regions)
    view = overview(row, region, measured)
    measured_lines = [line for line in view.funding if line.measure is not None]
    breakdowns = {line.code: region_breakdown(row, Target.FUNDING, line.code, regions, measured)
                  for line in view.funding} if region is None and row.region is None else {}
    charts = [(line, year_groups(line, view.years)) for line in [view.funding_total, *measured_lines] if line]
    return render_template("programmes/funding.html", row=row, view=view, region=region, regions=regions,
                           charts=charts, series=SERIES,
                           breakdowns={code: rows for code, rows in breakdowns.items() if rows},
                           history=_visible_history(row, Target.FUNDING, None), form=form,
                           line_names={line.code: localize(line.title, str(get_locale()))
                                       for line in [*view.funding, view.funding_total] if line}), status


@blueprint.get("/programmes/<code>/funding")
def funding(code: str):
    row = _programme(code)
    region = _view_region(row, request.args.get("region"))
    return _funding_page(row, region, _entry_form(row, Target.FUNDING, "", region))


def _target_region(row: Programme, iso: str) -> Region | None:
    if not iso:
        return None
    return region_by_iso(iso) or abort(404)


@blueprint.post("/programmes/<code>/values")
def enter(code: str):
    row = _programme(code)
    kind = request.form.get("kind", "")
    if kind not in (Target.INDICATOR, Target.FUNDING):
        abort(404)
    entry_code = request.form.get("code", "")
    region = _target_region(row, request.form.get("region", ""))
    require(current_user, Action.ENTER_PROGRAMME_VALUE, (row, region))
    form = _entry_form(row, kind, entry_code, region)
    view_region = region if row.region is None else None
    if form.validate_on_submit():
        try:
            enter_value(current_user, row, kind, entry_code, form.year.data, region, form.value.data,
                        form.source.data, form.note.data)
        except FieldError as error:
            getattr(form, error.field, form.value).errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Figure saved."), "success")
            return redirect(_page_url(row, kind, entry_code, view_region))
    if kind == Target.INDICATOR:
        return _indicator_page(row, entry_code, view_region, form, status=400)
    return _funding_page(row, view_region, form, status=400)


def _page_url(row: Programme, kind: str, code: str, region: Region | None) -> str:
    args = {"region": region.iso_code} if region else {}
    if kind == Target.INDICATOR:
        return url_for("programmes.indicator", code=row.code, indicator_code=code, **args)
    return url_for("programmes.funding", code=row.code, **args)


@blueprint.app_template_global("measure_label")
def measure_label(key: str) -> tuple[str, str]:
    measure = MEASURES[key]
    return _(measure.label), _(measure.qualifier)

