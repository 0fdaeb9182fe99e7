"""Defect 9: each plugin is optional. With logistics, member_tiers or s2b2b_orders removed (and
with all three removed), the site starts, migrates a fresh SQLite database, sells through the
storefront and shows the order pages to the buyer and the operator, on the kernel's fallbacks
(list prices, free shipping, bank transfer only). A plugin that exists only in the tests
(tests/sample_plugin) adds a contract section to the order pages through slots in every run:
a new plugin needs no edit of a shared template.

Each site runs in its own process (the installed apps are fixed when Django starts), configured
by DISABLED_PLUGIN_APPS and EXTRA_PLUGIN_APPS; tests/core/plugin_removal_probe.py does the
visiting. The database without any plugin is migrated once and copied; each run then migrates
the plugins it keeps, so no run ever has a removed plugin's tables.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.plugin_removal_probe import PREFIX

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = (
    "plugins.logistics",
    "plugins.member_tiers",
    "plugins.s2b2b_orders",
    "plugins.contracts",
    "plugins.finance",
    "plugins.bigdata",
    "plugins.aftersales",
)
CASES = {**{plugin: (plugin,) for plugin in PLUGINS}, "every plugin": PLUGINS}
PAGES = {
    "product list",
    "product page",
    "basket",
    "checkout payment",
    "checkout preview",
    "thank-you",
    "order list",
    "order page",
    "secured order page",
    "account",
    "graphql",
    "dashboard order list",
    "dashboard order page",
    "dashboard secured order page",
    "dashboard line page",
}
TIMEOUT = 900


def site_env(disabled: tuple[str, ...], database: Path, media: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ENV="test",
        DATABASE_URL=f"sqlite:///{database}",
        DISABLED_PLUGIN_APPS=",".join(disabled),
        EXTRA_PLUGIN_APPS="tests.sample_plugin.apps.SamplePluginConfig",
        EMAIL_URL="dummymail://",
        MEDIA_ROOT=str(media),
        PRIVATE_MEDIA_ROOT=str(media.with_name("private")),
        PYTHONWARNINGS="ignore",
    )
    return env


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, dict]:
    work = tmp_path_factory.mktemp("plugin-removal")
    base = work / "no-plugins.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=site_env(PLUGINS, base, work / "media"),
        check=True,
        timeout=TIMEOUT,
    )
    started = {}
    for name, disabled in CASES.items():
        database = work / f"{name.replace(' ', '-')}.sqlite3"
        shutil.copy(base, database)
        started[name] = subprocess.Popen(
            [sys.executable, "-m", "tests.core.plugin_removal_probe"],
            cwd=ROOT,
            env=site_env(disabled, database, work / "media"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    results = {}
    for name, process in started.items():
        out, err = process.communicate(timeout=TIMEOUT)
        lines = [line for line in out.splitlines() if line.startswith(PREFIX)]
        results[name] = (
            json.loads(lines[-1][len(PREFIX) :])
            if process.returncode == 0 and lines
            else {"failed": f"exit {process.returncode}\n{err[-4000:]}"}
        )
    return results


@pytest.mark.parametrize("case", list(CASES))
def test_the_site_runs_and_shows_the_order_pages_without(runs, case):
    run = runs[case]
    assert "failed" not in run, run.get("failed")
    kept = set(PLUGINS) - set(CASES[case])
    if "plugins.s2b2b_orders" not in kept:
        # finance and after-sales leave with the supplier orders they settle and serve (settings.PLUGIN_REQUIRES)
        kept -= {"plugins.finance", "plugins.aftersales"}
    assert set(run["plugins"]) == kept
    assert run["pages"] == dict.fromkeys(PAGES, 200)
    sections = run["sections"]
    # the plugin that exists only in the tests adds its section through slots, whatever else is installed
    assert sections["sample contract on the order page"]
    assert sections["sample contract on the dashboard order page"]
    assert sections["sample column in the order list"]
    # each remaining plugin's sections are there, the removed ones' are not
    logistics = "plugins.logistics" in kept
    assert sections["freight per supplier in the basket"] is logistics
    assert sections["logistics on the order page"] is logistics
    assert sections["logistics tab on the dashboard order page"] is logistics
    assert sections["supplier parts on the order page"] is ("plugins.s2b2b_orders" in kept)
    assert sections["supplier orders on the dashboard order page"] is ("plugins.s2b2b_orders" in kept)
    members = "plugins.member_tiers" in kept
    assert sections["membership tab"] is members
    assert run["on account offered"] is members
    assert run["payment methods"] == ["bank-transfer"]
    # 10 × ¥32.00 + 1 × ¥218.00 at list price; no freight templates in this catalogue, so no freight
    shipping_code = "supplier-freight" if logistics else "free-shipping"
    assert run["order"] == {"total": "538.00", "shipping": "0.00", "shipping code": shipping_code}
