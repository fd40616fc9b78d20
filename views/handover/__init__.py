"""The shift handover (交接班): the outgoing officer's form and the incoming officer's panel."""
