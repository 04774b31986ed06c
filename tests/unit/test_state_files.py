"""Tabs' state files expire as Reflex's sweep expires them, without the sweep holding the whole directory in memory."""

import os
import time
import tracemalloc

from reflex.istate.manager.disk import StateManagerDisk

from vws_app.server.state_files import REFLEX_SWEEP, install_streamed_expiry, purge_expired

HOUR = 3600


def write(directory, name: str, age_s: float, now: float) -> None:
    path = directory / name
    path.write_bytes(b"state")
    os.utime(path, (now - age_s, now - age_s))


def test_only_state_files_past_the_expiration_are_removed(tmp_path):
    now = time.time()
    write(tmp_path, "old.pkl", HOUR + 60, now)
    write(tmp_path, "fresh.pkl", 60, now)
    write(tmp_path, "old-but-not-a-state.txt", HOUR + 60, now)
    assert purge_expired(tmp_path, HOUR, now) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == ["fresh.pkl", "old-but-not-a-state.txt"]


def test_a_missing_directory_is_nothing_to_purge(tmp_path):
    assert purge_expired(tmp_path / "absent", HOUR) == 0


def peak_bytes(sweep) -> int:
    """The most memory Python held at once while `sweep()` ran."""
    tracemalloc.start()
    try:
        sweep()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_every_disk_state_manager_sweeps_a_flood_of_files_without_holding_them_all(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the disk manager keeps `.states/` here
    monkeypatch.setattr(StateManagerDisk, "_purge_expired_states", StateManagerDisk._purge_expired_states)
    reflex_sweep = REFLEX_SWEEP  # the original even when another test imported the app (which installs ours)
    install_streamed_expiry()
    manager = StateManagerDisk()
    directory, now = manager.states_directory, time.time()
    for number in range(5000):
        write(directory, f"{number:05}.pkl", 60, now)  # a flood of tabs' files, none expired yet
    write(directory, "expired.pkl", manager.token_expiration + 60, now)
    streamed = peak_bytes(manager._purge_expired_states)
    assert not (directory / "expired.pkl").exists() and len(list(directory.iterdir())) == 5000
    assert streamed < 64 * 1024 < peak_bytes(lambda: reflex_sweep(manager))  # Reflex's own lists them all at once


def test_the_app_installs_it():
    import vws_app.vws_app  # noqa: F401

    assert StateManagerDisk._purge_expired_states.__module__ == "vws_app.server.state_files"
