"""Template services: the standard templates installed once, versions numbered, drafts edited,
published versions never edited, publication retiring the previous version with an audit row,
rendering autoescaped with clear errors, a new version never changing a contract already made,
and contract numbers unique per kind and day (also under concurrency on PostgreSQL)."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from core.models import TransitionLog
from plugins.contracts import rendering, samples, snapshot
from plugins.contracts.models import Contract, ContractTemplate, TemplateState, TemplateVersion
from plugins.contracts.services import templates as services
from tests import factories

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_defaults_installed_once():
    services.ensure_default_templates()
    services.ensure_default_templates()
    assert ContractTemplate.objects.count() == 3
    assert sorted(TemplateVersion.objects.values_list("template__kind", "number", "state")) == [
        ("framework", 1, "published"),
        ("sales", 1, "published"),
        ("supplement", 1, "published"),
    ]
    for kind in ("sales", "framework", "supplement"):
        assert services.published_version(kind).body == services.default_body(kind)


def test_no_published_version_is_a_clear_error():
    with pytest.raises(ValidationError, match="template is published"):
        services.published_version("sales")


def test_versions_drafts_and_publication():
    operator = factories.operator()
    services.ensure_default_templates(by=operator)
    sales = ContractTemplate.objects.get(kind="sales")
    v1 = services.published_version("sales")
    with pytest.raises(ValidationError):
        services.update_draft(version=v1, body=v1.body + "<p>改</p>", notes="", by=operator)
    assert TemplateVersion.objects.get(pk=v1.pk).body == v1.body

    body = v1.body.replace("每逾期一日，按逾期交货部分货款的万分之五", "每逾期一日，按逾期交货部分货款的千分之一")
    v2 = services.create_version(template=sales, body=v1.body, notes="草稿", by=operator)
    assert (v2.number, v2.state, v2.created_by) == (2, TemplateState.DRAFT, operator)
    services.update_draft(version=v2, body=body, notes="违约金调整", by=operator)
    v2.refresh_from_db()
    assert v2.body == body and v2.notes == "违约金调整"

    services.publish(version=v2, by=operator)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.state == TemplateState.RETIRED and v2.state == TemplateState.PUBLISHED
    assert v2.published_by == operator and v2.published_at is not None
    assert services.published_version("sales") == v2
    logs = list(TransitionLog.objects.filter(machine="contract-template-version").values_list("object_id", "to_state"))
    assert (str(v1.pk), "retired") in logs and (str(v2.pk), "published") in logs
    with pytest.raises(ValidationError):
        services.publish(version=v2, by=operator)  # already published


def test_one_published_version_per_kind_across_templates():
    """A second sales template published: the first template's published version is retired, so
    new contracts of the kind have one version to be made from."""
    services.ensure_default_templates()
    first = services.published_version("sales")
    other = ContractTemplate.objects.create(kind="sales", name="购销合同（仲裁版）")
    body = first.body.replace(
        "任何一方均可向本合同签订地（{{ contract.signing_place }}）有管辖权的人民法院提起诉讼。",
        "任何一方均可将争议提交上海国际经济贸易仲裁委员会，按照申请仲裁时该会现行有效的仲裁规则进行仲裁。",
    ).replace('data-forum="court"', 'data-forum="arbitration"')
    assert "仲裁委员会" in body
    version = services.create_version(template=other, body=body, notes="仲裁", by=None)
    services.publish(version=version)
    first.refresh_from_db()
    assert first.state == TemplateState.RETIRED
    assert services.published_version("sales") == version
    assert TemplateVersion.objects.filter(template__kind="sales", state="published").count() == 1


def test_a_draft_that_does_not_compile_is_refused():
    services.ensure_default_templates()
    sales = ContractTemplate.objects.get(kind="sales")
    with pytest.raises(ValidationError) as refused:
        services.create_version(template=sales, body="<p>{% if %}</p>", notes="", by=None)
    assert "body" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.create_version(template=sales, body="   ", notes="", by=None)
    assert sales.versions.count() == 1


def test_a_new_version_never_changes_a_contract_already_made():
    services.ensure_default_templates()
    buyer = factories.distributor("tplbuyer")
    order = factories.place_order(buyer, [(factories.product("TPL-1", "测试品", "88.80"), 3)], secure=False)
    v1 = services.published_version("sales")
    snap = snapshot.sales_snapshot(order, number="HT-20261129-000001")
    html = rendering.render_body(v1, snap)
    contract = Contract.objects.create(
        number="HT-20261129-000001",
        kind="sales",
        company=order.company,
        order=order,
        template_version=v1,
        snapshot=snap,
        html=html,
        total=order.total_incl_tax,
        total_uppercase=snap["total_uppercase"],
        signing_place=snap["contract"]["signing_place"],
    )
    v2 = services.create_version(
        template=v1.template, body=v1.body.replace("购销合同", "工业品购销合同"), notes="标题", by=None
    )
    services.publish(version=v2)
    contract.refresh_from_db()
    assert contract.html == html and "工业品购销合同" not in contract.html
    assert contract.template_version_id == v1.pk
    assert contract.snapshot == snap
    assert TemplateVersion.objects.get(pk=v1.pk).body == v1.body  # the version it was made from is kept
    assert "工业品购销合同" in rendering.render_body(services.published_version("sales"), snap)


def test_render_is_autoescaped_and_complete():
    services.ensure_default_templates()
    snap = samples.sample_snapshot("sales")
    snap["buyer"]["legal_name"] = '<script>alert("x")</script>某某公司'
    html = rendering.render_body(services.published_version("sales"), snap)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert snap["total_uppercase"] in html and snap["totals"]["incl_vat"] in html
    assert 'id="sig-buyer"' in html and 'id="sig-platform"' in html
    for line in snap["lines"]:
        assert line["name"] in html


@pytest.mark.parametrize(
    ("text", "words"),
    [("{% if %}", "error"), ("{% nosuchtag %}", "nosuchtag"), ("{{ x|nosuchfilter }}", "nosuchfilter")],
)
def test_render_errors_are_validation_errors(text, words):
    version = TemplateVersion(body=f"<p>第一行</p>\n{text}")
    with pytest.raises(ValidationError) as refused:
        rendering.render_body(version, {})
    assert words in refused.value.messages[0]


def test_contract_numbers_per_kind_and_day():
    services.ensure_default_templates()
    buyer = factories.distributor("numbuyer")
    company = factories.company_of(buyer)
    now = datetime(2026, 11, 29, 23, 30, tzinfo=SHANGHAI)
    with transaction.atomic():
        first = snapshot.contract_number("framework", now)
        Contract.objects.create(
            number=first,
            kind="framework",
            company=company,
            template_version=services.published_version("framework"),
            signing_place="上海",
        )
        second = snapshot.contract_number("framework", now)
    assert (first, second) == ("KJ-20261129-000001", "KJ-20261129-000002")
    with transaction.atomic():
        assert snapshot.contract_number("sales", now) == "HT-20261129-000001"
        assert snapshot.contract_number("framework", datetime(2026, 11, 29, 16, 5, tzinfo=ZoneInfo("UTC"))) == (
            "KJ-20261130-000001"  # 00:05 in Beijing
        )
    with pytest.raises(ValueError):
        snapshot.contract_number("lease", now)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_contract_numbers_are_unique_under_concurrency():
    services.ensure_default_templates()
    company = factories.company_of(factories.distributor("concbuyer"))
    version = services.published_version("framework")
    now = datetime(2026, 11, 29, 10, 0, tzinfo=SHANGHAI)
    barrier = threading.Barrier(4)
    made, errors = [], []

    def worker():
        try:
            barrier.wait()
            with transaction.atomic():
                number = snapshot.contract_number("framework", now)
                Contract.objects.create(
                    number=number, kind="framework", company=company, template_version=version, signing_place="上海"
                )
            made.append(number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(made) == [f"KJ-20261129-{n:06d}" for n in range(1, 5)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_contract_number_outside_a_transaction_is_refused():
    """In autocommit the advisory lock would end with the statement: refused, not silently unsafe."""
    with pytest.raises(RuntimeError, match="inside the transaction"):
        snapshot.contract_number("sales")


@pytest.mark.parametrize(
    "text",
    [
        '{% include "oscar/layout.html" %}',
        '{% extends "base.html" %}',
        "{% debug %}",
        "{% load static %}",
        "{% load cache from cache %}",
    ],
)
def test_tags_a_contract_may_not_use(text):
    with pytest.raises(ValidationError, match="may not use"):
        rendering.render_body(TemplateVersion(body=f"<p>一</p>\n{text}"), {})
    assert "line 2" in rendering_error(text)


def rendering_error(text):
    try:
        rendering.compile_body(f"<p>一</p>\n{text}")
    except ValidationError as exc:
        return exc.messages[0]
    return ""


def test_allowed_libraries():
    html = rendering.render_text("{% load i18n humanize %}{% load unlocalize from l10n %}{{ n|unlocalize }}", {"n": 7})
    assert html == "7"
