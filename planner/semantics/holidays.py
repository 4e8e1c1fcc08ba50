"""Dutch feestdagen (the ``holidays`` package, NL) and what they mean for planning (issue 20).

Ambulant contacts and group sessions are not planned on a feestdag unless the bundle's manifest says so
(``feestdagen: {contacten: ja}``); residential shifts and 24/7 on-call go on.  Which days count is the
provider's choice: by default every Dutch feestdag of the package except Goede vrijdag (no day off under the
CAO Jeugdzorg), plus ``extra`` closing days.  Shared by the checker (``check_no_contact_on_holiday``, session
occurrences), the solver (contact placement, stage 1 day reservations) and the capacity model (supply).
"""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays as holidays_pkg

from planner.domain import Bundle, HolidaySettings, Manifest, Toewijzing
from planner.rules import Rule, RulePack

KIND = "no_contact_on_holiday"


@cache
def _dutch(year: int) -> dict[date, str]:
    return dict(holidays_pkg.country_holidays("NL", years=[year], language="nl").items())


def feestdag(settings: HolidaySettings, day: date) -> str | None:
    """The name of the feestdag ``day`` is under ``settings`` (None on an ordinary day)."""
    if day in settings.extra:
        return "extra vrije dag"
    name = _dutch(day.year).get(day)
    skip = {s.casefold() for s in settings.skip}
    return name if name is not None and name.casefold() not in skip else None


def closed_day(manifest: Manifest, day: date) -> str | None:
    """The feestdag's name when ambulant contacts and group sessions do not take place on ``day``."""
    return None if manifest.holidays.contacts_allowed else feestdag(manifest.holidays, day)


def rule_covers(rule: Rule, pack: RulePack, t: Toewijzing) -> bool:
    """``rule`` (kind no_contact_on_holiday) holds for ``t``: its product, not of an excluded kind (crisis care,
    like FF's visits and first contact within 24 h, goes on) nor a residential setting (shifts go on)."""
    product = pack.product(t.product_code)
    if product is None or not rule.applies_to(t.product_code, t.intervention):
        return False
    return product.kind not in rule.params.get("exclude_kinds", ["crisis"]) and product.setting != "verblijf"


def contact_closed(bundle: Bundle, pack: RulePack, t: Toewijzing, day: date) -> str | None:
    """The feestdag's name when no contact of ``t`` may fall on ``day`` (a rule of the pack covers it)."""
    name = closed_day(bundle.manifest, day)
    if name is None:
        return None
    return name if any(rule_covers(r, pack, t) for r in pack.rules_of(KIND)) else None
