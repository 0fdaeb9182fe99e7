import pytest
from django.test import Client

from tests import factories


def pytest_collection_modifyitems(items):
    """Every transactional test restores the database by serialized rollback. A flushing test
    followed by a serialized one would otherwise re-create content types twice (Django skips the
    post-flush re-creation only after a serialized test) — with tests spread over xdist workers
    any order happens."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(
                pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True}), append=False
            )


def _write_reference_data() -> None:
    from importlib import import_module

    from django.apps import apps

    import_module("core.migrations.0002_platform_reference_data").forwards(apps, None)
    if apps.is_installed("plugins.logistics"):
        import_module("plugins.logistics.migrations.0002_carriers").seed_carriers(apps, None)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The reference data a migration writes (China, payment source types, carriers), written
    again when a transactional test (of this run, or of an earlier one with --reuse-db) flushed
    it. Checked per test, inside its transaction: one query."""
    if not (
        {"db", "transactional_db", "django_db_reset_sequences"} & set(request.fixturenames)
        or request.node.get_closest_marker("django_db")
    ):
        return
    request.getfixturevalue("_django_db_helper")
    from oscar.core.loading import get_model

    if not get_model("address", "Country").objects.filter(iso_3166_1_a2="CN").exists():
        _write_reference_data()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def buyer(db):
    return factories.distributor("buyer")


@pytest.fixture
def buyer_client(buyer):
    client = Client()
    client.force_login(buyer)
    return client


@pytest.fixture
def catalogue(db):
    """Two suppliers, a small category tree and five products with known prices and stock."""
    fasteners = factories.category("紧固件")
    bolts = factories.category("螺栓", parent=fasteners)
    jg = factories.supplier("jg", "苏州精工五金制品有限公司")
    df = factories.supplier("df", "宁波东方电气设备有限公司")
    return {
        "bolt": factories.product("JG-HB-M8-30", "外六角螺栓 M8×30", "32.00", 500, jg, (bolts,)),
        "nut": factories.product("JG-HN-M8", "六角螺母 M8", "19.80", 300, jg, (fasteners,)),
        "wire": factories.product("DF-BV-2.5", "BV铜芯电线 2.5mm²", "218.00", 40, df),
        "breaker": factories.product("DF-MCB-1P16", "小型断路器 1P C16", "13.80", 3, df),
        "hidden": factories.product("DF-OLD-1", "停售商品", "5.00", 10, df, is_public=False),
        "categories": {"fasteners": fasteners, "bolts": bolts},
        "suppliers": {"jg": jg, "df": df},
    }
