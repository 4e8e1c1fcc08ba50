"""Instroom (planner/inflow.py) and the forecast bands over sampled inflow (solver/capacity/bands.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from planner.bundle import load_bundle_with_pack
from planner.generate import generate_to
from planner.inflow import LOOKBACK_WEEKS, _arrivals, estimate_inflow, inflow_scenario
from planner.rules import load_pack
from solver.capacity.bands import Band, forecast_with_inflow, percentile
from tests.builders import MONDAY, add_toewijzing, bundle

FLEVO = load_pack("flevoland-multi")


def test_inflow_rate_is_the_referrals_of_the_lookback_window():
    b = bundle()
    for i in range(6):  # six referrals in the window, two long before it
        add_toewijzing(b, f"T{i}", "45F21", start=MONDAY - timedelta(weeks=2 + i), hours_per_week=2,
                       referral_date=MONDAY - timedelta(weeks=3 + i))
    for i in range(2):
        add_toewijzing(b, f"O{i}", "45F21", start=MONDAY - timedelta(weeks=30), hours_per_week=2,
                       referral_date=MONDAY - timedelta(weeks=31))
    (s,) = estimate_inflow(b, FLEVO, method="historie")
    assert (s.product, s.group) == ("45F21", False)
    assert s.per_week == round(6 / LOOKBACK_WEEKS, 3)
    assert s.duration_weeks == 26  # median of 180-day trajectories, under the 12-month cap
    assert s.omvang.volume == 2 and "6 verwijzingen" in s.source


def test_steady_state_inflow_keeps_todays_caseload():
    """Default: per product the clients in care now / their mean length (Little's law), the length capped by
    the pack's maximum, so expected arrivals replace those who finish and the product mix stays."""
    b = bundle()
    for i in range(6):  # six in care now (26-week trajectories), two long ended
        add_toewijzing(b, f"T{i}", "45F21", start=MONDAY - timedelta(weeks=1 + 4 * i),
                       end=MONDAY + timedelta(weeks=25 - 4 * i, days=-1),
                       hours_per_week=2)
    for i in range(2):
        add_toewijzing(b, f"O{i}", "45F21", start=MONDAY - timedelta(weeks=60),
                       end=MONDAY - timedelta(weeks=34, days=1),
                       hours_per_week=2)
    for i in range(3):  # 45F23 for 100 weeks: capped at 12 months (52 weeks)
        add_toewijzing(b, f"G{i}", "45F23", start=MONDAY - timedelta(weeks=10 * i), end=MONDAY + timedelta(weeks=90),
                       hours_per_week=3)
    f21, f23 = estimate_inflow(b, FLEVO)
    assert (f21.product, f21.duration_weeks, f21.per_week) == ("45F21", 26, round(6 / 26, 3))
    assert (f23.product, f23.duration_weeks, f23.per_week) == ("45F23", 52, round(3 / 52, 3))
    assert f21.source.startswith("stabiel: 6 in zorg")


def test_arrivals_keep_todays_lengths_and_waiting_list():
    """Issue 23: new clients get today's trajectory lengths in a spread-out order (not all the mean), and a
    contact stream's referrals start their allocation after the weeks that keep today's waiting list
    (waiting / rate, Little's law), so the clients already waiting are the first weeks' starts."""
    from planner.inflow import inflow_changes

    b = bundle()
    for i, weeks in enumerate((20, 30, 40, 50)):  # in care now
        first = MONDAY - timedelta(weeks=2)
        add_toewijzing(b, f"T{i}", "45F21", start=first, end=first + timedelta(weeks=weeks, days=-1), hours_per_week=2)
    for i in range(2):  # referred, allocation not begun: today's waiting list
        first = MONDAY + timedelta(days=3)
        add_toewijzing(b, f"W{i}", "45F21", start=first, end=first + timedelta(weeks=26, days=-1), hours_per_week=2,
                       referral_date=MONDAY - timedelta(weeks=4))
    (s,) = estimate_inflow(b, FLEVO)
    assert (s.duration_weeks, s.per_week, s.durations) == (32, 0.125, (20, 26, 26, 30, 40, 50))
    assert s.lag_weeks == 16 and "2 wachtend = 16 weken" in s.source  # 2 waiting / 0.125 a week
    assert {s.duration_of(n) for n in range(8)} == set(s.durations)  # every 8 arrivals: short and long alike
    changes = inflow_changes([replace(s, per_week=1.0)], MONDAY, 8)
    assert len({c["duur_weken"] for c in changes}) > 1 and {c["duur_weken"] for c in changes} <= set(s.durations)
    for c in changes:
        assert date.fromisoformat(c["begindatum"]) - date.fromisoformat(c["verwijsdatum"]) == timedelta(weeks=16)


def test_manifest_instroom_replaces_the_estimate():
    b = bundle()
    add_toewijzing(b, "T1", "45F21", start=MONDAY - timedelta(weeks=2), hours_per_week=2,
                   referral_date=MONDAY - timedelta(weeks=3))
    b.manifest = replace(b.manifest, inflow=({"product": "45F21", "per_week": 2, "duur_weken": 10},))
    (s,) = estimate_inflow(b, FLEVO)
    assert (s.per_week, s.duration_weeks, s.source) == (2.0, 10, "instelling in het manifest")


def test_expected_arrivals_accumulate_fractions_and_samples_are_seeded():
    assert _arrivals(0.5, 6, None) == [0, 1, 0, 1, 0, 1]
    assert sum(_arrivals(1.3, 10, None)) == 13
    b = bundle()
    add_toewijzing(b, "T1", "45F21", start=MONDAY - timedelta(weeks=2), hours_per_week=2,
                   referral_date=MONDAY - timedelta(weeks=3))
    streams = [replace(s, per_week=1.5) for s in estimate_inflow(b, FLEVO)]
    one = inflow_scenario(None, streams, MONDAY, 20, sample=3, seed=7).changes
    assert one == inflow_scenario(None, streams, MONDAY, 20, sample=3, seed=7).changes
    assert one != inflow_scenario(None, streams, MONDAY, 20, sample=4, seed=7).changes
    assert all(c["soort"] == "toewijzingen_erbij" and c["aantal"] >= 1 for c in one)


def test_group_products_arrive_as_enrolments_in_the_least_occupied_group(tmp_path):
    from planner.scenario import apply_scenario

    b, pack = load_bundle_with_pack(generate_to(tmp_path / "s", "S", seed=3))
    code = next(g.product_code for g in b.groups.values())
    streams = [s for s in estimate_inflow(b, pack) if s.product == code] or pytest.skip("geen groepsinstroom")
    sb = apply_scenario(b, pack, inflow_scenario(None, [replace(streams[0], per_week=2)], b.manifest.period_start, 4))
    new = [e for e in sb.bundle.enrolments if e not in b.enrolments]
    assert len(new) == 8 and {sb.bundle.groups[e.group_id].product_code for e in new} == {code}


def test_percentile_and_bands_are_ordered():
    assert percentile([1, 2, 3, 4, 5], 50) == 3 and percentile([1, 2, 3, 4, 5], 10) == pytest.approx(1.4)
    band = Band.over([[0, 5, 1], [2, 1, 1], [9, 3, 1]])
    assert all(a <= b <= c for a, b, c in zip(band.p10, band.p50, band.p90))


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return load_bundle_with_pack(generate_to(tmp_path_factory.mktemp("s") / "s", "S", seed=2))


def test_forecast_bands_are_ordered_and_reproducible_with_a_fixed_seed(small):
    b, pack = small
    streams = [replace(s, per_week=s.per_week * 3) for s in estimate_inflow(b, pack)]  # enough to wait for
    runs = [forecast_with_inflow(b, pack, None, streams, weeks=8, samples=6, seed=11, processes=1) for _ in range(2)]
    f = runs[0]
    assert len(f.samples) == 6 and len(f.waiting.p50) == 8
    for band in (f.waiting, f.unmet_hours):
        assert all(a <= m <= c for a, m, c in zip(band.p10, band.p50, band.p90))
    assert vars(runs[0].waiting) == vars(runs[1].waiting) and vars(runs[0].unmet_hours) == vars(runs[1].unmet_hours)
    assert f.peak_waiting[10] <= f.peak_waiting[50] <= f.peak_waiting[90]


def test_more_load_never_lowers_the_waiting_peak_or_unmet_hours(small):
    """Issue 23: a monotone load series (the inflow repeated 1, 2, 3, 4 and 6 times: each load holds the one
    before it): the waiting-list peak and the unmet hours never fall as the load grows.

    Before the fix the unmet hours were 4, 6, 4, 4, 16 h: they counted soft group guidelines, which the
    objective traded against a group's roster hours.  Now unmet hours are care not given only, and the
    model minimises exactly that first (docs/capacity.md, "Unmet hours")."""
    from solver.capacity.bands import weekly_unmet_hours
    from solver.capacity.instance import CapacityOptions
    from solver.capacity.run import run_scenarios

    b, pack = small
    base = [replace(s, per_week=s.per_week * 4) for s in estimate_inflow(b, pack)]
    todo = [inflow_scenario(None, base * k, b.manifest.period_start, 12) for k in (1, 2, 3, 4, 6)]
    results = run_scenarios(b, pack, todo, weeks=12, processes=1, options=CapacityOptions(relative_gap=0.0))
    peaks = [max(r.waiting_per_week) for r in results]
    unmet = [sum(weekly_unmet_hours(r)) for r in results]
    assert peaks == sorted(peaks) and unmet == sorted(unmet), (peaks, unmet)


def test_flevoland_utilisation_per_discipline_stays_near_week_one():
    """Issue 23: on the Flevoland sample with its expected inflow, utilisation per discipline stays within +-25 %
    of week 1 (disciplines above 0.05 in week 1).  Weeks where a discipline's supply dips (feestdagen, leave:
    below 95 % of its median) are left out: their spike is fewer hours, not a different mix."""
    from solver.capacity.instance import CapacityOptions, build_instance
    from planner.scenario import apply_scenario
    from solver.capacity.run import run_one

    b, pack = load_bundle_with_pack("sample_data/flevoland")
    scenario = inflow_scenario(None, estimate_inflow(b, pack), b.manifest.period_start, 52)
    options = CapacityOptions(weeks=52, time_limit=60, seed=0)
    r = run_one(b, pack, scenario, options)
    sb = apply_scenario(b, pack, scenario)
    inst = build_instance(sb.bundle, sb.pack, options)
    supply: dict[str, list[int]] = {}
    for sid, row in inst.supply.items():
        acc = supply.setdefault(sb.bundle.staff[sid].profession, [0] * 52)
        for w in range(52):
            acc[w] += row[w] + inst.oncall[sid][w]
    off = {}
    for d, row in r.utilisation_discipline.items():
        if row[0] < 0.05:
            continue
        normal = [w for w in range(52) if supply[d][w] >= 0.95 * sorted(supply[d])[26]]
        worst = max(abs(row[w] - row[0]) / row[0] for w in normal)
        if worst > 0.25:
            off[d] = round(worst, 2)
    assert off == {}, off


def test_cli_and_web_plan_hires_on_the_same_inflow_percentile():
    """Issue 23: ``werving: doel: percentiel`` is read by ``planner whatif`` (forecast_with_inflow) through
    the same function as the web's hiring advice: the streams at that percentile."""
    from planner.scenario import scenario_from_dict
    from solver.capacity.bands import hiring_percentile, hiring_streams, percentile_streams

    b = bundle()
    add_toewijzing(b, "T1", "45F21", start=MONDAY - timedelta(weeks=2), hours_per_week=2)
    streams = estimate_inflow(b, FLEVO)
    werving = {"doel": {"binnen_weken": 4, "percentiel": 90}, "kandidaten": [{"opleiding": "hbo", "kosten_per_fte": 1}]}
    sc = scenario_from_dict({"naam": "w", "werving": werving})
    child = scenario_from_dict({"naam": "kind", "wijzigingen": []}, sc)  # the goal of its basis counts too
    assert hiring_percentile(sc) == hiring_percentile(child) == 90
    assert hiring_streams(sc, streams, 52) == hiring_streams(child, streams, 52) == percentile_streams(streams, 52, 90)
    assert hiring_streams(sc, streams, 52)[0].per_week > streams[0].per_week
    assert hiring_streams(None, streams, 52) == streams
    assert hiring_streams(scenario_from_dict({"naam": "x"}), streams, 52) == streams
