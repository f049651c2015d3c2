"""tests/kinds.py sorts tests into unit and integration (``-m "not integration"``, docs/testing.md)."""

from __future__ import annotations

from pathlib import Path

from kinds import is_integration

HERE = Path(__file__).resolve().parent


def test_a_test_that_starts_an_interpreter_through_a_helper_is_integration() -> None:
    # test_auto_register's _python() runs `sys.executable -c ...`; the test only calls the helper.
    assert is_integration(HERE / "test_auto_register.py", "test_auto_register_off_installs_nothing")


def test_an_in_process_test_of_the_same_module_is_unit() -> None:
    assert not is_integration(HERE / "test_auto_register.py", "test_a_loaded_target_fires_at_once")


def test_proxy_modules_and_soak_tests_are_integration() -> None:
    assert is_integration(
        HERE / "integration" / "test_proxy_faults.py", "test_a_garbage_upstream_body_is_a_5xx_not_a_400"
    )
    assert is_integration(
        HERE / "test_faults.py", "test_500_concurrent_calls_without_errors_or_leaked_connections"
    )
    assert not is_integration(HERE / "test_faults.py", "test_timeout_is_a_litellm_timeout")
