"""Solve the parts of a decomposed week in parallel and merge them (issue 24).

Each part (``solver.decompose.partition``) becomes a bundle of its own (``solver.parts.sub_bundle``) and
is solved by ``solver.solve.solve`` unchanged: residential rosters, assignment, contacts.  Parts run
in a local process pool (one CP-SAT model per core; a part's memory is freed when it ends, so peak memory
follows the largest part, not the provider), in this process (``pool="serial"``: tests, one core), or as
Huey tasks consumed by ``planner deelverwerker`` processes (``pool="queue"``, ``planner/cli_parts.py``).

Time: every part is given its share of what is left when it starts: its weight over the weight of the
parts not yet started, times the number of slots, capped at what is left.  A part that ends early
(proven optimal) leaves its time to the parts still open, so the stages together use the user's limit.
Once all parts have run, those not proven optimal are solved again with the time left (``retry_jobs``)
and the better result per part is kept: the parts that ran first cannot otherwise use the time that the
later parts leave.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import resource
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date

from planner.domain import Bundle
from planner.plan import Plan
from planner.rules import RulePack
from solver.data import ProblemData, SolveOptions
from solver.decompose import Part, part_count, partition
from solver.parts import merge_results, sub_bundle, sub_plan
from solver.result import ProgressEvent, SolveResult

log = logging.getLogger("jeugdhulp.solver")
MERGE_RESERVE = 0.02  # share of the limit kept for the merge and the summary
RETRY_SECONDS = 15.0  # a part solved again needs its build and stage 1 (3-8 s at XL, more on a busy machine)


@dataclass
class PartJob:
    """Everything a worker needs for one part (picklable)."""

    index: int
    total: int
    bundle: Bundle
    pack: RulePack
    start: date
    weeks: int
    options: SolveOptions
    previous: Plan | None
    fixed: Plan | None


def weight(job: PartJob) -> int:
    """Work of a part: its staff times its toewijzingen (the size of the candidate filters and the model)."""
    return max(1, len(job.bundle.staff)) * max(1, len(job.bundle.toewijzingen) + len(job.bundle.sessions))


def make_jobs(bundle: Bundle, pack: RulePack, start: date, weeks: int, options: SolveOptions,
              previous: Plan | None, fixed: Plan | None, parts: list[Part], slots: int) -> list[PartJob]:
    """One job per part, the CP-SAT workers split over the slots that run at once."""
    per_part = replace(options, parts=1, workers=max(1, options.workers // max(slots, 1)))
    jobs = []
    for i, part in enumerate(parts):
        b = sub_bundle(bundle, part)
        jobs.append(PartJob(i, len(parts), b, pack, start, weeks, per_part, sub_plan(previous, b),
                            sub_plan(fixed, b) if fixed is not None else None))
    return jobs


# --- in the worker ---------------------------------------------------------------------------------------
_QUEUE = None  # progress queue and stop event of a pool worker (set by the initializer)
_STOP = None


def _init_worker(queue, stop) -> None:
    global _QUEUE, _STOP
    _QUEUE, _STOP = queue, stop


def run_part(job: PartJob, on_progress: Callable | None = None, stop=None) -> tuple[int, SolveResult, float]:
    """Solve one part; returns (index, result, peak RSS in MB of this process)."""
    from solver.solve import solve

    queue, stop = _QUEUE, stop if stop is not None else _STOP
    if on_progress is None and queue is not None:
        def on_progress(event: ProgressEvent) -> None:
            queue.put((job.index, event))
    r = solve(job.bundle, job.pack, job.start, job.weeks, job.options, previous=job.previous, fixed=job.fixed,
              on_progress=on_progress, stop=stop)
    r.progress = []  # the parent has them already; keeps the pickle small
    return job.index, r, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- in the parent ---------------------------------------------------------------------------------------
class Budget:
    """Hands out time per part: what is left, shared by weight over the parts not yet started."""

    def __init__(self, jobs: list[PartJob], deadline: float, slots: int):
        self.deadline, self.slots = deadline, slots
        self.unstarted = {j.index: weight(j) for j in jobs}

    def take(self, job: PartJob) -> float:
        left = max(self.deadline - time.monotonic(), 1.0)
        share = self.slots * self.unstarted[job.index] / max(sum(self.unstarted.values()), 1)
        del self.unstarted[job.index]
        # a part overruns its limit by its last stage's minimum and the process start: keep 5 % + 1 s back
        return max(min(left, left * share) * 0.95 - 1.0, 1.0)


def _relay(queue, t0: float, on_progress, total: int, done: threading.Event) -> None:
    """Pass the workers' progress events on, time from the whole solve's start, stage named by part."""
    while not done.is_set():
        try:
            index, e = queue.get(timeout=0.2)
        except Exception:  # noqa: BLE001 - queue.Empty, or the manager went away at the end
            continue
        if on_progress:
            on_progress(ProgressEvent(time.monotonic() - t0, e.objective, e.bound, f"{e.stage} {index + 1}/{total}"))


def _announce(on_progress, t0: float, job: PartJob, r: SolveResult) -> None:
    if on_progress and r.objective is not None:
        on_progress(ProgressEvent(time.monotonic() - t0, r.objective, r.bound if r.bound is not None else r.objective,
                                  f"deel {job.index + 1}/{job.total} klaar ({r.status})"))


def _drive(executor, jobs: list[PartJob], slots: int, deadline: float, t0: float, on_progress,
           stop: threading.Event | None, on_stop, poll) -> tuple[list[SolveResult], list[float]]:
    """Keep ``slots`` parts running on ``executor``, each given its time when it starts; collect results.
    Then, while enough time is left, solve the parts not proven optimal again with it (``retry_jobs``)."""
    results: list[SolveResult | None] = [None] * len(jobs)
    rss = _run_jobs(executor, jobs, slots, deadline, t0, on_progress, stop, on_stop, poll, results)
    again = retry_jobs(jobs, results, deadline)
    if again and not (stop is not None and stop.is_set()):
        log.info("parts %s not proven optimal; solving them again in the %.0f s left",
                 [j.index + 1 for j in again], deadline - time.monotonic())
        first = list(results)
        rss += _run_jobs(executor, again, slots, deadline, t0, on_progress, stop, on_stop, poll, results)
        for job in again:
            second = results[job.index]
            kept = results[job.index] = better_part(first[job.index], second)
            kept.stages["opnieuw"] = {"status": kept.status, "objective": kept.objective, "bound": kept.bound,
                                      "seconds": round(second.seconds, 1) if second is not None else None,
                                      "first_objective": first[job.index].objective}
    return results, rss


def _run_jobs(executor, jobs: list[PartJob], slots: int, deadline: float, t0: float, on_progress,
              stop: threading.Event | None, on_stop, poll, results: list) -> list[float]:
    budget, rss = Budget(jobs, deadline, slots), []
    pending = list(jobs)
    running: dict[Future, PartJob] = {}
    while pending or running:
        while pending and len(running) < slots:
            job = pending.pop(0)
            job.options = replace(job.options, time_limit=budget.take(job))
            running[executor.submit(run_part, job)] = job
        poll(0.5)
        if stop is not None and stop.is_set():
            on_stop()
        for f in [f for f in running if f.done()]:
            job = running.pop(f)
            index, r, mb = f.result()
            results[index] = r
            rss.append(mb)
            _announce(on_progress, t0, job, r)
    return rss


def retry_jobs(jobs: list[PartJob], results: list[SolveResult], deadline: float) -> list[PartJob]:
    """The parts worth solving again once every part has run: those with a plan not proven optimal, when at
    least RETRY_SECONDS per slot-round are left.  A part's time is set when it starts, so a part that ends
    early hands its time only to the parts after it; the parts that run first (or beside the last) cannot
    use the time the others leave, and an XL week ended FEASIBLE after 60-75 s of 120 with one medewerker's
    contact model short of time in one part.  Solved again with the time left, that part gets several
    times its first budget (its stage 1 is proven optimal in seconds; the rest goes to stage 2)."""
    if deadline - time.monotonic() < RETRY_SECONDS:
        return []
    return [j for j, r in zip(jobs, results) if r is not None and r.plan is not None and r.status != "OPTIMAL"]


def better_part(first: SolveResult, again: SolveResult | None) -> SolveResult:
    """The better of two solves of one part: a plan over none, then the lower objective, then the higher
    bound; the first on a tie (each result keeps its own bound: the two runs may differ in stage 1)."""
    if again is None or again.plan is None or again.objective is None:
        return first
    if first.objective is None or (again.objective, -(again.bound or 0)) < (first.objective, -(first.bound or 0)):
        return again
    return first


def run_pool(jobs: list[PartJob], slots: int, deadline: float, t0: float, on_progress,
             stop: threading.Event | None) -> tuple[list[SolveResult], list[float]]:
    """The parts in a local process pool of ``slots`` workers."""
    ctx = mp.get_context("spawn")  # no fork of a process with CP-SAT threads
    queue, child_stop = ctx.Queue(), ctx.Event()
    done = threading.Event()
    threading.Thread(target=_relay, args=(queue, t0, on_progress, len(jobs), done), daemon=True).start()
    try:
        with ProcessPoolExecutor(slots, mp_context=ctx, initializer=_init_worker,
                                 initargs=(queue, child_stop)) as pool:
            return _drive(pool, jobs, slots, deadline, t0, on_progress, stop, child_stop.set,
                          lambda timeout: time.sleep(min(timeout, 0.1)))
    finally:
        done.set()


def run_queue(jobs: list[PartJob], slots: int, deadline: float, t0: float, on_progress,
              stop: threading.Event | None) -> tuple[list[SolveResult], list[float]]:
    """The parts as Huey tasks (``planner.queue_parts``), ``slots`` at a time."""
    from planner.queue_parts import QueueExecutor

    with QueueExecutor() as ex:
        return _drive(ex, jobs, slots, deadline, t0, on_progress, stop, lambda: None, ex.wait_any)


def run_serial(jobs: list[PartJob], deadline: float, t0: float, on_progress,
               stop: threading.Event | None) -> tuple[list[SolveResult], list[float]]:
    """The parts one after another in this process (tests; a single core)."""
    budget, results = Budget(jobs, deadline, 1), []
    for job in jobs:
        job.options = replace(job.options, time_limit=budget.take(job))

        def relay(e: ProgressEvent, job=job) -> None:
            if on_progress:
                on_progress(ProgressEvent(time.monotonic() - t0, e.objective, e.bound,
                                          f"{e.stage} {job.index + 1}/{job.total}"))
        _, r, _ = run_part(job, relay, stop)
        results.append(r)
        _announce(on_progress, t0, job, r)
    return results, [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]


def solve_parts(bundle: Bundle, pack: RulePack, start: date, weeks: int, options: SolveOptions,
                previous: Plan | None = None, fixed: Plan | None = None, on_progress=None,
                stop: threading.Event | None = None, parts: list[Part] | None = None) -> SolveResult:
    """Partition, solve the parts (pool, serial or queue), merge; the checker checks the merged plan."""
    from datetime import timedelta

    t0 = time.monotonic()
    deadline = t0 + options.time_limit * (1 - MERGE_RESERVE)
    if parts is None:
        period_pack = pack.for_period(start, start + timedelta(weeks=weeks, days=-1))
        parts = partition(ProblemData(bundle, period_pack, start, weeks), part_count(len(bundle.staff), options))
    slots = max(1, min(len(parts), options.workers)) if options.pool != "serial" else 1
    jobs = make_jobs(bundle, pack, start, weeks, options, previous, fixed or previous, parts, slots)
    log.info("decomposed into %d parts (staff %s), %d at a time", len(jobs),
             [len(j.bundle.staff) for j in jobs], slots)
    if options.pool == "serial":
        results, rss = run_serial(jobs, deadline, t0, on_progress, stop)
    elif options.pool == "queue":
        results, rss = run_queue(jobs, slots, deadline, t0, on_progress, stop)
    else:
        results, rss = run_pool(jobs, slots, deadline, t0, on_progress, stop)
    out = merge_results(results, time.monotonic() - t0)
    out.stages["delen"] = {"status": f"{len(jobs)} delen, {slots} tegelijk", "parts": len(jobs), "slots": slots,
                           "staff": [len(j.bundle.staff) for j in jobs],
                           "toewijzingen": [len(j.bundle.toewijzingen) for j in jobs],
                           "part_seconds": [round(r.seconds, 1) for r in results],
                           "part_status": [r.status for r in results], "worker_peak_mb": round(max(rss, default=0)),
                           "retried": [i + 1 for i, r in enumerate(results) if "opnieuw" in r.stages],
                           "objective": out.objective, "bound": out.bound, "seconds": round(out.seconds, 1)}
    if out.plan is not None:
        out.plan.meta.update({"status": out.status, "objective": out.objective, "bound": out.bound,
                              "seconds": round(out.seconds, 3), "pack": pack.id, "parts": len(jobs)})
    return out
