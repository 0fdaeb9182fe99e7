"""The contract lifecycle on the kernel's state machine (core.statemachine).

==============  ===========================================================  ============================
from            to                                                           by
==============  ===========================================================  ============================
draft           sent, voided                                                 operator (send), system
sent            negotiating (buyer comments), buyer signed, voided           buyer, operator (void)
negotiating     sent (re-issued, a new PDF revision), voided                 operator
buyer signed    countersigned, voided                                        platform (countersign)
countersigned   effective                                                    system (at once, or on valid_from)
effective       amended (a supplementary agreement took effect), renewed,    system, operator
                expired (framework end date), terminated
amended         amended (another supplement), terminated, expired, renewed   system, operator
renewed, expired, terminated, voided —
==============  ===========================================================  ============================

Every move writes a core.TransitionLog row (who, when, from, to, why); the evidence chain
(services.evidence) records what matters as proof alongside.
"""

from django.utils.translation import gettext_lazy as _

from core.statemachine import StateMachine
from plugins.contracts.models import State

S = State

MACHINE = StateMachine(
    name="contract",
    transitions={
        S.DRAFT: frozenset({S.SENT, S.VOIDED}),
        S.SENT: frozenset({S.NEGOTIATING, S.BUYER_SIGNED, S.VOIDED}),
        S.NEGOTIATING: frozenset({S.SENT, S.VOIDED}),
        S.BUYER_SIGNED: frozenset({S.COUNTERSIGNED, S.VOIDED}),
        S.COUNTERSIGNED: frozenset({S.EFFECTIVE}),
        S.EFFECTIVE: frozenset({S.AMENDED, S.RENEWED, S.EXPIRED, S.TERMINATED}),
        S.AMENDED: frozenset({S.AMENDED, S.RENEWED, S.EXPIRED, S.TERMINATED}),
        S.RENEWED: frozenset(),
        S.EXPIRED: frozenset(),
        S.TERMINATED: frozenset(),
        S.VOIDED: frozenset(),
    },
    labels=dict(State.choices),
    subject=_("Contract %(subject)s"),
    timestamps={
        S.SENT: "sent_at",
        S.BUYER_SIGNED: "buyer_signed_at",
        S.COUNTERSIGNED: "countersigned_at",
        S.EFFECTIVE: "effective_at",
        S.RENEWED: "ended_at",
        S.EXPIRED: "ended_at",
        S.TERMINATED: "ended_at",
        S.VOIDED: "ended_at",
    },
)

#: states in which the contract binds the parties
IN_FORCE = frozenset({S.EFFECTIVE, S.AMENDED})
#: states in which the buyer may still sign
SIGNABLE = frozenset({S.SENT})
#: states from which an operator may void
VOIDABLE = frozenset(s for s, targets in MACHINE.transitions.items() if S.VOIDED in targets)
