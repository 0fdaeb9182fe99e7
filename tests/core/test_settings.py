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


def pkcs12_files(directory: Path) -> dict[str, str]:
    """A CA and a platform key as production would load them (PKCS#12 with passwords)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    env = {}
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Root CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Platform")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(ca_key, hashes.SHA256())
    )
    for name, (k, c, chain) in {"CA": (ca_key, ca, None), "PLATFORM": (key, cert, [ca])}.items():
        path = directory / f"{name.lower()}.p12"
        path.write_bytes(pkcs12.serialize_key_and_certificates(b"x", k, c, chain, BestAvailableEncryption(b"pw")))
        env[f"CONTRACTS_{name}_P12"], env[f"CONTRACTS_{name}_P12_PASSWORD"] = str(path), "pw"
    return env


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k3y-" + "a1b2c3d4e5f6g7h8i9j0" * 3,
    "ALLOWED_HOSTS": "shop.example.cn",
    "DATABASE_URL": "postgres://u:p@db:5432/shop",
}


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION, **pkcs12_files(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_asks_for_the_signing_keys(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode != 0 and "contracts.W001" in result.stdout + result.stderr
    keys = {**pkcs12_files(tmp_path), "CONTRACTS_PLATFORM_P12": str(tmp_path / "missing.p12")}
    result = run(["manage.py", "check", "--deploy"], **PRODUCTION, **keys, CONTRACTS_TSA_URL="internal")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "contracts.E001" in output and "contracts.W002" in output


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


def test_production_cookies_are_secure_and_admin_is_not_mounted():
    script = (
        "from django.conf import settings; from django.urls import reverse, NoReverseMatch\n"
        "print(settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SECURE,"
        " settings.CSRF_COOKIE_SECURE)\n"
        "try:\n    reverse('admin:index'); print('admin mounted')\nexcept NoReverseMatch:\n    print('no admin')\n"
    )
    result = run(["manage.py", "shell", "--no-imports", "-c", script], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == ["True True True True", "no admin"]
