"""docker-compose.yml describes the production-like stack; no Docker engine runs here, so parse it."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def load():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_stack_has_every_service():
    services = load()["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis", "elasticsearch"}


def test_app_services_share_the_image_and_are_wired_to_the_backing_services():
    services = load()["services"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        env = service["environment"]
        assert service["image"] == "s2b2b:latest" and service["build"] == "."
        assert env["DJANGO_ENV"] == "production"
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:6379/")
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert env["ELASTICSEARCH_URL"] == "http://elasticsearch:9200"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")  # never a literal secret
        assert {k: v["condition"] for k, v in service["depends_on"].items()} == {
            "postgres": "service_healthy",
            "redis": "service_healthy",
            "elasticsearch": "service_healthy",
        }
    assert "celery -A config worker" in services["worker"]["command"]
    assert "celery -A config beat" in services["beat"]["command"]
    assert "gunicorn config.wsgi:application" in services["web"]["command"]
    assert "8000:8000" in services["web"]["ports"]


def test_backing_services_have_health_checks_and_volumes():
    compose = load()
    for name in ("postgres", "redis", "elasticsearch"):
        assert "healthcheck" in compose["services"][name]
    assert compose["services"]["postgres"]["image"].startswith("postgres:15")
    assert {"pgdata", "redisdata", "esdata", "media"} <= set(compose["volumes"])


def test_the_dockerfile_installs_from_the_lock():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "uv sync --frozen --no-dev" in dockerfile and "fonts-noto-cjk" in dockerfile


def test_the_image_collects_static_files_with_the_production_storage():
    """Production serves the hashed copies named in the manifest; collected under development
    settings there is no manifest and every page fails."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert (
        "DJANGO_ENV=production SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost python manage.py collectstatic"
        in dockerfile
    )
