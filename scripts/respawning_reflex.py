"""The `reflex` command with Granian told to replace a worker that dies, so one crash never stops the server.

Reflex 0.10.1 starts Granian in production (`reflex/utils/exec.py`, `run_granian_backend_prod`)
with `respawn_failed_workers` left at Granian's default, False: when one worker died (`kill -9`,
out of memory) Granian shut every other worker down and exited, and the only way back was a
full restart with a rebuild. Reflex passes no Granian option through the environment except
`GRANIAN_WORKERS` and `GRANIAN_LOG_LEVEL`, but it looks up `granian.server.Server` when it starts
the backend. This runs Reflex's own command line in this process after putting a subclass there
that asks Granian to respawn failed workers. The new worker is forked from this process, which
already holds the compiled app, so nothing is compiled or built again.

Granian still gives up when a respawned worker dies again within 5.5 s (a crash loop): the
server then exits and whatever runs `scripts/serve.py` (systemd, Docker's restart policy)
starts it again.

Usage: `python scripts/respawning_reflex.py run --env prod …` (any `reflex` arguments).
"""

import sys

import granian.server
from reflex.reflex import cli
from reflex_base.utils import log


class RespawningServer(granian.server.Server):
    """Granian's server with `respawn_failed_workers` on unless the caller sets it."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("respawn_failed_workers", True)
        super().__init__(*args, **kwargs)


def main() -> None:
    """Run `reflex` with the arguments given to this script, its Granian respawning failed workers."""
    if log.is_json_mode() and not log.is_output_supervised():
        # Reflex would run `python -m reflex` again below its JSON log supervisor, without the
        # subclass; run this script there instead.
        raise SystemExit(log.supervise_output([sys.executable, __file__, *sys.argv[1:]]))
    granian.server.Server = RespawningServer
    cli(prog_name="reflex")


if __name__ == "__main__":
    main()
