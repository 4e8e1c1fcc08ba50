"""kill -9 during an import commit, for real: a child process is stopped with SIGKILL at a chosen point.

1. The bundle commit (``planner import``'s path: stage, journal, swap): killed after each of its file
   swaps in turn, and once while staging (before the journal, the commit point). The next preview finds
   the bundle whole, with either every file of the import or none, never a mix; the same message can be
   imported again, and that commit removes what the killed process had staged.
2. The web commit (one database transaction): killed while the transaction holds part of the import.
   The database afterwards holds none of it, the data revision is unchanged, and the same upload commits.

The child pauses at the kill point (it writes a marker file and sleeps); the test waits for the marker,
sends SIGKILL and checks what is left.  No monkeypatched "kill": the process really dies.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "flevoland"
MESSAGE = ROOT / "sample_data" / "jw301" / "jw301-nieuwe-client.xml"
KEY = "een-sleutel-van-minstens-16-tekens"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL bestaat alleen op POSIX")


def _run_until_marker(script: str, marker: Path, env: dict, timeout: float = 120.0) -> subprocess.Popen:
    """Start ``script`` in a child; return once it wrote ``marker`` (it then sleeps), or fail."""
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if proc.poll() is not None:
            out = proc.stdout.read().decode(errors="replace")
            pytest.fail(f"het kindproces stopte vóór het stoppunt (code {proc.returncode}):\n{out[-3000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("het kindproces bereikte het stoppunt niet op tijd")
        time.sleep(0.02)
    return proc


def _kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL


BUNDLE_CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import planner.importing.commit as commit_mod
    from planner.importing import commit_import, preview_import
    bundle, marker, stop_at = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ["B"]), \\
        Path(os.environ["MARKER"]), int(os.environ["STOP_AT"])
    preview = preview_import(bundle, Path(os.environ["MSG"]).read_bytes(), "jw301.xml")
    assert preview.ok, preview.summary()
    real, calls = os.replace, [0]
    def pausing_replace(src, dst):
        real(src, dst)
        calls[0] += 1
        if calls[0] == stop_at:
            marker.write_text(str(calls[0]))
            time.sleep(600)
    commit_mod.os.replace = pausing_replace
    real_stage, staged = commit_mod._stage, [0]
    def pausing_stage(*args):
        out = real_stage(*args)
        staged[0] += 1
        if stop_at == 0 and staged[0] == 2:  # two files staged, no journal yet: before the commit point
            marker.write_text("gestaged")
            time.sleep(600)
        return out
    commit_mod._stage = pausing_stage
    commit_import(bundle, preview)
    marker.write_text("klaar")
    time.sleep(600)
""")


def _tables(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def test_a_bundle_commit_killed_after_any_swap_leaves_all_or_nothing(tmp_path):
    from planner.importing import commit_import, preview_import

    os.environ.setdefault("JHP_BSN_KEY", KEY)
    before = _tables(SAMPLE)
    # os.replace calls of one commit: the journal (the commit point), then one swap per file
    probe = preview_import(_copy(SAMPLE, tmp_path / "probe"), MESSAGE.read_bytes(), "jw301.xml")
    assert probe.ok, probe.summary()
    stops = list(range(0, len(probe.files) + 2))  # 0: while staging, 1: journal, then each swap
    outcomes = []
    for stop_at in stops:
        bundle = _copy(SAMPLE, tmp_path / f"b{stop_at}")
        marker = tmp_path / f"m{stop_at}"
        proc = _run_until_marker(BUNDLE_CHILD, marker, {"B": str(bundle), "MARKER": str(marker),
                                                          "STOP_AT": str(stop_at), "MSG": str(MESSAGE),
                                                          "JHP_BSN_KEY": KEY})
        _kill(proc)
        again = preview_import(bundle, MESSAGE.read_bytes(), "jw301.xml")  # finishes a journalled commit
        after = _tables(bundle)
        changed = {name for name in after if after[name] != before.get(name)}
        expected = {Path(rel).name for rel in probe.files if rel.endswith(".csv")} & set(after)
        committed = all((bundle / rel).read_text("utf-8") == text for rel, text in probe.files.items())
        assert committed or not changed, f"stop {stop_at}: gemengde bundel, gewijzigd: {sorted(changed)}"
        if committed:
            assert changed <= expected
        assert again.ok, again.summary()  # importing the same message again is never refused
        commit_import(bundle, again)  # and commits; it also removes files staged by the killed process
        assert not list(bundle.glob(".*.tmp")) and not (bundle / ".import-journal.json").exists()
        outcomes.append("alles" if committed else "niets")
    # the journal is the commit point: killed after it, the import is finished; before it, nothing
    assert outcomes[0] == "niets" and set(outcomes[1:]) == {"alles"}, outcomes


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


WEB_CHILD = textwrap.dedent("""
    import os, time
    from pathlib import Path
    from types import SimpleNamespace
    import web.importer as importer
    from web.db.engine import make_engine
    from web.store import Store
    store = Store(make_engine(os.environ["DATABASE_URL"]))
    marker = Path(os.environ["MARKER"])
    real = importer._save_side_files
    def pausing(s, root, files):
        real(s, root, files)
        s.flush()  # the import's rows are in the open transaction (and the database file's journal)
        marker.write_text("in transactie")
        time.sleep(600)
    importer._save_side_files = pausing
    with store.session() as s:
        revision = store.revision(s)
    upload = importer.PendingUpload(1, Path(os.environ["MSG"]).read_bytes(), "jw301.xml", revision)
    importer.commit_upload(store, upload, SimpleNamespace(id=1, username='tl'))
""")


def _counts(url: str) -> dict:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        tables = [t for t in sa.inspect(conn).get_table_names() if not t.startswith("alembic")]
        counts = {t: conn.execute(sa.text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}
    engine.dispose()
    return counts


def test_a_web_import_killed_mid_transaction_leaves_the_database_unchanged(tmp_path, monkeypatch):
    from web.db.engine import make_engine, upgrade
    from web.importer import PendingUpload, commit_upload
    from web.seed import seed_if_empty
    from web.store import Store

    monkeypatch.setenv("JHP_BSN_KEY", KEY)
    url = f"sqlite:///{tmp_path / 'web.sqlite'}"
    engine = make_engine(url)
    upgrade(engine)
    store = Store(engine)
    seed_if_empty(store, SAMPLE)
    with store.session() as s:
        revision = store.revision(s)
    engine.dispose()
    before = _counts(url)

    marker = tmp_path / "marker"
    proc = _run_until_marker(WEB_CHILD, marker, {"DATABASE_URL": url, "MARKER": str(marker), "MSG": str(MESSAGE),
                                                 "JHP_BSN_KEY": KEY, "JHP_KEY_DIR": str(tmp_path / "keys")})
    _kill(proc)

    assert _counts(url) == before, "een afgebroken import liet rijen achter"
    store = Store(make_engine(url))
    with store.session() as s:
        assert store.revision(s) == revision
    user = SimpleNamespace(id=1, username="tl")
    done = commit_upload(store, PendingUpload(1, MESSAGE.read_bytes(), "jw301.xml", revision), user)
    assert done.created + done.updated >= 1
    assert _counts(url) != before
    store.engine.dispose()
