"""The node tool shipped for `--from-prisma` (prisma_reader/): installed with `npm ci` into
csvimport's cache once, keyed by its lockfile, atomically; reused after that."""

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from csvimport_scaffold.errors import UsageError
from csvimport_scaffold.node_tools import cache_dir, ensure_installed, install_dir
from csvimport_scaffold.prisma_ast import READER


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"CSVIMPORT_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/x"}, "/c"),
        ({"CSVIMPORT_CACHE_DIR": "", "XDG_CACHE_HOME": "/x"}, "/x/csvimport"),
        ({}, "/home/ada/.cache/csvimport"),
    ],
    ids=["CSVIMPORT_CACHE_DIR", "XDG_CACHE_HOME", "home"],
)
def test_the_cache_is_csvimports_own_else_the_users(env, expected):
    assert cache_dir(env, Path("/home/ada")) == Path(expected)


def test_the_install_is_keyed_by_the_lockfile(tmp_path: Path):
    copy = tmp_path / READER.name
    shutil.copytree(READER, copy)
    before = install_dir(tmp_path / "cache", copy)
    lock = copy / "package-lock.json"
    lock.write_text(lock.read_text().replace('"version": "1.0.0"', '"version": "1.0.1"', 1))
    assert install_dir(tmp_path / "cache", copy) != before


def test_an_install_is_reused_without_npm(csvimport_cache: Path, tmp_path: Path, monkeypatch):
    installed = ensure_installed(READER, csvimport_cache, "--from-prisma")
    assert (installed / "node_modules" / "@mrleebo" / "prisma-ast" / "package.json").is_file()
    (tmp_path / "node").symlink_to(shutil.which("node"))
    monkeypatch.setenv("PATH", str(tmp_path))  # node, no npm: a second run must not need npm
    assert ensure_installed(READER, csvimport_cache, "--from-prisma") == installed


def test_concurrent_first_runs_end_with_one_install(tmp_path: Path):
    cache = tmp_path / "cache"
    with ThreadPoolExecutor(2) as pool:
        folders = list(pool.map(lambda _: ensure_installed(READER, cache, "x"), range(2)))
    assert folders[0] == folders[1]
    # the losing run's staging folder is gone: only the finished install is left
    assert os.listdir(cache / "node-tools") == [folders[0].name]


def test_a_failed_install_says_why_in_one_line_and_leaves_nothing(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("npm_config_registry", "http://127.0.0.1:9/")  # nothing listens there
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "empty-npm-cache"))
    monkeypatch.setenv("npm_config_fetch_retries", "0")
    cache = tmp_path / "cache"
    with pytest.raises(UsageError) as failure:
        ensure_installed(READER, cache, "--from-prisma")
    message = str(failure.value)
    assert message.startswith("--from-prisma: installing its reader with `npm ci` failed: ")
    assert "ECONNREFUSED" in message and "\n" not in message
    assert os.listdir(cache / "node-tools") == []


def test_a_cache_that_cannot_be_written_says_which_setting_to_change(tmp_path: Path):
    taken = tmp_path / "a-file"
    taken.write_text("not a folder")
    with pytest.raises(UsageError, match=r"cannot write csvimport's cache .*CSVIMPORT_CACHE_DIR"):
        ensure_installed(READER, taken, "--from-prisma")
