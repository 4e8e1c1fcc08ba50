"""The Almelo sample's intake-type 24/7 teams (issue 20): a crisisdienst and an ASH team that offer their form.

ASH (A:3689), the Crisisdienst GGZ-Jeugd (A:1053, A:3613) and its layers (achterwacht psychiater A:3619,
voorwacht SPV/GZ-psycholoog A:3629, hbo professional A:3633) are duties while a team offers the form
(``aanbod`` in ``teams.csv``), with or without a toewijzing.  The teams and members are added after the rest
of the sample is generated and without the generator's random stream, so the other data stay as they were.
"""

from __future__ import annotations

import zlib
from datetime import time, timedelta

from planner.domain import Bundle, Education, Medewerker, Registration, Team, TimeWindow

# (team id, name, offered products, intervention, members: (name, profession, education, registrations))
OFFERING_TEAMS = (
    ("T-CGGZ-1", "Crisisdienst GGZ-Jeugd", ("A-CGGZ",), None, (
        ("Pieter K.", "psychiater", "wo+", ("BIG",)),
        ("Ilse D.", "psychiater", "wo+", ("BIG",)),
        ("Karel S.", "psychiater", "wo+", ("BIG",)),
        ("Mila T.", "psychiater", "wo+", ("BIG",)),
        ("Ruben M.", "sociaal psychiatrisch verpleegkundige", "hbo", ("BIG",)),
        ("Noor H.", "sociaal psychiatrisch verpleegkundige", "hbo", ("BIG",)),
        ("Daan O.", "sociaal psychiatrisch verpleegkundige", "hbo", ("BIG",)),
        ("Sara V.", "gz-psycholoog", "wo+", ("BIG",)),
    )),
    ("T-ASH-1", "Ambulante spoedhulp-team", ("A-ASH",), "ASH", (
        ("Tim B.", "jeugd- en gezinswerker", "hbo", ("SKJ",)),
        ("Eva L.", "jeugd- en gezinswerker", "hbo", ("SKJ",)),
        ("Joost W.", "jeugd- en gezinswerker", "hbo", ("SKJ",)),
        ("Fleur A.", "jeugd- en gezinswerker", "hbo", ("SKJ",)),
    )),
)
# Four per layer: at most 7 x 24 h on call per 28 days each (CAO Jeugdzorg 6.4.1), so a layer needs four.
OFFICE = tuple(TimeWindow(d, time(9, 0), time(17, 0)) for d in range(5))


def add_offering_teams(b: Bundle) -> None:
    """Add the teams of ``OFFERING_TEAMS`` and their members (ids after the last ``M`` id of the bundle)."""
    n = max((int(sid[1:]) for sid in b.staff if sid[:1] == "M" and sid[1:].isdigit()), default=0)
    for tid, name, products, intervention, members in OFFERING_TEAMS:
        b.teams[tid] = Team(tid, name, True, intervention, frozenset(products))
        for person, profession, education, regs in members:
            n += 1
            sid = f"M{n:04d}"
            vog = b.manifest.period_start - timedelta(days=30 + zlib.crc32(f"vog|{sid}".encode()) % 1000)
            b.staff[sid] = Medewerker(sid, person, Education(education), profession,
                                      frozenset(Registration(r) for r in regs),
                                      frozenset({intervention} if intervention else ()), 32.0, frozenset({tid}),
                                      frozenset({"Almelo"}), None, False, True, OFFICE, vog_date=vog)
