"""FHIR: every resource validates as R4B, the dosage round-trips to the plan, text agrees."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import time
from decimal import Decimal
from fractions import Fraction as F

import pytest

from taper.core.amounts import decimal_str
from taper.exports import fhir
from taper.exports.fhir.dosage import read


def resources(plan, drug, options) -> dict[str, dict]:
    data = json.loads(fhir.render(plan, drug, options), parse_float=Decimal)
    return {e["resource"]["resourceType"]: e["resource"] for e in data["entry"]}


def test_every_resource_validates_as_r4b(diarist, baclofen, options) -> None:
    found = resources(diarist, baclofen, options)
    assert set(found) == {"Patient", "Medication", "CarePlan", "MedicationRequest", "Questionnaire"}
    for resource in found.values():
        fhir.validate(resource)


@pytest.mark.hazard("HZ-043")
@pytest.mark.parametrize("plan_name", ["diarist", "mixed", "across_dst"])
def test_dosages_round_trip_to_the_plan(plan_name, request, baclofen, options) -> None:
    plan = request.getfixturevalue(plan_name)
    dosages = resources(plan, baclofen, options)["MedicationRequest"]["dosageInstruction"]
    want = [
        (s.index, s.start_date, s.end_date, {d.time: d.mg for d in s.doses}) for s in plan.steps
    ]
    assert fhir.steps_from_dosages(dosages) == want


def test_dose_quantities_add_up_to_each_days_dose(diarist, baclofen, options) -> None:
    dosages = resources(diarist, baclofen, options)["MedicationRequest"]["dosageInstruction"]
    for day, step in diarist.days():
        lines = [read(d) for d in dosages]
        assert sum(x.mg for x in lines if x.start <= day <= x.end) == step.daily_mg


@pytest.mark.hazard("HZ-043")
def test_instruction_text_agrees_with_the_structure(mixed, baclofen, options) -> None:
    for d in resources(mixed, baclofen, options)["MedicationRequest"]["dosageInstruction"]:
        line = read(d)
        mg = f"{decimal_str(line.mg)} mg"
        assert d["text"].startswith(f"Step {line.step}, {line.start} to {line.end}: {mg} ")
        assert f" at {line.at:%H:%M} " in d["text"]
        said = re.fullmatch(
            r"Take (.+) \((.+) mg\) at (\d\d:\d\d) every day from (.+) to (.+)\.",
            d["patientInstruction"],
        )
        assert said is not None
        assert (F(Decimal(said[2])), said[3]) == (line.mg, f"{line.at:%H:%M}")
        assert said[4] == f"{line.start.day} {line.start:%B %Y}"
        assert said[5] == f"{line.end.day} {line.end:%B %Y}"


def test_doses_are_ucum_mg(diarist, baclofen, options) -> None:
    for d in resources(diarist, baclofen, options)["MedicationRequest"]["dosageInstruction"]:
        q = d["doseAndRate"][0]["doseQuantity"]
        assert (q["system"], q["code"]) == ("http://unitsofmeasure.org", "mg")


@pytest.mark.hazard("HZ-044")
def test_an_unreviewed_plan_is_a_draft_proposal(diarist, baclofen, options) -> None:
    found = resources(diarist, baclofen, options)
    assert (found["MedicationRequest"]["status"], found["MedicationRequest"]["intent"]) == (
        "draft",
        "proposal",
    )
    assert found["CarePlan"]["status"] == "draft"
    assert "not reviewed by a prescriber" in found["CarePlan"]["description"]


def test_an_approved_plan_is_an_active_order(diarist, baclofen, options) -> None:
    approved = dataclasses.replace(options, approval="approved by Dr A. Jones on 2026-11-30")
    found = resources(diarist, baclofen, approved)
    assert (found["MedicationRequest"]["status"], found["MedicationRequest"]["intent"]) == (
        "active",
        "order",
    )


def test_the_request_is_based_on_the_careplan(diarist, baclofen, options) -> None:
    data = json.loads(fhir.render(diarist, baclofen, options))
    urls = {e["resource"]["resourceType"]: e["fullUrl"] for e in data["entry"]}
    request = data["entry"][3]["resource"]
    assert request["basedOn"] == [{"reference": urls["CarePlan"]}]
    assert request["medicationReference"] == {"reference": urls["Medication"]}


def test_medication_is_text_only_without_a_verified_code(baclofen) -> None:
    assert fhir.medication_code(baclofen) == {"text": "Baclofen"}
    unverified = dataclasses.replace(
        baclofen, sections={"codes": {"rxnorm": {"code": "TEST-1", "verified": False}}}
    )
    assert "coding" not in fhir.medication_code(unverified)


def test_medication_carries_rxnorm_when_verified(baclofen) -> None:
    verified = dataclasses.replace(
        baclofen, sections={"codes": {"rxnorm": {"code": "TEST-1", "verified": True}}}
    )
    (coding,) = fhir.medication_code(verified)["coding"]
    assert coding["system"] == "http://www.nlm.nih.gov/research/umls/rxnorm"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.update(status="bogus"), "status"),
        (
            lambda r: r["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"].update(code="g"),
            "UCUM mg",
        ),
        (lambda r: r.pop("subject"), "subject"),
    ],
    ids=["unknown status", "grams", "no subject"],
)
def test_own_checks_catch_what_the_models_do_not(change, message, diarist, baclofen, options):
    request = fhir.bundle(diarist, baclofen, options)["entry"][3]["resource"]
    change(request)
    with pytest.raises(fhir.FhirError, match=message):
        fhir.validate(request)


DAY3 = {
    "date": "2026-12-03",
    "symptoms": {"muscle_spasms": 2, "insomnia": 1, "anxiety": 0},
    "spasticity": 5,
    "sleep_quality": 4,
    "temperature_c": "37.8",
    "heart_rate": 96,
    "doses_taken": ["08:00", "20:00"],
    "note": "stiff legs in the evening",
}


def answers(response: dict, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], list]:
    """Every answered item by its path of linkIds."""
    found: dict[tuple[str, ...], list] = {}
    for item in response.get("item", []):
        here = (*path, item["linkId"])
        if "answer" in item:
            found[here] = item["answer"]
        found.update(answers(item, here))
    return found


def questions(questionnaire: dict, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], dict]:
    found: dict[tuple[str, ...], dict] = {}
    for item in questionnaire.get("item", []):
        here = (*path, item["linkId"])
        found[here] = item
        found.update(questions(item, here))
    return found


def test_questionnaire_asks_every_catalogue_symptom_in_its_domain(rules) -> None:
    q = fhir.questionnaire(rules.symptoms)
    fhir.validate(q)
    assert [i["linkId"] for i in q["item"]] == [
        "symptoms", "spasticity", "sleep-quality", "temperature", "heart-rate", "doses-taken",
        "doses-taken.times", "note",
    ]  # fmt: skip
    choices = {path: item for path, item in questions(q).items() if item["type"] == "choice"}
    assert list(choices) == [
        ("symptoms", f"symptoms.{s.domain}", f"symptom.{s.id}")
        for d in ("physical", "psychological", "cognitive", "sleep")
        for s in rules.symptoms
        if s.domain == d
    ]
    by_id = {s.id: s for s in rules.symptoms}
    for path, item in choices.items():
        assert item["text"] == by_id[path[-1].removeprefix("symptom.")].wording
        options = [o["valueCoding"] for o in item["answerOption"]]
        assert [(o["code"], o["display"]) for o in options] == [
            (str(i), label) for i, label in enumerate(rules.severity_labels)
        ]


def test_the_bundle_has_the_questionnaire_only_for_a_monitored_drug(
    diarist, baclofen, options, rules
) -> None:
    assert resources(diarist, baclofen, options)["Questionnaire"] == fhir.questionnaire(
        rules.symptoms
    )
    unmonitored = dataclasses.replace(baclofen, id="not-monitored")
    assert "Questionnaire" not in resources(diarist, unmonitored, options)


@pytest.mark.parametrize("day", [DAY3, {"date": "2026-12-04", "spasticity": 3}])
def test_a_checkin_becomes_a_valid_questionnaire_response(day, checkins, rules) -> None:
    (checkin,) = checkins(day)
    response = fhir.questionnaire_response(checkin, rules.symptoms, patient="Patient/p1")
    fhir.validate(response)
    assert response["questionnaire"].startswith("urn:taper:questionnaire:daily-check-in|")
    assert response["authored"] == day["date"]
    # Every answer is to a question of the Questionnaire, at the same place.
    asked = questions(fhir.questionnaire(rules.symptoms))
    assert set(answers(response)) <= set(asked)


def test_the_response_round_trips_the_checkin(checkins, rules) -> None:
    (checkin,) = checkins(DAY3)
    response = fhir.questionnaire_response(checkin, rules.symptoms, patient="Patient/p1")
    found = {path[-1]: a for path, a in answers(response).items()}
    symptoms = {
        k.removeprefix("symptom."): int(a[0]["valueCoding"]["code"])
        for k, a in found.items()
        if k.startswith("symptom.")
    }
    assert symptoms == DAY3["symptoms"]  # every reported one, the explicit 0 too
    assert found["spasticity"] == [{"valueInteger": 5}]
    assert found["sleep-quality"] == [{"valueInteger": 4}]
    assert found["temperature"] == [{"valueDecimal": Decimal("37.8")}]
    assert found["heart-rate"] == [{"valueInteger": 96}]
    assert found["doses-taken"] == [{"valueInteger": 2}]
    assert [time.fromisoformat(a["valueTime"]) for a in found["doses-taken.times"]] == [
        time(8), time(20)
    ]
    assert found["note"] == [{"valueString": DAY3["note"]}]


def test_no_doses_taken_is_an_answer_of_zero(checkins, rules) -> None:
    (checkin,) = checkins({"date": "2026-12-04", "doses_taken": []})
    response = fhir.questionnaire_response(checkin, rules.symptoms, patient="Patient/p1")
    assert response["item"] == [{"linkId": "doses-taken", "answer": [{"valueInteger": 0}]}]


def test_response_and_observation_ids_are_stable(checkins, rules) -> None:
    first, again, other = checkins(DAY3, DAY3, {**DAY3, "date": "2026-12-05"})
    ids = [
        (fhir.questionnaire_response(c, rules.symptoms, patient="Patient/p1")["id"],
         [o["id"] for o in fhir.observations(c, patient="Patient/p1")])
        for c in (first, again, other)
    ]  # fmt: skip
    assert ids[0] == ids[1] and ids[0][0] != ids[2][0] and set(ids[0][1]).isdisjoint(ids[2][1])
    response_id = ids[0][0]
    for observation in fhir.observations(first, patient="Patient/p1"):
        assert observation["derivedFrom"] == [
            {"reference": f"QuestionnaireResponse/{response_id}"}
        ]


def test_a_symptom_missing_from_the_catalogue_is_refused(checkins, rules) -> None:
    (checkin,) = checkins({"date": "2026-12-04", "symptoms": {"anxiety": 1}})
    physical = [s for s in rules.symptoms if s.domain == "physical"]
    with pytest.raises(ValueError, match="anxiety"):
        fhir.questionnaire_response(checkin, physical, patient="Patient/p1")


def test_vitals_become_loinc_observations_in_ucum(checkins) -> None:
    (checkin,) = checkins(DAY3)
    temperature, pulse = fhir.observations(checkin, patient="Patient/p1")
    for observation in (temperature, pulse):
        fhir.validate(observation)
        assert observation["effectiveDateTime"] == "2026-12-03"
    assert temperature["code"]["coding"][0]["code"] == "8310-5"
    assert (temperature["valueQuantity"]["code"], temperature["valueQuantity"]["value"]) == (
        "Cel",
        Decimal("37.8"),
    )
    assert pulse["code"]["coding"][0]["code"] == "8867-4"
    assert (pulse["valueQuantity"]["code"], pulse["valueQuantity"]["value"]) == ("/min", 96)


def test_no_vitals_no_observations(checkins) -> None:
    (checkin,) = checkins({"date": "2026-12-04"})
    assert fhir.observations(checkin, patient="Patient/p1") == []
