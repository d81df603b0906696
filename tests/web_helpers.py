"""Shared helpers of the tests that run servers: a real `assistant serve` in a subprocess, a real Chroma server
(`chroma run`), and a headless Chromium.

Not a conftest: only the web, browser, watch and Chroma server tests import it.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import chromadb
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ASSISTANT = Path(sys.executable).with_name("assistant")
READY_TIMEOUT_S = 120.0  # building the index loads the real model: slow on a busy 2-core machine
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMA = Path(sys.executable).with_name("chroma")


def free_port() -> int:
    """A loopback port nobody listens on right now (the kernel's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def read_document(path: Path) -> str:
    """A document exactly as the assistant reads it: UTF-8 with an optional BOM, line endings untouched."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return handle.read()


def assert_quotes_verbatim(answer: dict[str, Any], docs_dir: Path) -> None:
    """Every citation's quote is the text of its file between its offsets, and so is every passage."""
    for citation in answer["citations"]:
        text = read_document(docs_dir / citation["source"])
        assert citation["quote"].strip(), citation
        assert text[citation["start"] : citation["end"]] == citation["quote"], citation
    for passage in answer["passages"]:
        text = read_document(docs_dir / passage["source"])
        assert text[passage["start"] : passage["end"]] == passage["text"], passage


def cited_sources(answer: dict[str, Any]) -> set[str]:
    return {citation["source"] for citation in answer["citations"]}


# --- The embedding cache, computed once per session ---------------------------------------------------------------

_cache_lock = threading.Lock()
_cache_file: Path | None = None


def seed_embedding_cache(factory: pytest.TempPathFactory) -> Path:
    """An `embeddings.sqlite` holding the vectors of the seeds, made once by a real `assistant index` run.

    Servers start from an index folder holding only this cache: they still build a whole index (Chroma,
    chunk table, manifest) from nothing, but skip re-embedding ~350 texts, which saves ~30 s per server.
    """
    global _cache_file
    with _cache_lock:
        if _cache_file is None:
            root = factory.mktemp("seed-embeddings")
            docs_dir = Path(shutil.copytree(SEEDS, root / "docs"))
            command = [str(ASSISTANT), "--docs-dir", str(docs_dir), "--index-dir", str(root / "index"), "index"]
            result = subprocess.run(command, env=server_env(), capture_output=True, text=True, timeout=600, check=False)
            assert result.returncode == 0, f"`assistant index` failed:\n{result.stdout}\n{result.stderr}"
            _cache_file = root / "index" / "embeddings.sqlite"
            assert _cache_file.is_file(), f"no embedding cache in {root / 'index'}"
        return _cache_file


# --- The server ------------------------------------------------------------------------------------------------------


def server_env(**extra: str) -> dict[str, str]:
    """This environment without any ASSISTANT_* setting from the shell, plus the given ones."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ASSISTANT_")}
    env["GRADIO_ANALYTICS_ENABLED"] = "False"  # offline machine: no usage ping
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


@dataclass
class Server:
    url: str
    port: int
    docs_dir: Path
    index_dir: Path
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)


def start_server(
    root: Path,
    *serve_args: str,
    env: dict[str, str] | None = None,
    embedding_cache: Path | None = None,
    watch: bool | None = False,
    docs: Path = SEEDS,
) -> Server:
    """`assistant --docs-dir seeds --index-dir index serve --port <free>` in `root`, over a copy of the seeds (or of
    `docs`) and an empty index (as `make run` in a checkout), once it answers HTTP. It does not watch the folder
    unless asked to (`watch=None` leaves it to serve's default): a test that changes the documents re-syncs the
    index itself."""
    root.mkdir(parents=True, exist_ok=True)
    docs_dir = Path(shutil.copytree(docs, root / "seeds"))
    index_dir = root / "index"
    index_dir.mkdir()
    if embedding_cache is not None:
        shutil.copy2(embedding_cache, index_dir / "embeddings.sqlite")
    port = free_port()
    command = [str(ASSISTANT), "--docs-dir", "seeds", "--index-dir", "index", "serve", "--port", str(port)]
    log_path = root / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, *({True: ["--watch"], False: ["--no-watch"], None: []}[watch]), *serve_args],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env or server_env(),
            cwd=root,
        )
    server = Server(f"http://127.0.0.1:{port}/", port, docs_dir, index_dir, process, log_path)
    try:
        wait_until_serving(server)
    except BaseException:
        server.stop()
        raise
    return server


def wait_until_serving(server: Server, timeout: float = READY_TIMEOUT_S) -> None:
    """Poll the port until the page answers; fail at once with the log if the server died."""
    deadline = time.monotonic() + timeout
    while True:
        if not server.alive():
            pytest.fail(f"the server exited with code {server.process.returncode}:\n{server.log()[-4000:]}")
        try:
            with urllib.request.urlopen(server.url, timeout=5) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as err:  # e.g. 401 with a login: it is serving
            if err.code < 500:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"the server did not answer on {server.url} within {timeout:.0f}s:\n{server.log()[-4000:]}")
        time.sleep(0.5)


# --- A Chroma server -------------------------------------------------------------------------------------------------


class ChromaServer:
    """`chroma run` on a free port, with its data in a temporary folder."""

    def __init__(self, data: Path) -> None:
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        self._log = (data.parent / "chroma-server.log").open("w")
        self._process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(data), "--port", str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.client().heartbeat()
                return
            except Exception:
                if self._process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"chroma run did not start: see {self._log.name}") from None
                time.sleep(0.2)

    def client(self) -> Any:
        return chromadb.HttpClient(port=self.port, settings=chromadb.Settings(anonymized_telemetry=False))

    def collections(self) -> dict[str, int]:
        client = self.client()
        try:
            return {c.name: c.count() for c in client.list_collections()}
        finally:
            client.close()

    def stop(self) -> None:
        self._process.terminate()
        self._process.wait(timeout=30)
        self._log.close()


class TokenProxy:
    """An auth proxy in front of a Chroma server, as Chroma's docs set one up (the server has no auth of its own):
    a request without `Authorization: Bearer <token>` gets 401; any other is passed on. It counts what it saw."""

    def __init__(self, upstream_port: int, token: str) -> None:
        self.refused = self.passed = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def forward(self) -> None:
                if self.headers.get("Authorization") != f"Bearer {token}":
                    proxy.refused += 1
                    self.answer(401, [("Content-Type", "application/json")], b'{"error": "Unauthorized"}')
                    return
                proxy.passed += 1
                length = int(self.headers.get("Content-Length") or 0)
                upstream = http.client.HTTPConnection("localhost", upstream_port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                upstream.request(self.command, self.path, self.rfile.read(length) if length else None, headers)
                response = upstream.getresponse()
                passed_on = ("transfer-encoding", "content-length", "connection")
                kept = [(k, v) for k, v in response.getheaders() if k.lower() not in passed_on]
                self.answer(response.status, kept, response.read())
                upstream.close()

            def answer(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
                self.send_response(status)
                for key, value in headers:
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = forward

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("localhost", 0), Handler)
        self.url = f"http://localhost:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def non_loopback_addresses() -> list[str]:
    """The machine's IPv4 addresses other than 127.x, found without sending a packet."""
    found: set[str] = set()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.123", 9))  # UDP connect only picks a route; nothing is sent
            found.add(probe.getsockname()[0])
    except OSError:
        pass
    try:
        found.update(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    return sorted(ip for ip in found if not ip.startswith("127.") and ip != "0.0.0.0")


# --- The browser -----------------------------------------------------------------------------------------------------


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium with a fresh profile; skips the test when Chromium or its driver is missing."""
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        pytest.skip(f"needs {CHROMIUM} and {CHROMEDRIVER} (`make browser` installs Debian's chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="assistant-chromium-")
    options = webdriver.ChromeOptions()
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1400,1000",
    ):
        options.add_argument(argument)
    options.binary_location = str(CHROMIUM)
    try:
        driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            driver.set_page_load_timeout(60)
            yield driver
        finally:
            driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def open_index_panel(driver: Any) -> None:
    """Expand the "Index" accordion (closed when the page loads)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    label = "//button[contains(@class, 'label-wrap')][.//*[normalize-space(text())='Index']]"
    WebDriverWait(driver, 60).until(lambda d: d.find_element(By.XPATH, label)).click()
    WebDriverWait(driver, 60).until(lambda d: d.find_element(By.CSS_SELECTOR, "#index-status").is_displayed())


def index_status(driver: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(driver.find_element(By.CSS_SELECTOR, "#index-status").get_attribute("textContent") or "")


def documents_in_status(driver: Any) -> int | None:
    found = re.search(r"(\d+) documents", index_status(driver))
    return int(found.group(1)) if found else None


def wait_for_status(driver: Any, condition: Callable[[str], bool], what: str, timeout: float = 60) -> str:
    """Wait until the Index panel's text satisfies `condition`; fail showing what it says instead."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, timeout).until(lambda d: condition(index_status(d)))
    except TimeoutException:
        pytest.fail(f"the index status never showed {what} within {timeout:.0f}s; it says {index_status(driver)!r}")
    return index_status(driver)
