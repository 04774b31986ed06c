"""The mail-worker's periodic jobs: each runs at once, then once per its own period; a failing one stops nothing."""

from vws_app.services.periodic_jobs import PeriodicJob, run_due


def test_each_job_runs_at_once_then_once_per_its_own_period():
    calls: list[str] = []
    minute = PeriodicJob("reminders", 60, lambda: calls.append("reminders"))
    hour = PeriodicJob("purge", 3600, lambda: calls.append("purge"))
    assert run_due([minute, hour], now=1000.0) == ["reminders", "purge"]
    assert run_due([minute, hour], now=1059.0) == []
    assert run_due([minute, hour], now=1060.0) == ["reminders"]
    assert run_due([minute, hour], now=4600.0) == ["reminders", "purge"]
    assert calls == ["reminders", "purge", "reminders", "reminders", "purge"]


def test_a_failing_job_is_logged_and_the_others_still_run(caplog):
    def broken() -> None:
        raise RuntimeError("database away")

    calls: list[str] = []
    jobs = [PeriodicJob("broken", 60, broken), PeriodicJob("reminders", 60, lambda: calls.append("ran"))]
    assert run_due(jobs, now=0.0) == ["broken", "reminders"]
    assert calls == ["ran"]
    assert "Periodic job broken failed" in caplog.text
    assert run_due(jobs, now=30.0) == []  # the broken job waits for its next period too
