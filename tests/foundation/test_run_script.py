"""``make run`` stops on Ctrl-C: scripts/run.sh starts the worker and the web server with
scripts/lib/processes.sh, which stops them, by force after a grace period, whatever they do
with SIGINT and SIGTERM. Here a script built the same way starts a real django-q2 cluster
(on PostgreSQL) and a process that ignores both signals, then gets Ctrl-C's SIGINT."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
STUBBORN = (
    "import signal, time, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "signal.signal(signal.SIGTERM, signal.SIG_IGN); open(sys.argv[1], 'w').write('ok'); time.sleep(3600)"
)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie nobody has reaped yet is dead


def descendants(pid: int) -> set[int]:
    found, frontier = set(), [pid]
    while frontier:
        parent = frontier.pop()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                        found.add(int(entry.name))
                        frontier.append(int(entry.name))
                except (FileNotFoundError, ProcessLookupError, IndexError):
                    continue
    return found


def run_like_script(tmp_path: Path, commands: list[str]) -> Path:
    script = tmp_path / "run-like.sh"
    starts = "\n".join(f"start_group {command}" for command in commands)
    script.write_text(
        "#!/usr/bin/env bash\nset -euo pipefail\n"
        f"STOP_GRACE_SECONDS=3\nsource {ROOT / 'scripts/lib/processes.sh'}\n"
        f"trap stop_groups EXIT INT TERM\n{starts}\n"
        'echo "started" > "$READY"\nwait -n "${group_pids[@]}" || true\n'
    )
    script.chmod(0o755)
    return script


def wait_until(condition, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def as_from_a_terminal() -> None:
    # A shell started with SIGINT ignored (pytest run as a background job) cannot trap it:
    # start the script as a terminal would, with the default dispositions.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@pytest.fixture
def started():
    """The scripts a test starts; whatever is left of them when it ends is killed."""
    processes: list[subprocess.Popen] = []
    yield processes
    for process in processes:
        for pid in descendants(process.pid) | {process.pid}:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait(timeout=30)


def start(script: Path, tmp_path: Path, env: dict) -> subprocess.Popen:
    # A session of its own, as a terminal's foreground job: Ctrl-C's SIGINT goes to its group.
    return subprocess.Popen(
        [str(script)], cwd=ROOT, env={**os.environ, **env, "READY": str(tmp_path / "ready")},
        start_new_session=True, preexec_fn=as_from_a_terminal, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def test_ctrl_c_stops_processes_that_ignore_sigint_and_sigterm(tmp_path, started):
    marker = tmp_path / "stubborn"
    script = run_like_script(tmp_path, [f"{sys.executable} -c \"{STUBBORN}\" {marker}"] * 2)
    process = start(script, tmp_path, {})
    started.append(process)
    assert wait_until(lambda: marker.exists() and (tmp_path / "ready").exists())
    children = descendants(process.pid)
    assert children

    os.killpg(process.pid, signal.SIGINT)

    assert process.wait(timeout=60) is not None
    assert wait_until(lambda: not any(alive(pid) for pid in children), 30), [p for p in children if alive(p)]


@pytest.mark.django_db
def test_ctrl_c_stops_a_real_django_q2_cluster(tmp_path, started):
    if connection.vendor != "postgresql":
        pytest.skip("the cluster needs the test database from another process (PostgreSQL)")
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    script = run_like_script(tmp_path, [f"{sys.executable} manage.py qcluster"])
    process = start(script, tmp_path, {"DATABASE_URL": url, "Q_WORKERS": "2"})
    started.append(process)
    # The cluster is up when its workers (children of its children) are running.
    assert wait_until(lambda: len(descendants(process.pid)) >= 4), descendants(process.pid)
    children = descendants(process.pid)

    os.killpg(process.pid, signal.SIGINT)

    assert process.wait(timeout=60) is not None
    assert wait_until(lambda: not any(alive(pid) for pid in children), 30), [p for p in children if alive(p)]
