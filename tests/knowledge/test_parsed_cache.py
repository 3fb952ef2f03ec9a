"""The drug file's cached parse (issue 17) answers exactly what parsing the TOML answers: a copy
kept for other bytes, a corrupt or foreign copy, or a folder that cannot be written never
changes the answer (HZ-224)."""

from __future__ import annotations

import marshal
import os
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import taper.knowledge
from taper.knowledge import parsed, raw_drug

DRUGS = Path(taper.knowledge.__file__).parent / "drugs"


def toml_answer(folder: Path, drug: str = "baclofen") -> dict[str, Any]:
    return tomllib.loads((folder / f"{drug}.toml").read_text(encoding="utf-8"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TAPER_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def drugs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the data files that a test may edit."""
    folder = tmp_path / "drugs"
    folder.mkdir()
    for file in DRUGS.glob("*.toml"):
        (folder / file.name).write_bytes(file.read_bytes())
    monkeypatch.setattr(taper.knowledge, "_DRUGS", str(folder))
    return folder


def stored(cache: Path, drug: str = "baclofen") -> Path:
    return cache / "knowledge" / f"{drug}.marshal"


@pytest.mark.hazard("HZ-224")
@pytest.mark.parametrize("drug", taper.knowledge.drug_ids())
def test_a_warm_cache_answers_what_the_toml_says(cache: Path, drug: str) -> None:
    cold = raw_drug(drug)
    assert stored(cache, drug).exists()
    warm = raw_drug(drug)
    assert cold == warm == toml_answer(DRUGS, drug)
    assert parsed.read(drug, (DRUGS / f"{drug}.toml").read_bytes()) == warm
    assert any(type(v) is date for v in _leaves(warm))  # dates come back as dates


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for inner in value.values() for leaf in _leaves(inner)]
    if isinstance(value, list):
        return [leaf for inner in value for leaf in _leaves(inner)]
    return [value]


@pytest.mark.hazard("HZ-224")
def test_an_edited_file_is_parsed_again_never_answered_from_the_old_copy(
        cache: Path, drugs: Path) -> None:
    before = raw_drug("baclofen")
    text = (drugs / "baclofen.toml").read_text(encoding="utf-8")
    edited = text.replace('name = "Baclofen"', 'name = "Baclofen (edited)"', 1)
    assert edited != text
    (drugs / "baclofen.toml").write_text(edited, encoding="utf-8")
    after = raw_drug("baclofen")
    assert after == toml_answer(drugs) != before
    assert after["name"] == "Baclofen (edited)"
    # one byte more (a trailing space) is another file too
    (drugs / "baclofen.toml").write_text(edited + " ", encoding="utf-8")
    assert parsed.read("baclofen", (drugs / "baclofen.toml").read_bytes()) is None
    assert raw_drug("baclofen") == after


@pytest.mark.hazard("HZ-224")
@pytest.mark.parametrize("damage", [
    "garbage", "empty", "truncated", "other format", "other python", "not a pair", "bad tag",
    "not a dict", "too deep", "a folder",
])
def test_a_corrupt_or_foreign_copy_is_never_used(cache: Path, damage: str) -> None:
    raw_drug("baclofen")
    source = (DRUGS / "baclofen.toml").read_bytes()
    path = stored(cache)
    good = path.read_bytes()
    stamp = parsed._stamp(source)
    forged = {"name": "forged"}  # what a bad copy would answer if it were believed
    payload = {
        "garbage": b"\x00not marshal at all",
        "empty": b"",
        "truncated": good[: len(good) // 2],
        "other format": marshal.dumps((("taper-drug-parse/0", stamp[1], source), forged)),
        "other python": marshal.dumps(((stamp[0], (2, 7), source), forged)),
        "not a pair": marshal.dumps((stamp, forged, forged)),
        "bad tag": marshal.dumps((stamp, {"name": ("time", 1, 2, 3)})),
        "not a dict": marshal.dumps((stamp, ["name", "forged"])),
        "too deep": marshal.dumps((stamp, _nested(1500))),
    }.get(damage)
    if payload is None:
        path.unlink()
        path.mkdir()  # unreadable as a file
    else:
        path.write_bytes(payload)
    assert parsed.read("baclofen", source) is None
    assert raw_drug("baclofen") == toml_answer(DRUGS)


def _nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {"name": "forged"}
    for _ in range(depth):
        value = {"inner": value}
    return value


def test_the_stamp_is_what_makes_a_copy_usable(cache: Path) -> None:
    """The other side of the test above: a copy stamped with these bytes is read as stored."""
    source = (DRUGS / "baclofen.toml").read_bytes()
    stored(cache).parent.mkdir(parents=True)
    stored(cache).write_bytes(marshal.dumps((parsed._stamp(source), {"checked": ("date", 2026, 1, 2)})))
    assert parsed.read("baclofen", source) == {"checked": date(2026, 1, 2)}


@pytest.mark.parametrize("where", ["a file in the way", "off", "empty"])
def test_no_writable_cache_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         where: str) -> None:
    """A folder that cannot be made (root ignores permissions, so a file stands in its way),
    or the cache turned off: the TOML is parsed each time and nothing is written."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    value = {"a file in the way": str(blocker / "cache"), "off": "off", "empty": ""}[where]
    monkeypatch.setenv("TAPER_CACHE_DIR", value)
    assert raw_drug("baclofen") == raw_drug("baclofen") == toml_answer(DRUGS)
    assert sorted(os.listdir(tmp_path)) == ["blocker"]


def test_a_read_only_copy_is_still_read(cache: Path) -> None:
    raw_drug("baclofen")
    stored(cache).chmod(0o444)
    stored(cache).parent.chmod(0o555)
    try:
        assert raw_drug("baclofen") == toml_answer(DRUGS)
    finally:
        stored(cache).parent.chmod(0o755)


def test_the_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TAPER_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/someone")
    assert parsed.cache_dir() == "/var/cache/someone/taper"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "/home/someone")
    assert parsed.cache_dir() == "/home/someone/.cache/taper"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # not absolute: ignored as the spec says
    assert parsed.cache_dir() == "/home/someone/.cache/taper"


def test_times_are_not_stored_but_still_answered(cache: Path, drugs: Path) -> None:
    """A value the cache has no form for (a time of day) leaves the file uncached."""
    with (drugs / "baclofen.toml").open("a", encoding="utf-8") as file:
        file.write("\n[extra_times]\nat = 07:30:00\n")
    data = raw_drug("baclofen")
    assert data == toml_answer(drugs)
    assert not stored(cache).exists()
