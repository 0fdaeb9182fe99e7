"""A small reusable state machine: a transition table, one guarded door, an audit row per step.

Every lifecycle of the platform (supplier orders, product review, escalations, outbox
messages, tracking subscriptions, and next contracts, refunds, settlement batches and
purchase approvals) is a ``StateMachine``: a table of allowed moves and one ``transition()``
that, inside one transaction,

1. locks the row (``SELECT … FOR UPDATE``), so two clicks or two workers queue here;
2. checks the move against the table, or raises a ``ValidationError`` keyed by the input
   field with code ``invalid_transition`` and changes nothing;
3. stamps the timestamp field of the target state, if the machine names one, and applies
   the caller's extra field changes;
4. writes an audit row (who, when, from, to, why) — ``core.TransitionLog`` unless the
   machine brings its own recorder (supplier orders keep their own event table);
5. sends ``state_changed`` (and the machine's own signal, if any) *inside* the transaction,
   so a listener's writes commit or roll back with the change.

A move from a state to itself is allowed only where the table lists it (e.g. another
partial shipment).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

#: Sent inside the transaction of every transition of every machine, with ``machine``,
#: ``instance`` (the locked, saved row), ``from_state``, ``to_state``, ``actor``, ``via``,
#: ``reason`` and ``now``. ``sender`` is the model class.
state_changed = Signal()

VIA_SYSTEM = "system"


@dataclass(frozen=True)
class Step:
    """What one transition did, handed to recorders and listeners."""

    machine: StateMachine
    instance: models.Model
    from_state: str
    to_state: str
    actor: Any
    via: str
    reason: str
    now: datetime


@dataclass(frozen=True)
class StateMachine:
    #: a short name, stored in audit rows and used in error messages' context
    name: str
    transitions: Mapping[str, frozenset[str]]
    #: state → label (lazy strings are fine), for messages in the user's language
    labels: Mapping[str, Any] = field(default_factory=dict)
    #: what the row is called in messages, e.g. "Supplier order %(subject)s"; formatted with str(instance)
    subject: str = "%(subject)s"
    state_field: str = "state"
    #: state → name of the datetime field stamped the first time the row enters that state
    timestamps: Mapping[str, str] = field(default_factory=dict)
    #: writes the audit row; default: a core.TransitionLog row
    recorder: Callable[[Step], Any] | None = None
    #: an extra signal of this machine, sent like ``state_changed`` (sender: the model class)
    signal: Signal | None = None

    # -- reading ------------------------------------------------------------------------------

    @property
    def states(self) -> frozenset[str]:
        return frozenset(self.transitions)

    def targets(self, current: str) -> frozenset[str]:
        return self.transitions.get(current, frozenset())

    def can(self, current: str | models.Model, target: str) -> bool:
        if isinstance(current, models.Model):
            current = getattr(current, self.state_field)
        return target in self.targets(current)

    def label(self, state: str) -> str:
        return str(self.labels.get(state, state))

    def check(self, instance: models.Model, target: str, *, field_name: str | None = None) -> None:
        """Raise the machine's ValidationError unless ``instance`` may move to ``target``."""
        current = getattr(instance, self.state_field)
        if target in self.targets(current):
            return
        subject = str(self.subject) % {"subject": str(instance)}
        message = _("%(subject)s is “%(state)s”; it cannot become “%(target)s”.") % {
            "subject": subject,
            "state": self.label(current),
            "target": self.label(target),
        }
        raise ValidationError({field_name or self.state_field: ValidationError(message, code="invalid_transition")})

    # -- the one door -------------------------------------------------------------------------

    def transition(
        self,
        instance: models.Model,
        target: str,
        *,
        actor=None,
        via: str = VIA_SYSTEM,
        reason: str = "",
        now: datetime | None = None,
        field_name: str | None = None,
        changes: Mapping[str, Any] | None = None,
        lock: bool = True,
    ) -> models.Model:
        """Move ``instance`` to ``target`` (see the module docstring); returns the saved row and
        copies its new field values onto ``instance``."""
        now = now or timezone.now()
        model = type(instance)
        with transaction.atomic():
            locked = model._default_manager.select_for_update(of=("self",)).get(pk=instance.pk) if lock else instance
            self.check(locked, target, field_name=field_name)
            previous = getattr(locked, self.state_field)
            setattr(locked, self.state_field, target)
            stamp = self.timestamps.get(target)
            if stamp and getattr(locked, stamp) is None:
                setattr(locked, stamp, now)
            for name, value in (changes or {}).items():
                setattr(locked, name, value)
            locked.save()
            step = Step(self, locked, previous, target, actor, via, reason, now)
            (self.recorder or record_transition)(step)
            kwargs = {
                "machine": self,
                "instance": locked,
                "from_state": previous,
                "to_state": target,
                "actor": actor,
                "via": via,
                "reason": reason,
                "now": now,
            }
            state_changed.send(sender=model, **kwargs)
            if self.signal is not None:
                self.signal.send(sender=model, **kwargs)
        if locked is not instance:
            for f in model._meta.concrete_fields:
                setattr(instance, f.attname, getattr(locked, f.attname))
        return locked


def record_transition(step: Step):
    """The default recorder: one core.TransitionLog row."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import TransitionLog

    actor = step.actor if getattr(step.actor, "is_authenticated", False) else None
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(type(step.instance)),
        object_id=str(step.instance.pk),
        machine=step.machine.name,
        from_state=step.from_state,
        to_state=step.to_state,
        actor=actor,
        via=step.via,
        reason=step.reason,
        created_at=step.now,
    )


def history(instance: models.Model):
    """The audit rows core.TransitionLog holds for ``instance``, oldest first."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import TransitionLog

    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    ).order_by("created_at", "id")
