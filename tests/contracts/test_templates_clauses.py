"""The clause check (plugins.contracts.clauses) and publishing: a version missing any one mandatory
clause is refused with that clause named and nothing changes; a dispute clause naming both a court
and arbitration (or neither) is refused; the standard texts pass."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.models import TransitionLog
from plugins.contracts import clauses
from plugins.contracts.models import ContractTemplate, TemplateState, TemplateVersion
from plugins.contracts.services import templates as services
from tests import factories

KINDS = ("sales", "framework", "supplement")


def without(body: str, key: str) -> str:
    """``body`` with the marker of clause ``key`` removed (the text stays, unmarked)."""
    pattern = re.compile(r'data-clause="([^"]*)"')

    def drop(match):
        keys = [k for k in match.group(1).split() if k != key]
        return f'data-clause="{" ".join(keys)}"'

    changed = pattern.sub(drop, body)
    assert changed != body, f"{key} is not marked in the text"
    return changed


@pytest.mark.parametrize("kind", KINDS)
def test_standard_texts_pass(kind):
    assert clauses.missing(kind, services.default_body(kind)) == []
    assert services.problems(kind, services.default_body(kind)) == []


@pytest.mark.parametrize("kind", KINDS)
def test_standard_texts_have_the_signature_blocks(kind):
    body = services.default_body(kind)
    for block in ('id="sig-buyer"', 'id="sig-platform"'):
        assert body.count(block) == 1
    assert ".sig { height: 45mm; width: 80mm;" in body


@pytest.mark.parametrize(("kind", "key"), [(kind, clause.key) for kind in KINDS for clause in clauses.mandatory(kind)])
def test_each_missing_clause_is_named(kind, key):
    body = without(services.default_body(kind), key)
    found = clauses.missing(kind, body)
    label = str(next(c.label for c in clauses.mandatory(kind) if c.key == key))
    assert len(found) == 1 and label in found[0] and key in found[0]


def test_the_sales_list_is_the_issue_list():
    keys = {c.key for c in clauses.MANDATORY}
    assert keys == {
        *(f"parties.{k}" for k in ("legal_name", "uscc", "address", "representative", "phone", "bank_account")),
        *(f"goods.{k}" for k in ("name", "model", "unit", "quantity", "quality_standard")),
        *(f"price.{k}" for k in ("ex_vat", "vat_rate", "vat_amount", "incl_vat")),
        *(f"delivery.{k}" for k in ("time", "place", "transport", "freight_payer", "risk")),
        "packing",
        "inspection.method",
        "inspection.objection_period",
        *(f"settlement.{k}" for k in ("terms", "method", "invoice_type")),
        "breach",
        "dispute",
        "language",
        "contract_number",
        "date",
        "signing_place",
    }


def test_an_empty_marked_section_is_missing():
    body = (
        services.default_body("sales")
        .replace("<h2>第三条 包装标准</h2>", '<h2>第三条 包装标准</h2><p data-clause="packing">  </p><!--')
        .replace("包装费用已包含在合同价款中。因包装不当造成的货物损坏，由卖方负责。</p>", "-->")
    )
    found = clauses.missing("sales", body)
    assert len(found) == 1 and "packing" in found[0]


def test_several_keys_in_one_marker():
    body = '<p data-clause="contract_number date signing_place">编号、日期、地点</p>'
    keys = clauses.present_keys(body)
    assert {"contract_number", "date", "signing_place"} <= keys


COURT = '<p data-clause="dispute" data-forum="court">向签订地人民法院提起诉讼。</p>'
ARBITRATION = '<p data-clause="dispute" data-forum="arbitration">提交上海国际仲裁中心仲裁。</p>'


@pytest.mark.parametrize(
    ("dispute", "ok"),
    [
        (COURT, True),
        (ARBITRATION, True),
        (COURT + ARBITRATION, False),  # both clauses
        ('<p data-clause="dispute" data-forum="court">协商不成的，提交上海仲裁委员会仲裁或向人民法院起诉。</p>', False),
        ('<p data-clause="dispute" data-forum="arbitration">提交仲裁委员会仲裁，或向人民法院提起诉讼。</p>', False),
        ('<p data-clause="dispute">协商解决。</p>', False),  # neither
        ('<p data-clause="dispute" data-forum="mediation">调解。</p>', False),
    ],
)
def test_court_xor_arbitration(dispute, ok):
    body = re.sub(r'<p data-clause="dispute".*?</p>', dispute, services.default_body("sales"), flags=re.S)
    assert (clauses.missing("sales", body) == []) is ok


def test_messages_in_the_users_language():
    body = without(services.default_body("sales"), "signing_place")
    with translation.override("en"):
        assert "Place of signing" in clauses.missing("sales", body)[0]


@pytest.mark.django_db
class TestPublishRefuses:
    @pytest.fixture
    def sales(self):
        services.ensure_default_templates()
        return ContractTemplate.objects.get(kind="sales")

    def state(self):
        return (
            sorted(TemplateVersion.objects.values_list("pk", "state", "published_at", "body")),
            TransitionLog.objects.count(),
        )

    @pytest.mark.parametrize("key", [clause.key for clause in clauses.MANDATORY])
    def test_publishing_refuses_a_version_missing_any_clause(self, sales, key):
        operator = factories.operator()
        draft = services.create_version(
            template=sales, body=without(services.default_body("sales"), key), notes="缺条款", by=operator
        )
        before = self.state()
        with pytest.raises(ValidationError) as refused:
            services.publish(version=draft, by=operator)
        assert len(refused.value.messages) == 1 and key in refused.value.messages[0]
        assert self.state() == before
        draft.refresh_from_db()
        assert draft.state == TemplateState.DRAFT
        assert services.published_version("sales").number == 1

    def test_every_problem_listed(self, sales):
        body = without(without(services.default_body("sales"), "breach"), "packing")
        body = body.replace('data-forum="court">', 'data-forum="court">或提交仲裁委员会仲裁；')
        draft = services.create_version(template=sales, body=body, notes="", by=None)
        with pytest.raises(ValidationError) as refused:
            services.publish(version=draft)
        messages = refused.value.messages
        assert len(messages) == 3
        assert any("breach" in m for m in messages) and any("packing" in m for m in messages)
        assert any("both a court and arbitration" in m for m in messages)

    def test_court_and_arbitration_refused(self, sales):
        body = re.sub(
            r'<p data-clause="dispute".*?</p>', COURT + ARBITRATION, services.default_body("sales"), flags=re.S
        )
        draft = services.create_version(template=sales, body=body, notes="", by=None)
        before = self.state()
        with pytest.raises(ValidationError, match="both a court and arbitration"):
            services.publish(version=draft)
        assert self.state() == before

    def test_a_text_that_does_not_render_is_refused(self, sales):
        """It compiles (so it may be saved as a draft) but fails on rendering: not published."""
        body = services.default_body("sales") + '<p>{% url "no-such-page" %}</p>'
        draft = services.create_version(template=sales, body=body, notes="", by=None)
        before = self.state()
        with pytest.raises(ValidationError) as refused:
            services.publish(version=draft)
        assert "could not be rendered" in refused.value.messages[0]
        assert self.state() == before

    def test_a_clause_dropped_by_the_template_language_is_missing(self, sales):
        """The text has the marker, but the sample rendering drops it (or empties it): refused."""
        body = services.default_body("sales")
        hidden = body.replace('<p data-clause="packing">', '{% if buyer.nothing %}<p data-clause="packing">').replace(
            "由卖方负责。</p>", "由卖方负责。</p>{% endif %}", 1
        )
        assert "{% endif %}" in hidden and clauses.missing("sales", hidden) == []
        found = services.problems("sales", hidden)
        assert len(found) == 1 and "packing" in found[0]
        emptied = body.replace(
            '<span data-clause="signing_place">签订地点：{{ contract.signing_place }}</span>',
            '<span data-clause="signing_place">{{ contract.nowhere }}</span>',
        )
        assert emptied != body
        found = services.problems("sales", emptied)
        assert len(found) == 1 and "signing_place" in found[0]
