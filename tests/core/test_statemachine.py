"""The kernel's state machine: one guarded door that locks, checks, stamps, audits and signals."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from oscar.core.loading import get_model

from core.models import TransitionLog
from core.statemachine import StateMachine, history, state_changed
from tests import factories

Line = get_model("order", "Line")

MACHINE = StateMachine(
    name="test_line",
    transitions={
        "new": frozenset({"packed", "void"}),
        "packed": frozenset({"sent"}),
        "sent": frozenset(),
        "void": frozenset(),
    },
    labels={"new": "新建", "packed": "已打包", "sent": "已发出", "void": "作废"},
    subject="Line %(subject)s",
    state_field="status",
)


@pytest.fixture
def line(buyer, catalogue):
    order = factories.place_order(buyer, [(catalogue["bolt"], 1)], secure=False)
    line = order.lines.get()
    Line.objects.filter(pk=line.pk).update(status="new")
    line.refresh_from_db()
    return line


@pytest.mark.django_db
def test_a_transition_moves_audits_and_signals_inside_its_transaction(line, buyer):
    heard = []

    def listener(sender, instance, from_state, to_state, machine, **kwargs):
        heard.append((sender, instance.pk, from_state, to_state, machine.name, connection.in_atomic_block))

    state_changed.connect(listener)
    try:
        MACHINE.transition(line, "packed", actor=buyer, via="portal", reason="装箱完毕")
    finally:
        state_changed.disconnect(listener)
    assert line.status == "packed" and Line.objects.get(pk=line.pk).status == "packed"
    assert heard == [(Line, line.pk, "new", "packed", "test_line", True)]
    log = history(line).get()
    assert (log.machine, log.from_state, log.to_state, log.actor, log.via, log.reason) == (
        "test_line",
        "new",
        "packed",
        buyer,
        "portal",
        "装箱完毕",
    )


@pytest.mark.django_db
def test_a_wrong_move_is_a_clear_error_keyed_by_the_field_and_changes_nothing(line):
    with pytest.raises(ValidationError) as exc:
        MACHINE.transition(line, "sent", field_name="action")
    error = exc.value.error_dict["action"][0]
    assert error.code == "invalid_transition"
    assert error.message == f"Line {line} 当前为“新建”，不能变为“已发出”。"
    assert Line.objects.get(pk=line.pk).status == "new" and not TransitionLog.objects.exists()
    assert MACHINE.can(line, "packed") and not MACHINE.can("sent", "new")


@pytest.mark.django_db
def test_a_listener_that_refuses_undoes_the_whole_transition(line):
    def refuse(sender, **kwargs):
        raise ValidationError({"status": "库存不足"})

    state_changed.connect(refuse)
    try:
        with pytest.raises(ValidationError):
            MACHINE.transition(line, "packed")
    finally:
        state_changed.disconnect(refuse)
    assert Line.objects.get(pk=line.pk).status == "new" and not TransitionLog.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_moves_queue_on_the_row_lock_and_only_one_wins(line):
    results, barrier = [], threading.Barrier(2)

    def attempt(target):
        barrier.wait()
        try:
            MACHINE.transition(Line.objects.get(pk=line.pk), target)
            results.append(("ok", target))
        except ValidationError as exc:
            results.append((exc.error_dict["status"][0].code, target))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(t,)) for t in ("packed", "void")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r[0] for r in results) == ["invalid_transition", "ok"]
    winner = next(t for r, t in results if r == "ok")
    assert Line.objects.get(pk=line.pk).status == winner
    assert list(TransitionLog.objects.values_list("to_state", flat=True)) == [winner]
