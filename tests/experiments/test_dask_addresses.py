"""Bad Dask addresses end `trainer sweep`/`trainer compare` with exit 2 and one message, within --connect-timeout."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from trainer.errors import UserError
from trainer.experiments.executors import check_executor

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "configs" / "seed.yaml"
TRAINER_BIN = Path(sys.executable).parent / "trainer"
COMMANDS = {"sweep": ["sweep", str(SEED), "--grid", "optimizer.lr=0.01,0.02"],
            "compare": ["compare", str(SEED), "-O", "adam,sgd"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def http_server() -> Iterator[str]:
    """A real `python3 -m http.server` on 127.0.0.1: something that answers, but is no Dask scheduler."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "http.server did not start"
                time.sleep(0.05)
        yield f"tcp://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def trainer_cli(kind: str, address: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    proc = subprocess.run([str(TRAINER_BIN), *COMMANDS[kind], "--executor", "dask", "--address", address,
                           "--connect-timeout", "2", "--out", str(tmp_path / kind)],
                          capture_output=True, text=True, timeout=30)
    return proc, time.monotonic() - started


def assert_one_message(proc: subprocess.CompletedProcess, words: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "trainer has a bug" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("error: ") and proc.stderr.count("error:") == 1, proc.stderr
    assert words in proc.stderr, proc.stderr
    assert proc.stdout == "", proc.stdout  # the message comes before any progress output


@pytest.mark.parametrize("kind", ["sweep", "compare"])
def test_an_http_server_is_not_a_scheduler(kind: str, http_server: str, tmp_path: Path) -> None:
    proc, seconds = trainer_cli(kind, http_server, tmp_path)
    assert_one_message(proc, http_server)  # it answers too slowly or in another protocol
    assert "no Dask scheduler answered" in proc.stderr or "not a Dask scheduler" in proc.stderr
    assert seconds < 8


@pytest.mark.parametrize(("address", "words"), [
    ("closed", "cannot reach"),
    ("tcp://127.0.0.77:8786", "cannot reach"),  # loopback range, nothing listens
])
def test_nothing_listening_is_a_user_error_within_the_timeout(address: str, words: str, tmp_path: Path) -> None:
    if address == "closed":
        address = f"tcp://127.0.0.1:{free_port()}"
    proc, seconds = trainer_cli("sweep", address, tmp_path)
    assert_one_message(proc, words)
    assert seconds < 8


@pytest.mark.parametrize("kind", ["sweep", "compare"])
@pytest.mark.parametrize("scheme", ["tls", "ucx", "ws"])
def test_unsupported_schemes_are_refused_before_connecting(kind: str, scheme: str, tmp_path: Path) -> None:
    with pytest.raises(UserError, match=f"{scheme}:// protocol is not supported") as info:
        check_executor("dask", f"{scheme}://127.0.0.1:8786")
    assert "tcp://HOST:PORT" in str(info.value)
    if scheme == "tls" and kind == "sweep":
        proc, seconds = trainer_cli(kind, f"{scheme}://127.0.0.1:8786", tmp_path)
        assert_one_message(proc, "not supported")
        assert seconds < 8


@pytest.mark.parametrize("address", ["127.0.0.1", "tcp://127.0.0.1:0", "tcp://127.0.0.1:70000", "tcp://a b:1"])
def test_malformed_addresses(address: str) -> None:
    with pytest.raises(UserError, match="not a Dask scheduler address"):
        check_executor("dask", address)


def test_the_connect_timeout_must_be_positive() -> None:
    with pytest.raises(UserError, match="positive"):
        check_executor("dask", "tcp://127.0.0.1:8786", 0)
