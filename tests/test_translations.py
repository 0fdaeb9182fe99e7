"""zh-Hans and en catalogues are complete and compiled (bin/translations refreshes them)."""

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_catalogue_is_complete_and_compiled(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(po) > 50
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {e.msgid: e.msgstr for e in mo}
    for entry in po.translated_entries():
        if not entry.msgid_plural:
            assert compiled.get(entry.msgid) == entry.msgstr, f"{language}: recompile for {entry.msgid!r}"


def test_chinese_is_really_chinese():
    po = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    for entry in po.translated_entries():
        text = entry.msgstr or next(iter(entry.msgstr_plural.values()))
        letters = [c for c in re.sub(r"%\(\w+\)[sd]", "", text) if c.isalpha()]
        if len(letters) > 3 and entry.msgid not in ("API tokens", "API token"):
            assert any("\u4e00" <= c <= "\u9fff" for c in text), entry.msgid
