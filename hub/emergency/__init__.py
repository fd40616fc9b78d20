"""Emergencies (突发事件): response plans, directives, the joint response, CAP warnings in."""
