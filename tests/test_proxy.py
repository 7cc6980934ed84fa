"""The documented production setup, for real: the README's nginx block in front of the real server.

nginx runs as the current user from a config in a temp folder (TLS swapped for a local port);
the bot runs with the README's settings. Clients connect from different loopback addresses
(127.0.0.2, 127.0.0.3, ...), which is how nginx and the bot tell them apart.
"""

from __future__ import annotations

import os
import re
import resource
import selectors
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from helpers import ROOT, LiveServer, free_port, start_server, stop_server

NGINX = Path("/usr/sbin/nginx")
if not NGINX.exists():
    pytest.skip(
        "proxy tests need Debian's nginx at /usr/sbin/nginx (apt-get install nginx-light)", allow_module_level=True
    )

LIMIT = 5
# The README's command line, with a small limit so the test stays short.
SETTINGS = {"BOT_TRUSTED_PROXIES": "127.0.0.1", "BOT_RATE_LIMIT": str(LIMIT), "BOT_METRICS": "1"}
ASK = {"question": "what is an itin"}


def readme_server_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Running in production") :]
    return re.search(r"```nginx\n(.*?)```", section, re.S).group(1)


def nginx_config(tmp: Path, port: int, bot_port: int) -> str:
    block = readme_server_block()
    block, listens = re.subn(r"listen 443 ssl;", f"listen 127.0.0.1:{port} backlog=4096;", block)
    block, upstreams = re.subn(r"http://127\.0\.0\.1:8000", f"http://127.0.0.1:{bot_port}", block)
    assert listens == 1 and upstreams >= 1, "the README's nginx block changed shape; update this test"
    block = "\n".join(line for line in block.splitlines() if not line.strip().startswith("ssl_"))
    temp = " ".join(f"{kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""
daemon off;
worker_processes 1;
{"user root root;" if os.geteuid() == 0 else ""}
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
worker_rlimit_nofile 4096;
events {{ worker_connections 2048; }}
http {{
    {temp}
    access_log {tmp}/access.log;
    {block}
}}
"""


@dataclass
class Proxied:
    url: str
    bot: LiveServer
    tmp: Path


def client_from(address: str, url: str) -> httpx.Client:
    return httpx.Client(base_url=url, timeout=10, transport=httpx.HTTPTransport(local_address=address))


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    tmp = tmp_path_factory.mktemp("nginx")
    bot = start_server(tmp, SETTINGS)
    conf = tmp / "nginx.conf"
    bot_port = int(bot.url.rsplit(":", 1)[1])
    nginx: subprocess.Popen[bytes] | None = None
    try:
        # nginx cannot report a port it picked, so it gets a free one and, if another process took that
        # port in the meantime, another.
        for _attempt in range(5):
            port = free_port()
            (tmp / "error.log").write_text("")
            conf.write_text(nginx_config(tmp, port, bot_port))
            nginx = subprocess.Popen(
                [str(NGINX), "-p", str(tmp), "-c", str(conf), "-e", str(tmp / "error.log")],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while nginx.poll() is None:
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, "nginx did not answer in 60 s"
                time.sleep(0.05)  # polling interval while nginx starts
            if nginx.poll() is None:
                break
            error = (tmp / "error.log").read_text()
            assert "Address already in use" in error, error
        else:
            raise AssertionError("no free port for nginx after 5 tries")
        yield Proxied(url, bot, tmp)
    finally:
        if nginx is not None and nginx.poll() is None:
            nginx.terminate()
            nginx.wait(timeout=10)
        stop_server(bot)


def forged(i: int) -> dict[str, str]:
    return {"x-forwarded-for": f"203.0.113.{i}", "x-real-ip": f"198.51.100.{i}", "forwarded": f"for=192.0.2.{i}"}


def test_clients_keep_separate_limits_and_forged_headers_change_nothing(proxied: Proxied) -> None:
    # H-1: behind the README's nginx, every visitor was 127.0.0.1 (one bucket for all), and a
    # forged X-Forwarded-For gave each request a fresh bucket.
    with (
        client_from("127.0.0.2", proxied.url) as a,
        client_from("127.0.0.3", proxied.url) as b,
        client_from("127.0.0.4", proxied.url) as c,
    ):
        codes = [a.post("/api/ask", json=ASK, headers=forged(i)).status_code for i in range(LIMIT + 2)]
        assert codes == [200] * LIMIT + [429] * 2, "forged headers gave client A more than its limit"
        limited = a.post("/api/ask", json=ASK)
        assert limited.status_code == 429 and "max-age" in limited.headers["strict-transport-security"]
        # B tries to spend C's questions by claiming C's address: it only spends its own.
        spoof = {"x-forwarded-for": "127.0.0.4", "x-real-ip": "127.0.0.4", "forwarded": "for=127.0.0.4"}
        codes = [b.post("/api/ask", json=ASK, headers=spoof).status_code for _ in range(LIMIT + 1)]
        assert codes == [200] * LIMIT + [429]
        # Neither A nor B locked C out.
        answer = c.post("/api/ask", json=ASK)
        assert answer.status_code == 200 and answer.json()["answered"]
    logs = proxied.bot.logs()
    for address in ("127.0.0.2", "127.0.0.3", "127.0.0.4", "203.0.113"):
        assert address not in logs
    access_log = proxied.tmp / "access.log"
    assert not access_log.exists() or access_log.stat().st_size == 0, "nginx logged addresses"


def test_metrics_are_for_the_machine_itself_only(proxied: Proxied) -> None:
    with client_from("127.0.0.2", proxied.url) as outsider, client_from("127.0.0.1", proxied.url) as local:
        assert outsider.get("/metrics").status_code == 403
        assert local.get("/metrics").status_code == 200


IDLE = 1100


def test_a_question_is_answered_while_1100_idle_connections_are_held(proxied: Proxied) -> None:
    # M-5: 1,100 idle sockets straight at uvicorn (1,024 file descriptors) stopped every request.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < IDLE + 200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    port = int(proxied.url.rsplit(":", 1)[1])
    held: list[socket.socket] = []
    try:
        for i in range(IDLE):
            s = socket.socket()
            held.append(s)
            s.bind((f"127.0.{1 + i // 240}.{10 + i % 240}", 0))
            s.connect(("127.0.0.1", port))
            if i % 2:  # half send the start of a request and never finish it (slowloris)
                s.sendall(b"POST /api/ask HTTP/1.1\r\nHost: bot\r\nContent-Length: 20\r\n")
        with client_from("127.0.0.5", proxied.url) as person:
            started = time.monotonic()
            reply = person.post("/api/ask", json={"question": "can ICE get my address from the IRS?"})
            took = time.monotonic() - started
        assert reply.status_code == 200 and reply.json()["answered"], reply.text
        print(f"answered in {took:.2f} s with {IDLE} idle connections held")
        # nginx closes them: the slow headers and the silent ones (client_header_timeout).
        open_ = set(held)
        selector = selectors.DefaultSelector()
        for s in held:
            s.setblocking(False)
            selector.register(s, selectors.EVENT_READ)
        deadline = time.monotonic() + 25
        while open_ and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=1):
                try:
                    data = key.fileobj.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    selector.unregister(key.fileobj)
                    open_.discard(key.fileobj)
        selector.close()
        assert not open_, f"{len(open_)} of {IDLE} idle connections still open after 25 s"
    finally:
        for s in held:
            s.close()
