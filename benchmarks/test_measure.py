"""The measuring helpers: app and baseline take turns; the yardsticks read this machine."""

import pytest

from benchmarks.measure import interleaved_timings, machine_speed, timed_result


def test_the_app_and_its_baseline_take_turns_after_their_warm_up():
    calls = []
    app_ms, base_ms = interleaved_timings(
        lambda: calls.append("app"), lambda: calls.append("raw"), repeat=3, warmup=1
    )
    assert calls == ["app", "raw"] * 4
    assert len(app_ms) == len(base_ms) == 3 and all(ms >= 0 for ms in app_ms + base_ms)


def test_a_result_with_a_baseline_is_timed_in_turns():
    calls = []
    result = timed_result(
        "x", lambda: calls.append("app"), baseline=lambda: calls.append("raw"), repeat=4
    )
    assert calls[:10] == ["app", "raw"] * 5  # one warm-up each, then 4 turns (then traced)
    assert result.runs == 4 and result.baseline is not None


@pytest.mark.django_db
def test_the_yardsticks_are_measured():
    speed = machine_speed()
    assert speed["python_ms"] > 0 and speed["select1_us"] > 0
