"""Contract templates and their versions: the only code that writes them.

A version is a draft until it is published; a published version is never edited (a change is a
new version) and is retired when the next one of its template is published. Publishing checks
the clauses (``clauses.missing``: every mandatory clause of the kind, the dispute clause naming a
court or arbitration, never both) and that the text compiles and renders against a sample
snapshot of the kind; any problem refuses it with a ValidationError listing each, and nothing
changes. Versions move on the kernel's state machine (``VERSION``), so every publication and
retirement leaves an audit row. Contracts keep the version (and the HTML) they were made from:
nothing here touches a contract.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.statemachine import StateMachine
from plugins.contracts import clauses, rendering, samples
from plugins.contracts.models import ContractTemplate, Kind, TemplateState, TemplateVersion

DEFAULTS_DIR = Path(__file__).resolve().parent.parent / "default_templates"
DEFAULT_NAMES = {
    Kind.SALES: "购销合同（标准版）",
    Kind.FRAMEWORK: "框架协议（标准版）",
    Kind.SUPPLEMENT: "补充协议（标准版）",
}

VERSION = StateMachine(
    name="contract-template-version",
    transitions={
        TemplateState.DRAFT: frozenset({TemplateState.PUBLISHED}),
        TemplateState.PUBLISHED: frozenset({TemplateState.RETIRED}),
        TemplateState.RETIRED: frozenset(),
    },
    labels=dict(TemplateState.choices),
    subject=gettext_lazy("Template version %(subject)s"),
    timestamps={TemplateState.PUBLISHED: "published_at"},
)


def default_body(kind: str) -> str:
    return (DEFAULTS_DIR / f"{kind}.html").read_text(encoding="utf-8")


def problems(kind: str, body: str) -> list[str]:
    """Everything that stops ``body`` from being published as a template of ``kind``: the clause
    check of the text, and the same check of the text rendered against the sample snapshot (a
    clause inside an ``{% if %}`` that drops it, or a marked element left empty by its variables,
    is missing there), or the error that stops it from rendering. Each message once."""
    found = clauses.missing(kind, body)
    try:
        rendered = rendering.render_text(body, samples.sample_snapshot(kind))
    except ValidationError as exc:
        found.extend(exc.messages)
    else:
        found.extend(message for message in clauses.missing(kind, rendered) if message not in found)
    return found


def _check_text(body: str) -> None:
    if not (body or "").strip():
        raise ValidationError({"body": _("The template text is empty.")})
    rendering.compile_body(body)  # a draft may lack clauses, but must compile


def _next_number(template: ContractTemplate) -> int:
    ContractTemplate.objects.select_for_update().get(pk=template.pk)  # versions of one template queue here
    return (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1


def create_version(*, template: ContractTemplate, body: str, notes: str = "", by=None) -> TemplateVersion:
    """A new draft version of ``template`` (numbered after the last one)."""
    try:
        _check_text(body)
    except ValidationError as exc:
        raise ValidationError({"body": exc.messages}) from exc
    with transaction.atomic():
        return TemplateVersion.objects.create(
            template=template, number=_next_number(template), body=body, notes=notes, created_by=by
        )


def update_draft(*, version: TemplateVersion, body: str, notes: str = "", by=None) -> TemplateVersion:
    """Change a draft's text; a published or retired version refuses (make a new version)."""
    with transaction.atomic():
        locked = TemplateVersion.objects.select_for_update().get(pk=version.pk)
        if locked.state != TemplateState.DRAFT:
            raise ValidationError(
                _("Version %(number)s is “%(state)s”: only a draft can be edited; create a new version.")
                % {"number": locked.number, "state": locked.get_state_display()}
            )
        try:
            _check_text(body)
        except ValidationError as exc:
            raise ValidationError({"body": exc.messages}) from exc
        locked.body, locked.notes = body, notes
        locked.save(update_fields=["body", "notes"])
    version.body, version.notes = body, notes
    return locked


def publish(*, version: TemplateVersion, by=None) -> TemplateVersion:
    """Publish a draft: refused with every problem listed (``problems``) when it lacks a clause or
    does not render; otherwise the template's published version (if any) is retired and this one
    becomes the version new contracts of its kind are made from."""
    with transaction.atomic():
        locked = TemplateVersion.objects.select_for_update().select_related("template").get(pk=version.pk)
        VERSION.check(locked, TemplateState.PUBLISHED)
        found = problems(locked.template.kind, locked.body)
        if found:
            raise ValidationError(found)
        now = timezone.now()
        for previous in TemplateVersion.objects.filter(template=locked.template, state=TemplateState.PUBLISHED):
            VERSION.transition(previous, TemplateState.RETIRED, actor=by, reason=f"v{locked.number} published", now=now)
        # a published version of another template of the same kind is retired too: one per kind
        for other in TemplateVersion.objects.filter(
            template__kind=locked.template.kind, state=TemplateState.PUBLISHED
        ).exclude(template=locked.template):
            VERSION.transition(other, TemplateState.RETIRED, actor=by, reason=f"{locked} published", now=now)
        VERSION.transition(locked, TemplateState.PUBLISHED, actor=by, now=now, changes={"published_by": by})
    for name in ("state", "published_at", "published_by_id"):
        setattr(version, name, getattr(locked, name))
    return locked


def published_version(kind: str) -> TemplateVersion:
    """The version new contracts of ``kind`` are made from; a ValidationError when there is none."""
    version = (
        TemplateVersion.objects.select_related("template")
        .filter(template__kind=kind, state=TemplateState.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )
    if version is None:
        raise ValidationError(
            _("No %(kind)s template is published: an operator publishes one under Contracts → Templates.")
            % {"kind": Kind(kind).label}
        )
    return version


def ensure_default_templates(by=None) -> None:
    """A published v1 of the standard sales contract, framework agreement and supplementary
    agreement from default_templates/, for each kind that has no template yet. Idempotent."""
    for kind in (Kind.SALES, Kind.FRAMEWORK, Kind.SUPPLEMENT):
        with transaction.atomic():
            if connection.vendor == "postgresql":  # two first runs at once install each kind once
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x4854, zlib.crc32(kind.encode()) & 0xFFFF])
            if ContractTemplate.objects.filter(kind=kind).exists():
                continue
            template = ContractTemplate.objects.create(kind=kind, name=DEFAULT_NAMES[kind])
            version = create_version(template=template, body=default_body(kind), notes="标准版", by=by)
            publish(version=version, by=by)
