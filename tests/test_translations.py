"""The six UN languages: every catalog is complete, current, compiled and uses UN terms.

The catalogs live in locale/<lang>/LC_MESSAGES/django.po and are extracted with
`make messages`; the compiled .mo files are committed next to them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGUAGES = ["en", "zh_Hans", "ar", "fr", "ru", "es"]
TRANSLATED_LANGUAGES = [lang for lang in LANGUAGES if lang != "en"]

# Directories makemessages must not scan (the same as `make messages` ignores).
NOT_SOURCE = {
    ".venv",
    ".data",
    "staticfiles",
    "artifacts",
    ".git",
    "node_modules",
    "locale",
    "tests",
}

# Terms the Chinese catalog must write as the UN source documents do (see DOMAIN.md).
CHINESE_TERMS = {
    "mutual legal assistance": "司法协助",
    "central authority": "中央机关",
    "asset recovery": "资产追回",
    "focal point": "联络点",
}

Key = tuple[str | None, str]


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def load(lang: str) -> polib.POFile:
    path = po_path(lang)
    assert path.is_file(), f"{path} is missing: run `make messages` and translate"
    return polib.pofile(str(path))


def key(entry: polib.POEntry | polib.MOEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def msgids(po: polib.POFile) -> set[Key]:
    return {key(entry) for entry in live_entries(po)}


def describe(keys: set[Key]) -> str:
    return "\n".join(
        f"  {msgid!r}" + (f" (context {ctxt!r})" if ctxt else "")
        for ctxt, msgid in sorted(keys, key=str)
    )


def translation_of(entry: polib.POEntry | polib.MOEntry) -> object:
    if entry.msgid_plural:
        return tuple(sorted((int(n), text) for n, text in entry.msgstr_plural.items()))
    return entry.msgstr


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_entry_of_the_catalog_is_translated(lang: str) -> None:
    untranslated = {key(entry) for entry in load(lang).untranslated_entries()}
    assert not untranslated, f"{lang}: untranslated entries:\n{describe(untranslated)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_entry_of_the_catalog_is_fuzzy(lang: str) -> None:
    po = load(lang)
    fuzzy = {key(entry) for entry in po.fuzzy_entries()}
    assert not fuzzy, f"{lang}: fuzzy entries, check and unflag them:\n{describe(fuzzy)}"
    assert not po.metadata_is_fuzzy, f"{lang}: the catalog header is still marked fuzzy"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalog_keeps_no_obsolete_entries(lang: str) -> None:
    obsolete = {key(entry) for entry in load(lang).obsolete_entries()}
    assert not obsolete, f"{lang}: obsolete entries, delete them:\n{describe(obsolete)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalog_header_names_its_language_and_utf8(lang: str) -> None:
    metadata = load(lang).metadata
    assert metadata.get("Language") == lang
    assert "charset=UTF-8" in metadata.get("Content-Type", "")
    assert metadata.get("Plural-Forms", "").startswith("nplurals=")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_entries_have_one_form_per_plural_of_the_language(lang: str) -> None:
    po = load(lang)
    nplurals = int(po.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    wrong = {
        key(entry)
        for entry in live_entries(po)
        if entry.msgid_plural and sorted(entry.msgstr_plural) != list(range(nplurals))
    }
    assert not wrong, f"{lang}: plural entries without exactly {nplurals} forms:\n{describe(wrong)}"


def test_all_catalogs_hold_the_same_msgids() -> None:
    reference = msgids(load("en"))
    for lang in TRANSLATED_LANGUAGES:
        ids = msgids(load(lang))
        only_en, only_here = reference - ids, ids - reference
        assert not only_en, f"{lang} lacks msgids the en catalog has:\n{describe(only_en)}"
        assert not only_here, f"{lang} has msgids the en catalog lacks:\n{describe(only_here)}"


def _ignore_non_source(directory: str, names: list[str]) -> set[str]:
    return {
        name
        for name in names
        if name in NOT_SOURCE or name.startswith(".") or name == "__pycache__"
    }


def test_the_catalogs_are_up_to_date_with_the_source_code(tmp_path: Path) -> None:
    assert shutil.which("xgettext"), (
        "xgettext is missing: install GNU gettext to check the catalogs against the source"
    )
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=_ignore_non_source)
    (copy / "locale").mkdir()
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789abcdefghij")
    env.setdefault("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/unused")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
    command = [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"]
    command += [f"--ignore={name}" for name in sorted(NOT_SOURCE - {"locale"})]
    result = subprocess.run(
        command, cwd=copy, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"

    extracted = msgids(polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")))
    committed = msgids(load("en"))
    missing, stale = extracted - committed, committed - extracted
    assert not missing, (
        "Strings in the source code are missing from the catalogs; "
        f"run `make messages` and translate:\n{describe(missing)}"
    )
    assert not stale, (
        "The catalogs hold strings the source code no longer uses; "
        f"run `make messages` and translate:\n{describe(stale)}"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_committed_mo_is_compiled_from_the_current_po(lang: str) -> None:
    mo_path = po_path(lang).with_suffix(".mo")
    assert mo_path.is_file(), f"{mo_path} is missing: run `manage.py compilemessages`"
    po = load(lang)
    expected = {key(entry): translation_of(entry) for entry in po.translated_entries()}
    compiled = {
        key(entry): translation_of(entry) for entry in polib.mofile(str(mo_path)) if entry.msgid
    }
    assert compiled == expected, (
        f"{mo_path} does not match {po_path(lang).name}: run `manage.py compilemessages`"
    )


@pytest.mark.parametrize(("term", "chinese"), sorted(CHINESE_TERMS.items()))
def test_the_chinese_catalog_uses_the_un_term_for(term: str, chinese: str) -> None:
    wrong = {
        key(entry)
        for entry in live_entries(load("zh_Hans"))
        if term in (entry.msgid + " " + (entry.msgid_plural or "")).lower()
        and any(chinese not in text for text in _all_translations(entry))
    }
    assert not wrong, f"zh_Hans: {term!r} must be translated as {chinese!r} in:\n{describe(wrong)}"


def _all_translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return list(entry.msgstr_plural.values())
    return [entry.msgstr]
