"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = "import django; django.setup(); from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.LANGUAGE_CODE, s.TIME_ZONE, s.OSCAR_DEFAULT_CURRENCY)"


def run(code_or_args, **env):
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    args = [sys.executable, "-c", code_or_args] if isinstance(code_or_args, str) else [sys.executable, *code_or_args]
    return subprocess.run(args, cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120)


def test_embedded_defaults_with_no_environment():
    result = run(PROBE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "zh-hans", "Asia/Shanghai", "CNY"]


def test_real_services_when_their_urls_are_set():
    result = run(PROBE, DATABASE_URL="postgres://u:p@db:5432/shop", CELERY_BROKER_URL="redis://redis:6379/0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["django.db.backends.postgresql", "False"]


def test_production_refuses_to_start_without_secret_key_or_hosts():
    result = run(PROBE, DJANGO_ENV="production", ALLOWED_HOSTS="shop.example.cn")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
    result = run(PROBE, DJANGO_ENV="production", SECRET_KEY="x" * 60)
    assert result.returncode != 0 and "ALLOWED_HOSTS must be set" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_ENV="production",
        SECRET_KEY="k3y-" + "a1b2c3d4e5f6g7h8i9j0" * 3,
        ALLOWED_HOSTS="shop.example.cn",
        DATABASE_URL="postgres://u:p@db:5432/shop",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_private_files_default_outside_what_urls_serve_and_the_check_refuses_otherwise(settings, tmp_path):
    from core.checks import private_files_not_served

    probe = "import django; django.setup(); from django.conf import settings as s; print(s.PRIVATE_MEDIA_ROOT)"
    assert run(probe).stdout.strip() == str(ROOT / "var" / "private")
    assert run(probe, DJANGO_ENV="test", MEDIA_ROOT="/tmp/run/media").stdout.strip() == "/tmp/run/media-private"
    assert run(probe, PRIVATE_MEDIA_ROOT="/data/private").stdout.strip() == "/data/private"
    settings.MEDIA_ROOT, settings.STATIC_ROOT = tmp_path / "media", tmp_path / "static"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    assert private_files_not_served(None) == []
    for served in ("media", "static"):
        settings.PRIVATE_MEDIA_ROOT = tmp_path / served / "private"
        assert [error.id for error in private_files_not_served(None)] == ["core.E003"]
