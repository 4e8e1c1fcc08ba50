"""The objective of a roster (cover shortfall and excess, requests, fair shares), updated row by row in
plain Python: what the LNS uses to judge a move against the current roster, and the hot spots it aims at."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from solver.shifts.problem import Roster, ShiftProblem


@dataclass
class Reach:
    """Who may take more work, per shift type: ``takers`` may take one more of it (below their count of that
    type, its minutes within their maximum); ``traders`` are below their count but at their minutes, so they
    take it only by giving up another shift, which someone in ``spare`` (minutes left for some shift they may
    still work) must then take (Instance13: nearly everyone works up to their maximum minutes)."""
    takers: dict[str, set[str]]
    traders: dict[str, set[str]]
    spare: set[str]


class Penalty:
    """The objective of a roster (cover shortfall/excess, requests, fair shares), updated row by row."""

    def __init__(self, p: ShiftProblem, roster: Roster) -> None:
        self.p = p
        self.cover = {(c.day, c.shift): c for c in p.cover}
        self.count: dict[tuple[int, str], int] = defaultdict(int)
        self.on: dict[str, list] = defaultdict(list)
        self.off: dict[str, list] = defaultdict(list)
        for r in p.on_requests:
            self.on[r.employee].append(r)
        for r in p.off_requests:
            self.off[r.employee].append(r)
        self.roster = {k: list(v) for k, v in roster.items()}
        self._reach: Reach | None = None  # ``reach`` of the current roster, until ``apply``
        for row in self.roster.values():
            for d, s in enumerate(row):
                if s:
                    self.count[d, s] += 1
        self.value = sum(self._cell(k, n) for k, n in self.count.items())
        self.value += sum(self._cell(k, 0) for k in self.cover if k not in self.count)
        self.value += sum(self._requests(e, row) for e, row in self.roster.items())
        # fair shares: per share the members' counts; the penalty is recomputed from them (max - min)
        none = [None] * p.horizon
        self.fair = [{eid: p.fair_count(fs, self.roster.get(eid, none)) for eid in p.fair_members(fs)}
                     for fs in p.fair_shares]
        self.value += sum(self._spread(i, counts) for i, counts in enumerate(self.fair))

    def _spread(self, i: int, counts: dict[str, int]) -> int:
        fs = self.p.fair_shares[i]
        return fs.weight * (max(counts.values()) - min(counts.values())) if counts else 0

    def _fair_delta(self, rows: dict[str, list[str | None]]) -> int:
        total = 0
        for i, counts in enumerate(self.fair):
            changed = {eid: self.p.fair_count(self.p.fair_shares[i], row) for eid, row in rows.items() if eid in counts}
            if any(counts[eid] != n for eid, n in changed.items()):
                total += self._spread(i, {**counts, **changed}) - self._spread(i, counts)
        return total

    def _cell(self, key: tuple[int, str], n: int) -> int:
        c = self.cover.get(key)
        if c is None:
            return 0
        return (c.required - n) * c.under_weight if n < c.required else (n - c.required) * c.over_weight

    def _requests(self, eid: str, row: list[str | None]) -> int:
        return (sum(r.weight for r in self.on[eid] if row[r.day] != r.shift)
                + sum(r.weight for r in self.off[eid] if row[r.day] == r.shift))

    def delta(self, rows: dict[str, list[str | None]]) -> int:
        """Change of the objective when these rows replace the current ones."""
        change: dict[tuple[int, str], int] = defaultdict(int)
        total = 0
        for eid, row in rows.items():
            old = self.roster[eid]
            total += self._requests(eid, row) - self._requests(eid, old)
            for d, (a, b) in enumerate(zip(old, row)):
                if a != b:
                    if a:
                        change[d, a] -= 1
                    if b:
                        change[d, b] += 1
        for key, dn in change.items():
            if dn:
                n = self.count[key]
                total += self._cell(key, n + dn) - self._cell(key, n)
        return total + self._fair_delta(rows)

    def apply(self, rows: dict[str, list[str | None]]) -> None:
        """Replace the rows (after ``delta`` said so)."""
        self.value += self.delta(rows)
        self._reach = None
        for eid, row in rows.items():
            for d, (a, b) in enumerate(zip(self.roster[eid], row)):
                if a != b:
                    if a:
                        self.count[d, a] -= 1
                    if b:
                        self.count[d, b] += 1
            self.roster[eid] = list(row)
            for i, counts in enumerate(self.fair):
                if eid in counts:
                    counts[eid] = self.p.fair_count(self.p.fair_shares[i], row)

    def missed(self) -> list[tuple[int, str]]:
        """(day, shift) pairs whose cover is not met exactly and that someone could mend: over cover, or
        under cover of a shift some employee may still take (``Reach.takers``) or take in trade for another
        shift that someone with minutes left takes over (``Reach.traders`` and ``Reach.spare``). A shortage
        no one can take (Instance9: every employee at their maximum minutes) is not a place to search."""
        gaps = [k for k, c in self.cover.items() if self.count.get(k, 0) != c.required]
        if any(self.count.get(k, 0) > c.required for k, c in self.cover.items()):
            return gaps
        reach = self.reach()
        return [k for k in gaps if reach.takers.get(k[1]) or (reach.spare and reach.traders.get(k[1]))]

    def reach(self) -> Reach:
        """Who may take more work in the current roster (``Reach``). Kept until the roster changes: a move's
        pick asks twice (``missed`` and the shortage's people), and many picks come between two changes."""
        if self._reach is not None:
            return self._reach
        minutes = {s.id: s.minutes for s in self.p.shifts}
        reach = Reach(defaultdict(set), defaultdict(set), set())
        for e in self.p.employees:
            row = self.roster.get(e.id)
            if row is None:
                continue
            used = Counter(x for x in row if x)
            worked = sum(minutes[x] * n for x, n in used.items())
            for s, m in minutes.items():
                if used[s] >= e.max_per_shift.get(s, self.p.horizon):
                    continue
                if e.max_minutes is None or worked + m <= e.max_minutes:
                    reach.takers[s].add(e.id)
                    reach.spare.add(e.id)
                else:
                    reach.traders[s].add(e.id)
        self._reach = reach
        return reach

    def unmet_requests(self) -> list[tuple[str, int, str]]:
        """(employee, day, shift) of every on request not granted and off request not honoured."""
        return ([(r.employee, r.day, r.shift) for rs in self.on.values() for r in rs
                 if self.roster[r.employee][r.day] != r.shift]
                + [(r.employee, r.day, r.shift) for rs in self.off.values() for r in rs
                   if self.roster[r.employee][r.day] == r.shift])
