"""`trainer --help` comes from the text typer printed last time, for the same CLI, width and environment only."""

import sys

import pytest

from trainer.cli import app as entry
from trainer.cli import help_cache


def _help(monkeypatch, capsys, *argv: str) -> str:
    monkeypatch.setattr(sys, "argv", ["trainer", *argv])
    with pytest.raises(SystemExit) as exc:
        entry.main()
    assert exc.value.code == 0
    return capsys.readouterr().out


@pytest.fixture
def cache_file(tmp_path, monkeypatch):
    monkeypatch.setattr(help_cache, "cache_path", lambda key: tmp_path / "help.txt")
    monkeypatch.delenv("TRAINER_HELP_CACHE", raising=False)
    return tmp_path / "help.txt"


def test_the_cached_help_is_typers_help_byte_for_byte(cache_file, monkeypatch, capsys):
    monkeypatch.setenv("TRAINER_HELP_CACHE", "0")
    rendered = _help(monkeypatch, capsys, "--help")
    monkeypatch.delenv("TRAINER_HELP_CACHE")
    first = _help(monkeypatch, capsys, "--help")
    assert first == rendered and cache_file.exists()

    def no_typer(app):
        raise AssertionError("help was rendered again instead of read from the cache")

    monkeypatch.setattr(entry, "render_and_cache", no_typer)
    assert _help(monkeypatch, capsys, "--help") == rendered
    assert _help(monkeypatch, capsys, "-h") == rendered
    assert rendered.startswith("Usage: ") and "  run " in rendered


def test_another_width_or_environment_is_another_key(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    narrow = help_cache.cache_key()
    monkeypatch.setenv("COLUMNS", "120")
    wide = help_cache.cache_key()
    monkeypatch.setenv("NO_COLOR", "1")
    no_color = help_cache.cache_key()
    monkeypatch.setattr(sys, "argv", ["/elsewhere/trainer"])
    assert len({narrow, wide, no_color, help_cache.cache_key()}) == 4


def test_a_file_written_for_another_key_is_a_miss(cache_file, monkeypatch):
    cache_file.write_text("another key\nUsage: something else\n", encoding="utf-8")
    assert help_cache.cached_help() is None
    cache_file.write_text(f"{help_cache.cache_key()}\nUsage: trainer\n", encoding="utf-8")
    assert help_cache.cached_help() == "Usage: trainer\n"


def test_an_unwritable_cache_still_prints_help(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setattr(help_cache, "cache_path", lambda key: blocker / "__pycache__" / "help.txt")
    monkeypatch.delenv("TRAINER_HELP_CACHE", raising=False)
    out = _help(monkeypatch, capsys, "--help")
    assert out.startswith("Usage: ")
    assert list(tmp_path.iterdir()) == [blocker]
