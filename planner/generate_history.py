"""Care history for the Almelo sample (issue 20): two capped trajectories and their fictional realisatie.

TW00091 (Advies en Expertise, max 15 uur per casus, A:3885) has 14 of its 15 hours behind it, so the
sample week can plan only 1 of the 2 hours its omvang asks; TW00092 (ED behandeling, max 65 uur, A:2575)
has 38 sessions of 50 minutes behind it.  Deterministic: no random numbers.
"""

from __future__ import annotations

from datetime import date, timedelta

from planner.domain import (Bundle, Gezin, Jeugdige, Omvang, OmvangFrequency, OmvangUnit, Realisatie,
                            Toewijzing)


def add_sample_history(b: Bundle) -> Bundle:
    for jid, gid, initials, year in (("J00105", "G00079", "R.V.", 2014), ("J00106", "G00080", "D.K.", 2016)):
        b.gezinnen[gid] = Gezin(gid, "Almelo")
        b.jeugdigen[jid] = Jeugdige(jid, gid, initials, year, "Almelo")
    b.toewijzingen["TW00091"] = Toewijzing(
        "TW00091", "J00105", "A-AE", date(2026, 10, 5), date(2027, 3, 31),
        Omvang(2, OmvangUnit.UUR, OmvangFrequency.PER_WEEK), None, None, date(2026, 9, 20), "M0022", "M0021")
    b.toewijzingen["TW00092"] = Toewijzing(
        "TW00092", "J00106", "A-ED", date(2026, 3, 2), date(2027, 6, 30),
        Omvang(50, OmvangUnit.MINUUT, OmvangFrequency.PER_WEEK), "behandeling", None, date(2026, 2, 10), "M0023",
        "M0021")
    rows = [Realisatie("TW00091", date(2026, 10, 6), 60, "intake", "M0021")]
    first = date(2026, 10, 8)
    rows += [Realisatie("TW00091", first + timedelta(days=7 * (i // 2) + (2 if i % 2 else 0)), 60, "contact", "M0022")
             for i in range(13)]
    rows += [Realisatie("TW00092", date(2026, 3, 10) + timedelta(weeks=i), 50, "contact", "M0023") for i in range(38)]
    b.realisatie = rows
    return b
