"""Release parsing behind the version shims."""

from __future__ import annotations

from importlib.metadata import version

from litellm_gmi.litellm_seams import version as compat


def test_release_parsing() -> None:
    assert compat._release("1.81.1") == (1, 81, 1)
    assert compat._release("1.89.0rc2") == (1, 89, 0)
    assert compat._release("1.106") == (1, 106)


def test_stream_passthrough_follows_the_installed_litellm() -> None:
    assert compat.STREAM_PASSTHROUGH is (compat._release(version("litellm")) >= (1, 89, 0))


def test_litellm_version_read_without_metadata_matches_metadata() -> None:
    """``compat`` reads PRIVATE ``litellm._version.version``; it must name the installed distribution."""
    from litellm._version import version as litellm_private_version

    assert litellm_private_version == version("litellm")
    assert version("litellm") == compat.LITELLM_VERSION
