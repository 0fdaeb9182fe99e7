"""zh-Hans and en catalogues are complete and compiled (bin/translations refreshes them)."""

import os
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
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
    for entry in po.translated_entries():
        if not entry.msgid_plural:
            compiled_text = compiled.get((entry.msgctxt, entry.msgid))
            assert compiled_text == entry.msgstr, f"{language}: recompile for {entry.msgid!r}"


def test_chinese_is_really_chinese():
    po = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    for entry in po.translated_entries():
        text = entry.msgstr or next(iter(entry.msgstr_plural.values()))
        letters = [c for c in re.sub(r"%\(\w+\)[sd]", "", text) if c.isalpha()]
        if len(letters) > 3 and entry.msgid not in ("API tokens", "API token"):
            assert any("\u4e00" <= c <= "\u9fff" for c in text), entry.msgid


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings again from a copy of the tracked sources: a string added without
    running bin/translations would show only in English."""
    import shutil
    import subprocess
    import sys

    root = LOCALE.parent
    tracked = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    for name in tracked:
        if name.endswith((".py", ".html", ".txt")) and not name.startswith(("tests/", "benchmarks/")):
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(root / name, tmp_path / name)
    (tmp_path / "locale").mkdir(exist_ok=True)
    made = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--ignore=locale"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    extracted = {e.msgid for e in polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(LOCALE / "zh_Hans/LC_MESSAGES/django.po"))}
    assert sorted(extracted - committed) == [], "run bin/translations"


def test_every_string_of_oscar_has_chinese_from_oscar_or_from_us(tmp_path):
    import shutil
    import subprocess
    import sys

    import oscar
    from django.utils import translation

    shutil.copytree(Path(oscar.__file__).parent, tmp_path / "oscar", ignore=shutil.ignore_patterns("locale"))
    (tmp_path / "oscar/locale").mkdir()
    django_admin = Path(sys.executable).parent / "django-admin"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}  # no project here
    made = subprocess.run(
        [str(django_admin), "makemessages", "-l", "zh_Hans"],
        cwd=tmp_path / "oscar",
        capture_output=True,
        text=True,
        env=env,
    )
    assert made.returncode == 0, made.stderr
    extracted = polib.pofile(str(tmp_path / "oscar/locale/zh_Hans/LC_MESSAGES/django.po"))
    oscar_po = polib.pofile(str(Path(oscar.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po"))
    ours = polib.pofile(str(LOCALE / "zh_Hans/LC_MESSAGES/django.po"))
    translated = {(e.msgctxt, e.msgid) for po in (oscar_po, ours) for e in po.translated_entries()}
    assert [e.msgid for e in extracted if (e.msgctxt, e.msgid) not in translated] == [], "run bin/translations"

    with translation.override("zh-hans"):
        assert translation.pgettext("Product attribute value", "Yes") == "是"
        assert translation.gettext("Make products public") == "将商品设为公开"
        page = translation.gettext(
            "\n                        Page %(page_num)s of %(total_pages)s\n                    "
        )
        assert "第 %(page_num)s 页" in page
