"""The clauses a contract template must have before it may be published (pure: no ORM).

A template marks each section it provides with ``data-clause="<key>"`` on the element holding it
(several keys in one attribute, separated by spaces, when one element provides several); the
element must hold some text. The dispute clause also says which forum it names:
``data-forum="court"`` or ``data-forum="arbitration"`` — a court **or** an arbitration
commission, never both (an agreement naming both is void as an arbitration agreement) and never
neither.

The sales contract (购销合同) list follows 民法典 Art. 470 and Art. 596 as issue 10 item 1 states it:

=====================  ===================================================================
parties.*              both parties' legal name, 统一社会信用代码, registered address, 法定代表人,
                       phone, 开户行及账号
goods.*                name, model, unit, quantity, quality standard
price.*                price ex VAT, VAT rate, VAT amount, price incl VAT
delivery.*             time, place, transport, who pays freight, passing of risk
packing                packing standard
inspection.*           method of inspection, period for objections
settlement.*           terms, method of payment, invoice type
breach                 liability for breach
dispute                dispute resolution (court XOR arbitration)
language               language(s) and the effect of the electronic version
contract_number, date, signing_place (签订地点, 民法典 Art. 492)
=====================  ===================================================================

The framework agreement (框架协议) has the parties, what it covers, how each order is formed
(on acceptance, Art. 491), the agreement that the platform's electronic signatures bind the
parties (电子签名法 Art. 13/14), pricing, delivery, inspection, settlement, breach, dispute,
term, language, number, date and place. The supplementary agreement (补充协议) has the parties,
the contract it amends, the changes, the amended price, that everything else stays as signed,
its effect, dispute, language, number, date and place.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SALES, FRAMEWORK, SUPPLEMENT = "sales", "framework", "supplement"
COURT, ARBITRATION = "court", "arbitration"
FORUMS = (COURT, ARBITRATION)


@dataclass(frozen=True)
class Clause:
    key: str
    label: str | Promise


PARTIES = (
    Clause("parties.legal_name", _("Parties: legal names")),
    Clause("parties.uscc", _("Parties: unified social credit codes")),
    Clause("parties.address", _("Parties: registered addresses")),
    Clause("parties.representative", _("Parties: legal representatives")),
    Clause("parties.phone", _("Parties: telephone numbers")),
    Clause("parties.bank_account", _("Parties: bank and account number")),
)
DISPUTE = Clause("dispute", _("Dispute resolution (a court or an arbitration commission)"))
LANGUAGE = Clause("language", _("Language and effect of the electronic version"))
NUMBER = Clause("contract_number", _("Contract number"))
DATE = Clause("date", _("Date of signing"))
PLACE = Clause("signing_place", _("Place of signing"))

MANDATORY: tuple[Clause, ...] = (
    *PARTIES,
    Clause("goods.name", _("Goods: name")),
    Clause("goods.model", _("Goods: model / specification")),
    Clause("goods.unit", _("Goods: unit")),
    Clause("goods.quantity", _("Goods: quantity")),
    Clause("goods.quality_standard", _("Goods: quality standard")),
    Clause("price.ex_vat", _("Price excluding VAT")),
    Clause("price.vat_rate", _("VAT rate")),
    Clause("price.vat_amount", _("VAT amount")),
    Clause("price.incl_vat", _("Price including VAT")),
    Clause("delivery.time", _("Delivery: time")),
    Clause("delivery.place", _("Delivery: place")),
    Clause("delivery.transport", _("Delivery: means of transport")),
    Clause("delivery.freight_payer", _("Delivery: who pays the freight")),
    Clause("delivery.risk", _("Delivery: passing of risk")),
    Clause("packing", _("Packing")),
    Clause("inspection.method", _("Inspection: standard and method")),
    Clause("inspection.objection_period", _("Inspection: period for objections")),
    Clause("settlement.terms", _("Settlement: terms")),
    Clause("settlement.method", _("Settlement: method of payment")),
    Clause("settlement.invoice_type", _("Settlement: invoice type")),
    Clause("breach", _("Liability for breach of contract")),
    DISPUTE,
    LANGUAGE,
    NUMBER,
    DATE,
    PLACE,
)

FRAMEWORK_MANDATORY: tuple[Clause, ...] = (
    *PARTIES,
    Clause("scope", _("What the agreement covers")),
    Clause("order_formation", _("How each order is formed (on acceptance)")),
    Clause("e_signature", _("Agreement that electronic signatures bind the parties")),
    Clause("pricing", _("Prices and taxes")),
    Clause("delivery", _("Delivery, freight and passing of risk")),
    Clause("inspection", _("Inspection and objections")),
    Clause("settlement", _("Settlement and invoices")),
    Clause("breach", _("Liability for breach of contract")),
    DISPUTE,
    Clause("term", _("Term of the agreement")),
    LANGUAGE,
    NUMBER,
    DATE,
    PLACE,
)

SUPPLEMENT_MANDATORY: tuple[Clause, ...] = (
    *PARTIES[:4],
    Clause("original_contract", _("The contract amended")),
    Clause("changes", _("The changes")),
    Clause("price.incl_vat", _("Amended price including VAT")),
    Clause("unchanged_terms", _("Everything else as signed")),
    Clause("effect", _("Effect of the supplementary agreement")),
    DISPUTE,
    LANGUAGE,
    NUMBER,
    DATE,
    PLACE,
)

BY_KIND: dict[str, tuple[Clause, ...]] = {
    SALES: MANDATORY,
    FRAMEWORK: FRAMEWORK_MANDATORY,
    SUPPLEMENT: SUPPLEMENT_MANDATORY,
}

_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]  # no end tag
)


@dataclass
class _Open:
    tag: str
    keys: tuple[str, ...]
    text: bool = False


class _Marks(HTMLParser):
    """Collects the clause keys whose element holds text, and every data-forum value (with the
    text of the element that carries it)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[_Open] = []
        self.present: set[str] = set()
        self.declared: set[str] = set()
        self.forums: list[tuple[str, list[str]]] = []
        self._forum_stack: list[tuple[int, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        keys = tuple((attrs.get("data-clause") or "").split())
        self.declared.update(keys)
        if tag in _VOID:
            return
        self.stack.append(_Open(tag, keys))
        if "data-forum" in attrs:
            text: list[str] = []
            self.forums.append(((attrs["data-forum"] or "").strip(), text))
            self._forum_stack.append((len(self.stack), text))

    def handle_startendtag(self, tag, attrs):
        self.declared.update((dict(attrs).get("data-clause") or "").split())

    def handle_endtag(self, tag):
        if tag in _VOID or not any(o.tag == tag for o in self.stack):
            return
        while self.stack:
            closed = self.stack.pop()
            if closed.text:
                self.present.update(closed.keys)
            while self._forum_stack and self._forum_stack[-1][0] > len(self.stack):
                self._forum_stack.pop()
            if closed.tag == tag:
                break

    def handle_data(self, data):
        if data.strip():
            for opened in self.stack:
                opened.text = True
            for _depth, text in self._forum_stack:
                text.append(data)

    def close(self):
        super().close()
        for opened in self.stack:  # unclosed elements at the end
            if opened.text:
                self.present.update(opened.keys)
        self.stack = []


def marks(body: str) -> _Marks:
    parser = _Marks()
    parser.feed(body or "")
    parser.close()
    return parser


def present_keys(body: str) -> set[str]:
    """The clause keys of ``body`` whose element holds some text."""
    return marks(body).present


def forum_problems(body: str) -> list[str]:
    """What is wrong with the dispute clause's forum: both a court and arbitration, neither, or an
    unknown value. The text of the marked element is read too: a ``court`` clause that speaks of
    arbitration (仲裁) names both, as does an ``arbitration`` clause that lets a party sue (起诉/诉讼)."""
    found = marks(body)
    named: set[str] = set()
    problems = []
    for value, text in found.forums:
        words = "".join(text)
        if value not in FORUMS:
            problems.append(
                gettext("The dispute clause names an unknown forum “%(forum)s”: use “court” or “arbitration”.")
                % {"forum": value}
            )
            continue
        named.add(value)
        if value == COURT and "仲裁" in words:
            named.add(ARBITRATION)
        if value == ARBITRATION and ("起诉" in words or "诉讼" in words):
            named.add(COURT)
    if named == set(FORUMS):
        problems.append(
            gettext("Dispute resolution names both a court and arbitration: an agreement must name one of them.")
        )
    elif not named and not problems:
        problems.append(gettext("Dispute resolution names neither a court nor an arbitration commission."))
    return problems


def mandatory(kind: str) -> tuple[Clause, ...]:
    try:
        return BY_KIND[kind]
    except KeyError:
        raise ValueError(f"unknown contract kind {kind!r}") from None


def missing(kind: str, body: str) -> list[str]:
    """Why a template of ``kind`` with text ``body`` may not be published, one message per
    problem (in the active language): each mandatory clause not marked or empty, then the
    dispute clause's forum. Empty when it may be published."""
    found = marks(body)
    messages = [
        gettext('Missing clause: %(clause)s (mark it with data-clause="%(key)s").')
        % {"clause": clause.label, "key": clause.key}
        for clause in mandatory(kind)
        if clause.key not in found.present
    ]
    if DISPUTE.key in found.present or found.forums:
        messages.extend(forum_problems(body))
    return messages
