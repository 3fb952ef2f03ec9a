"""`taper pk`: every format carries the disclaimer; bad input exits 2 with one line."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from taper.cli import main
from taper.cli import pk as pk_cli
from taper.core.pk import DISCLAIMER
from taper.core.plan import Plan
from taper.knowledge.pk import PkKnowledge

from .conftest import CHEVILLARD, IMBERT, RENAL


@pytest.fixture
def fake_edges(monkeypatch: pytest.MonkeyPatch, diarist_plan: Plan) -> None:
    """The planner and the [pk] data arrive with other branches: stand in for both here."""
    monkeypatch.setattr(pk_cli, "plan_of", lambda data: (diarist_plan, None))
    knowledge = PkKnowledge((CHEVILLARD, IMBERT), "chevillard-2017", RENAL)
    monkeypatch.setattr(pk_cli, "knowledge_of", lambda drug_id: knowledge)


@pytest.fixture
def request_file(tmp_path: Path) -> Path:
    path = tmp_path / "request.json"
    path.write_text('{"drug": "baclofen", "strategy": {"kind": "fixed_mg"}}')
    return path


def run(*argv: str) -> int:
    return main(["pk", *argv])


@pytest.mark.hazard("HZ-060")
@pytest.mark.parametrize("fmt", ["table", "json", "svg"])
def test_every_text_output_says_it_is_a_model(
    fmt: str, fake_edges: None, request_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / f"out.{fmt}"
    assert run(str(request_file), "--format", fmt, "-o", str(out), "--patients", "50") == 0
    assert DISCLAIMER in out.read_text("utf-8")


@pytest.mark.hazard("HZ-060")
def test_the_png_is_a_real_png_with_the_disclaimer(
    fake_edges: None, request_file: Path, tmp_path: Path
) -> None:
    import matplotlib.image
    from PIL import Image

    out = tmp_path / "curve.png"
    assert run(str(request_file), "--format", "png", "-o", str(out), "--patients", "50") == 0
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.image.imread(io.BytesIO(data)).shape[:2] == (550, 1100)
    assert Image.open(io.BytesIO(data)).text["Description"] == DISCLAIMER


def test_the_svg_parses_with_an_svg_root_and_labelled_axes(
    fake_edges: None, request_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "curve.svg"
    assert run(str(request_file), "--format", "svg", "-o", str(out), "--patients", "50") == 0
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = out.read_text("utf-8")
    assert "Plasma concentration (ng/mL)" in text and "Days from 2026-12-01" in text


@pytest.mark.hazard("HZ-061")
def test_json_gives_exact_daily_doses_and_levels_in_ng_ml(
    fake_edges: None, request_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(str(request_file), "--format", "json", "--patients", "100", "--seed", "7") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["units"] == {"concentration": "ng/mL", "time": "hours"}
    assert [s["daily_mg"] for s in doc["steps"]] == [str(mg) for mg in range(55, 0, -5)]
    first = doc["steps"][0]
    assert first["start_date"] == "2026-12-01" and first["mean_change_percent"] == -8.3
    assert first["mean_ng_ml"] == pytest.approx(55 / 8.0 / 24 * 1000, abs=0.05)
    assert first["longest_gap"]["after"] == "20:00" and first["longest_gap"]["hours"] == 12.0
    low, high = first["band_5_95"]["trough_ng_ml"]
    assert low < first["trough_ng_ml"] < high
    curve = doc["curve"]
    assert len(curve["hours"]) == len(curve["typical_ng_ml"]) == len(curve["p95_ng_ml"])
    assert doc["variability"] == {"patients": 100, "seed": 7, "percentiles": [5, 95]}


def test_the_table_shows_each_step_and_the_renal_effect(
    fake_edges: None, request_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(str(request_file), "--crcl", "40", "--model", "imbert-2018", "--patients", "0") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == DISCLAIMER
    assert "imbert-2018" in out and "clearance × 0.58, exposure × 1.72" in out
    assert "12.0 h" in out and "2026-12-06" in out


BAD_FLAGS = {
    "negative crcl": (["--crcl", "-5"], "--crcl: creatinine clearance in mL/min"),
    "crcl in µmol/L": (["--crcl", "900"], "--crcl: creatinine clearance in mL/min"),
    "crcl a word": (["--crcl", "normal"], "--crcl:"),
    "unknown model": (["--model", "kochak-1985"], "--model: one of chevillard-2017, imbert"),
    "negative seed": (["--seed", "-1"], "--seed: a whole number"),
    "too many patients": (["--patients", "1e9"], "--patients: a whole number"),
}


@pytest.mark.hazard("HZ-062")
@pytest.mark.parametrize(("flags", "message"), BAD_FLAGS.values(), ids=BAD_FLAGS.keys())
def test_bad_flags_exit_2_with_one_line(
    flags: list[str], message: str, fake_edges: None, request_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(str(request_file), *flags) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "is not valid JSON"), ("[1, 2]", "REQUEST: must be a JSON object")],
    ids=["malformed", "not an object"],
)
def test_a_bad_document_exits_2(
    content: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert run(str(path)) == 2
    assert message in capsys.readouterr().err


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(tmp_path / "nowhere.json")) == 2
    assert "REQUEST: cannot read" in capsys.readouterr().err


def test_a_drug_without_pk_data_exits_2(
    monkeypatch: pytest.MonkeyPatch, diarist_plan: Plan, request_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(pk_cli, "plan_of", lambda data: (diarist_plan, None))
    monkeypatch.setattr(
        "taper.knowledge.pk.load_pk", lambda drug_id: (_ for _ in ()).throw(KeyError(drug_id))
    )
    assert run(str(request_file)) == 2
    assert "drug: baclofen has no pharmacokinetic model" in capsys.readouterr().err
