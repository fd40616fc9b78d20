"""The intake desk (受理): a call in progress becomes a case, or joins an open one."""

from views.intake.desk import IntakeDesk

__all__ = ["IntakeDesk"]
