"""The patient page's chart: SVG drawn on the server, with a title, a description and the
same numbers as a table."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.test import Client

from taper.web.clinic.chart import chart
from taper.web.clinic.engine import stored_plan
from tests.web import factories
from tests.web.conftest import Cast


def test_the_chart_draws_each_step_and_each_checkin(cast: Cast) -> None:
    plan = stored_plan(cast.plan.plan_json)
    start = plan.start_date
    checkins = [SimpleNamespace(date=start + timedelta(days=1), pk=1,
                                data={"symptoms": {"anxiety": 2, "insomnia": 1}, "spasticity": 4}),
                SimpleNamespace(date=start + timedelta(days=1), pk=2,  # amends the first
                                data={"symptoms": {"anxiety": 1}, "sleep_quality": 6})]
    drawn = chart(plan, checkins)
    # One horizontal run per daily dose, joined by vertical drops: two points per change.
    doses = {s.daily_mg for s in plan.steps} | {sum(d.mg for d in plan.baseline)}
    assert len(drawn["dose_points"].split()) >= 2 * len(doses)
    [row] = drawn["rows"]
    assert (row.day, row.daily, row.burden, row.spasticity, row.sleep) == (
        start + timedelta(days=1), "55 mg", 1, None, 6)
    assert drawn["first"] < start and drawn["end"] == plan.stop_date


def test_the_patient_page_has_an_accessible_chart_with_its_table(cast: Cast, client: Client) -> None:
    factories.week_of_checkins(cast.patient, 3)
    client.force_login(cast.clinician)
    html = client.get(f"/patients/{cast.patient.pk}/").content.decode()
    assert '<svg' in html and 'role="img"' in html and '<title id="chart-title">' in html
    assert '<desc id="chart-desc">' in html and 'data-testid="chart-table"' in html
    assert "<script" not in html.split('data-testid="chart"')[1].split("</svg>")[0]
    assert html.count('class="score-spasticity"') == 3  # a dot per check-in


def test_a_chart_with_no_checkins_still_draws_the_plan(db: None) -> None:
    doctor = factories.clinician()
    person = factories.patient(doctor)
    version = factories.active_plan(person, doctor, started_days_ago=0)
    drawn = chart(stored_plan(version.plan_json), [])
    assert drawn["rows"] == [] and drawn["dose_points"]
    assert drawn["first"] == factories.today_of(person) - timedelta(days=1)
    assert isinstance(drawn["end"], date)


@pytest.mark.hazard("HZ-223")
def test_today_s_chart_draws_the_same_numbers_in_spanish(cast: Cast, client: Client) -> None:
    """SVG coordinates are numbers for the browser, not words for the reader: a Spanish page
    once wrote the check-in dots at cx="62,5", which no browser draws."""
    import re

    factories.week_of_checkins(cast.patient)
    pages = {}
    for language in ("en", "es"):
        cast.patient.language = language
        cast.patient.save(update_fields=["language"])
        client.force_login(cast.patient.user)
        page = client.get("/today/").content.decode()
        svg = page[page.index("<svg"):page.index("</svg>")]
        pages[language] = re.findall(r'(?:cx|x1|x2|y1|y2|cy|x|y)="([^"]*)"', svg)
        assert pages[language] and not [v for v in pages[language] if "," in v], svg
    assert pages["en"] == pages["es"]


@pytest.mark.hazard("HZ-223")
def test_the_plan_page_s_chart_draws_the_same_numbers_in_spanish(cast: Cast) -> None:
    """The plan page's chart too (a patient planning alone reads it in their language)."""
    import re

    from django.template.loader import render_to_string
    from django.utils import translation

    factories.week_of_checkins(cast.patient, 3)
    drawn = chart(stored_plan(cast.plan.plan_json), list(cast.patient.checkins.all()))
    numbers = {}
    for language in ("en", "es"):
        with translation.override(language):
            html = render_to_string("clinic/_chart.html", {"chart": drawn})
        svg = html[html.index("<svg"):html.index("</svg>")]
        numbers[language] = re.findall(r' (?:cx|cy|x|y|x1|x2|y1|y2)="([^"]*)"', svg)
        assert numbers[language] and not [v for v in numbers[language] if "," in v]
    assert numbers["en"] == numbers["es"]
