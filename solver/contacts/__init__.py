"""Stage 2: place each medewerker's contacts in time (decision 4).

Given the caseload of stage 1, every toewijzing's weekly omvang becomes a
number of contacts of a sensible length (``needs.contact_needs``), which one
small CP-SAT model per medewerker places in their availability around the
group sessions they staff.  Rule kinds decided here have their
``add_<kind>(cm, rule)`` in ``solver/contacts/rules.py``.
"""

from __future__ import annotations

from solver.contacts.stage import ContactStageResult, place_contacts

__all__ = ["ContactStageResult", "place_contacts"]
