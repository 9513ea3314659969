"""A real IMAP server for the tests: Debian's dovecot (dovecot-imapd, installed by
scripts/bootstrap.sh), started once per test session on 127.0.0.1 with its own
configuration, users and maildirs in a temporary folder, and stopped at the end.

Port: ``CEE_TEST_IMAP_PORT`` when set (engineers sharing a machine each have theirs; IMAPS
listens on the next one), else free ones. IMAPS and STARTTLS use a self-signed certificate
for ``localhost`` made by ``openssl`` (a dependency of dovecot's package). The passwd-file lists ``USERS`` mailboxes written before the start (dovecot
does not reliably see lines appended within the same second); each test takes a fresh one.
"""
from __future__ import annotations

import getpass
import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from imap_tools import MailBoxUnencrypted

from tests.processes import stop_process

USERS = 200


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next(
        (path for path in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.path.exists(path)), None
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _users() -> tuple[str, str, str]:
    """(internal user, login user, mail user): dovecot refuses to run its login processes,
    and mail processes, as root; as root the package's own users serve, otherwise ourselves."""
    if os.geteuid() != 0:
        me = getpass.getuser()
        return me, me, me
    return "dovecot", "dovenull", "dovecot"


CONFIG = """\
base_dir = {dir}/run
state_dir = {dir}/state
instance_name = cee-test-imap-{port}
log_path = {dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{dir}/cert.pem
ssl_key = <{dir}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:{dir}/mail/%u
default_internal_user = {internal}
default_internal_group = {internal_group}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {dir}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={dir}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
"""


@dataclass
class ImapServer:
    host: str
    port: int
    imaps_port: int
    directory: Path
    process: subprocess.Popen
    users: list[tuple[str, str]] = field(default_factory=list)

    def add_user(self) -> tuple[str, str]:
        """A mailbox (login, password) no other test used: empty."""
        if not self.users:
            raise RuntimeError(f"all {USERS} test mailboxes are used: raise USERS")
        return self.users.pop()

    def connect(self, username: str, password: str, folder: str = "INBOX") -> MailBoxUnencrypted:
        return MailBoxUnencrypted(self.host, self.port, timeout=30).login(username, password, initial_folder=folder)

    @property
    def certificate(self) -> Path:
        """The self-signed certificate of the IMAPS listener (for ``localhost`` and 127.0.0.1)."""
        return self.directory / "cert.pem"

    def log(self) -> str:
        path = self.directory / "dovecot.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        stop_process(self.process)
        shutil.rmtree(self.directory, ignore_errors=True)


def _self_signed_certificate(directory: Path) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(directory / "key.pem"), "-out", str(directory / "cert.pem")],
        check=True, capture_output=True,
    )


def start_imap_server(port: int | None = None, timeout: float = 30.0) -> ImapServer:
    """IMAP on ``port`` (a free one by default) and IMAPS with a self-signed certificate on the next port."""
    binary = dovecot_binary()
    if binary is None:
        raise FileNotFoundError("dovecot (Debian package dovecot-imapd) is not installed")
    imaps_port = port + 1 if port else _free_port()
    port = port or _free_port()
    # Not under pytest's 0700 temporary folders: dovecot's unprivileged processes must reach it.
    directory = Path(tempfile.mkdtemp(prefix="cee-dovecot-", dir="/tmp" if os.path.isdir("/tmp") else None))
    directory.chmod(0o755)
    internal, login, mail_user = _users()
    mail_entry = pwd.getpwnam(mail_user)
    for sub in ("mail", "home"):
        (directory / sub).mkdir()
        os.chown(directory / sub, mail_entry.pw_uid, mail_entry.pw_gid)
    users = [(f"boite-{uuid.uuid4().hex[:10]}@cee.test", uuid.uuid4().hex) for _ in range(USERS)]
    (directory / "passwd").write_text("".join(f"{name}:{{PLAIN}}{password}\n" for name, password in users))
    (directory / "passwd").chmod(0o644)
    _self_signed_certificate(directory)
    config = directory / "dovecot.conf"
    config.write_text(CONFIG.format(
        dir=directory, port=port, imaps_port=imaps_port, internal=internal, internal_group=grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name,
        login=login, mail_uid=mail_entry.pw_uid, mail_gid=mail_entry.pw_gid,
    ))
    process = subprocess.Popen([binary, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    server = ImapServer("127.0.0.1", port, imaps_port, directory, process, users)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = server.log()
            server.stop()
            raise RuntimeError(f"dovecot exited ({process.returncode}): {log}")
        try:
            with socket.create_connection((server.host, port), timeout=1) as connection:
                if connection.recv(100).startswith(b"* OK"):
                    return server
        except OSError:
            pass
        time.sleep(0.2)
    log = server.log()
    server.stop()
    raise TimeoutError(f"dovecot did not answer on port {port}: {log}")
