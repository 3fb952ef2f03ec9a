"""Patient-facing clinical texts in more than one language, kept beside the English.

In the knowledge files a text `key` has its translation as `key_<lang>` in the same table
(`wording_es` beside `wording`), so it keeps the same source, verification date and reason
as the English: a translation is a rendering of the same fact, never a new one. Loading a
file for a language swaps each `key` for its `key_<lang>`; the English keys stay the truth
for clinicians, the CLI and every export. tests/knowledge/test_languages.py fails when a
patient-facing text has no translation.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en", "es")  # English is the language the knowledge is written and checked in
TRANSLATED = ("es",)

# The keys whose texts a patient reads: symptom names, red-flag questions, the words of
# decisions and their "Why?" (statements), and the scale ends. `statement` is patient-facing
# only in the tables listed in PATIENT_STATEMENTS (elsewhere it is for the clinician).
PATIENT_KEYS = frozenset({"wording", "patient_wording", "patient_note", "question", "labels",
                          "drug_name"})
PATIENT_STATEMENTS = frozenset({"symptoms", "rules", "pacing", "timeline", "timeline_days",
                                "red_flags"})
# Whole tables whose every entry a patient reads.
PATIENT_TABLES = frozenset({"messages", "scale_words", "source_words"})


def localized(data: Any, lang: str) -> Any:
    """The parsed file with every text swapped for its `<lang>` translation where it has one;
    the `*_<lang>` keys themselves are dropped. English returns the file without them."""
    if isinstance(data, list):
        return [localized(item, lang) for item in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if any(key.endswith(f"_{code}") for code in TRANSLATED):
            continue
        translated = data.get(f"{key}_{lang}") if lang != "en" else None
        out[key] = localized(value if translated is None else translated, lang)
    return out


def untranslated(data: Any, lang: str, path: str = "", table: str = "") -> list[str]:
    """Where a patient-facing text of a parsed file has no `<lang>` translation."""
    missing: list[str] = []
    if isinstance(data, list):
        for i, item in enumerate(data):
            missing += untranslated(item, lang, f"{path}[{i}]", table)
        return missing
    if not isinstance(data, dict):
        return missing
    for key, value in data.items():
        if key.endswith(f"_{lang}"):
            continue
        where = f"{path}.{key}" if path else key
        patient = (key in PATIENT_KEYS or table in PATIENT_TABLES
                   or (key == "statement" and table in PATIENT_STATEMENTS))
        if patient and isinstance(value, (str, list)):
            other = data.get(f"{key}_{lang}")
            if not other or (isinstance(value, list) and len(other) != len(value)):
                missing.append(where)
        elif isinstance(value, (dict, list)):
            missing += untranslated(value, lang, where, table or key)  # its top-level table
    return missing
