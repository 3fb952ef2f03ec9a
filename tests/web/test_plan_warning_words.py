"""The planner's warnings on the builder's preview and the plan page: words, never codes."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from django.test import Client
from django.urls import reverse

from taper.contract.plan_json import plan_to_json
from taper.core.planner import make_plan
from taper.core.products import Liquid
from taper.core.strategies import StepsStrategy
from taper.web.clinic.models import PlanVersion
from taper.web.clinic.presenters import supply_rows
from tests.core.planning import request
from tests.web.conftest import Cast
from tests.web.test_views_plans import builder_post


@pytest.mark.hazard("HZ-011")
def test_the_preview_and_the_plan_page_show_each_warning_in_words_naming_its_step(
    cast: Cast, client: Client,
) -> None:
    client.force_login(cast.clinician)
    # 2.5 mg cuts from 60 mg a day with quarters of a 20 mg tablet: the first cut is 5 mg.
    data = builder_post(cast, catalogue=[], step_mg="2.5")
    for action in ("preview", "save"):
        page = client.post(reverse("plan_new", args=[cast.patient.pk]), {**data, "action": action})
        html = (page if action == "preview" else client.get(page["Location"])).content.decode()
        assert "Step 1: the pace asks for a cut of at most 2.5 mg (to 57.5 mg a day)" in html
        assert "cut_larger_than_requested</code>" not in html and "(step 1)" not in html
    assert PlanVersion.objects.latest("id").plan_json["steps"][0]["target_mg"] == "57.5"


@pytest.mark.hazard("HZ-012")
def test_the_plan_page_gives_a_bottled_liquid_in_bottles() -> None:
    liquid = Liquid("sol", F(1), F(1, 2), F(1), bottle_ml=F(100), use_within_days_after_opening=14)
    plan = make_plan(request({"08:00": 5, "20:00": 5}, (liquid,), StepsStrategy((F(5),), 28)))
    assert plan_to_json(plan)["supply"][0]["bottles"] == 2
    assert supply_rows(plan)[0]["amount"] == "140 mL (2 bottles; 30 mL thrown away after opening)"
