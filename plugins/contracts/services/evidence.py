"""The evidence chain (存证): one append-only record per event of a contract's life.

Each record's ``hash`` is the SHA-256 of the previous record's hash and this record's canonical
fields (kind, actor, IP, user agent, PDF hash, detail, time), so changing, removing or inserting
a stored record breaks the chain from that record on, and ``check_chain`` says where. Records are
appended under a lock on the contract row, so two events never take the same sequence number.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.http import client_ip
from plugins.contracts.models import Contract, EvidenceEvent

GENESIS = "0" * 64


@dataclass(frozen=True)
class Origin:
    """Where an event came from: the person and their connection (request.META)."""

    actor: object = None
    ip: str | None = None
    user_agent: str = ""

    @classmethod
    def of(cls, request) -> Origin:
        if request is None:
            return cls()
        ip = client_ip(request)
        user = request.user if getattr(request.user, "is_authenticated", False) else None
        return cls(actor=user, ip=ip, user_agent=request.META.get("HTTP_USER_AGENT", "")[:300])


SYSTEM = Origin()


def actor_label(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    name = actor.get_full_name() or actor.get_username()
    return f"{name} <{actor.email}>" if actor.email and actor.email != name else name


def record_hash(prev_hash: str, event: EvidenceEvent) -> str:
    canonical = json.dumps(
        {
            "contract": event.contract.number,
            "seq": event.seq,
            "kind": event.kind,
            "actor": event.actor_label,
            "ip": event.ip or "",
            "user_agent": event.user_agent,
            "document_sha256": event.document_sha256,
            "detail": event.detail,
            "created_at": event.created_at.isoformat(timespec="microseconds"),
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def record(
    contract: Contract,
    kind: str,
    *,
    origin: Origin = SYSTEM,
    document_sha256: str = "",
    detail: dict | None = None,
    now: datetime | None = None,
) -> EvidenceEvent:
    """Append one event to the contract's chain (in the caller's transaction)."""
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).first()
        last = contract.evidence.order_by("-seq").first()
        event = EvidenceEvent(
            contract=contract,
            seq=(last.seq + 1) if last else 1,
            kind=kind,
            actor=origin.actor if getattr(origin.actor, "is_authenticated", False) else None,
            actor_label=actor_label(origin.actor),
            ip=origin.ip,
            user_agent=origin.user_agent[:300],
            document_sha256=document_sha256,
            detail=detail or {},
            created_at=now or timezone.now(),
            prev_hash=last.hash if last else GENESIS,
        )
        event.hash = record_hash(event.prev_hash, event)
        event.save()
    return event


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    events: int
    head: str
    #: the first record that does not fit, and why (in the user's language)
    broken_at: int | None = None
    problem: str = ""


def check_chain(contract: Contract) -> ChainCheck:
    """Recompute the chain from the first record; the first mismatch is where it was changed."""
    prev = GENESIS
    expected_seq = 1
    events = list(contract.evidence.order_by("seq"))
    for event in events:
        event.contract = contract
        if event.seq != expected_seq:
            return ChainCheck(False, len(events), prev, event.seq, _("Record %(n)s is missing.") % {"n": expected_seq})
        if event.prev_hash != prev:
            return ChainCheck(
                False,
                len(events),
                prev,
                event.seq,
                _("Record %(n)s does not follow the record before it.") % {"n": event.seq},
            )
        if record_hash(prev, event) != event.hash:
            return ChainCheck(
                False,
                len(events),
                prev,
                event.seq,
                _("Record %(n)s was changed after it was written.") % {"n": event.seq},
            )
        prev = event.hash
        expected_seq += 1
    return ChainCheck(True, len(events), prev)
