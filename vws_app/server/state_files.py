"""Expires tabs' state files without listing the whole directory at once, so a flood of tabs cannot balloon the sweep.

Reflex's disk state manager keeps each tab's state files (about 21 a tab) for an hour and,
after every write-queue pass, sweeps `.states/` for expired ones with
`list(Path(directory).iterdir())` (`reflex/istate/manager/disk.py`, `_purge_expired_states`):
one `Path` per file held at once. Files left by every tab of the last hour make that list grow
with the flood (27,000 paths seen in one sweep after two waves of 500 tabs; a client opening
tabs for an hour would leave millions). `purge_expired` walks the directory with `os.scandir`,
one entry at a time, and removes the same files: `.pkl` files older than the expiration.
"""

import os
import time
from pathlib import Path

from reflex.istate.manager.disk import StateManagerDisk

REFLEX_SWEEP = StateManagerDisk._purge_expired_states  # Reflex's own sweep, before `install_streamed_expiry`


def purge_expired(directory: Path, expiration_s: float, now: float | None = None) -> int:
    """Remove `.pkl` files in `directory` last written more than `expiration_s` ago; how many were removed.

    A file that goes away meanwhile (its tab's state rewritten, another sweep) is skipped.
    """
    now = time.time() if now is None else now
    removed = 0
    try:
        entries = os.scandir(directory)
    except FileNotFoundError:
        return 0
    with entries:
        for entry in entries:
            if not entry.name.endswith(".pkl"):
                continue
            try:
                if now - entry.stat(follow_symlinks=False).st_mtime > expiration_s:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:
                continue
    return removed


def _purge_expired_states(manager: StateManagerDisk) -> None:
    purge_expired(manager.states_directory, manager.token_expiration)


def install_streamed_expiry() -> None:
    """Make every disk state manager sweep with `purge_expired` (Reflex 0.10.1's method has no other caller)."""
    StateManagerDisk._purge_expired_states = _purge_expired_states
