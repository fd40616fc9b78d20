"""The emergency room (应急指挥): emergencies, the task and acknowledgement matrices, directives."""
