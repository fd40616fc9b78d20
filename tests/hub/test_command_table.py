"""The command table sends each command's arguments to the one handler that takes them."""

from __future__ import annotations

from hub.engine.commands import EMERGENCY_ARGS, LOOP_STEPS, WARNING_ARGS
from protocol import COMMAND_ARGS
from protocol.loop_rules import ALLOWED


def test_the_steps_sent_straight_to_the_loop_are_the_loops_steps_and_no_others() -> None:
    """`job` sends the arguments in LOOP_STEPS to the closed loop without asking the other tables: a step missing
    there still works (the long way), but a type another table takes would reach the loop, which has no step for it."""
    steps = {COMMAND_ARGS[f"case.{step}"] for step in ALLOWED}
    assert set(LOOP_STEPS) == steps
    assert not LOOP_STEPS & {*EMERGENCY_ARGS, *WARNING_ARGS}
    others = {name for name, args in COMMAND_ARGS.items() if args in LOOP_STEPS} - {f"case.{s}" for s in ALLOWED}
    assert others == set()
