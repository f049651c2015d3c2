"""Refreshing the catalog from GMI's live ``GET /v1/models`` into the user's overlay, now or at start-up.

:func:`refresh_models` asks GMI, writes the overlay (:mod:`litellm_gmi.catalog.overlay`) and re-registers the
catalog, so ``litellm.get_model_info`` answers with the live figures at once. It also reads GMI's public
price list (:mod:`litellm_gmi.catalog.price_list`, no key): its current prices, context tiers and list prices
are stored with the day they were read. If the price list cannot be read, the refresh goes on from
``/v1/models`` alone and says so (a warning, and :attr:`RefreshResult.price_list_error`). With
``LITELLM_GMI_REFRESH_ON_START=1`` and a GMI key in the environment, ``import litellm_gmi`` (which is
what the LiteLLM proxy does when it loads its config) starts one refresh in a daemon thread when the
overlay is missing or older than ``LITELLM_GMI_REFRESH_TTL`` seconds (default a day). That thread never
blocks the import and never raises: if GMI is unreachable it logs one warning and the shipped catalog
(plus any older overlay) stays in use.
"""

from __future__ import annotations

import datetime
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from litellm.exceptions import AuthenticationError

from litellm_gmi.catalog.model_refresh import LiveModel, parse_models
from litellm_gmi.catalog.overlay import overlay_path, refuse_package_path, write_overlay
from litellm_gmi.catalog.price_list import PriceListError, apply_prices, fetch_price_list, price_list_url
from litellm_gmi.common_utils import resolve_api_base, resolve_credentials
from litellm_gmi.constants import API_KEY_ENVS
from litellm_gmi.errors import extract_message

REFRESH_ON_START_ENV = "LITELLM_GMI_REFRESH_ON_START"
REFRESH_TTL_ENV = "LITELLM_GMI_REFRESH_TTL"
DEFAULT_TTL_SECONDS = 86_400.0
DEFAULT_TIMEOUT = 30.0

logger = logging.getLogger("litellm_gmi")


class RefreshError(Exception):
    """GMI's model list could not be read; ``code`` is the CLI exit status (1 network/GMI, 2 no key)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh wrote: the overlay file, the models GMI listed, and how many the price list priced.

    ``price_list_error`` says why the price list was not used (``None`` when it was).
    """

    path: Path
    models: tuple[LiveModel, ...]
    priced_from_list: int = 0
    price_list_error: str | None = None


def fetch_live_models(
    api_key: str | None = None,
    api_base: str | None = None,
    *,
    org_id: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[LiveModel]:
    """``GET <api base>/models``, parsed tolerantly; raises :class:`RefreshError` on any failure.

    The key is sent only in the ``Authorization`` header and never appears in an error message.
    """
    try:
        credentials = resolve_credentials(api_key, api_base, org_id)
    except AuthenticationError as exc:  # its text is long and LiteLLM-prefixed
        raise RefreshError(f"no GMI API key: set one of {', '.join(API_KEY_ENVS)}", 2) from exc
    url = f"{credentials.api_base}/models"
    try:
        response = httpx.get(url, headers=credentials.headers(content_type=None), timeout=timeout)
    except httpx.HTTPError as exc:
        raise RefreshError(f"GET {url} failed: {type(exc).__name__}: {exc}", 1) from exc
    if response.status_code >= 400:
        reason = extract_message(response.text) or response.reason_phrase
        raise RefreshError(f"GMI returned HTTP {response.status_code}: {_one_line(reason)}", 1)
    try:
        payload = response.json()
    except ValueError as exc:
        raise RefreshError(f"GET {url} did not return JSON", 1) from exc
    return parse_models(payload)


def refresh_models(
    api_key: str | None = None,
    api_base: str | None = None,
    path: str | Path | None = None,
    *,
    org_id: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> RefreshResult:
    """Read GMI's live model list and store it as the catalog overlay; returns where it went.

    ``path`` defaults to the overlay litellm_gmi loads (``$LITELLM_GMI_CATALOG`` or the user cache);
    when the overlay written is that one, the catalog is re-registered so lookups answer from it now.
    The shipped ``model_catalog.json`` is never written. Raises :class:`RefreshError` if GMI cannot be
    read, ``ValueError`` for a path inside the installed package.
    """
    from litellm_gmi.catalog import reload_catalog

    target = Path(path).expanduser() if path is not None else overlay_path()
    refuse_package_path(target)  # before the request: a bad path costs no call to GMI
    models = fetch_live_models(api_key, api_base, org_id=org_id, timeout=timeout)
    today = utc_today()
    base = resolve_api_base(api_base)
    try:
        prices = fetch_price_list(price_list_url(base), today=today, timeout=timeout)
    except PriceListError as exc:
        error: str | None = str(exc)
        logger.warning("litellm_gmi: GMI's price list not read, prices from /v1/models only: %s", exc)
        prices = {}
    else:
        error = None
        models = apply_prices(models, prices)
    written = write_overlay(models, fetched=today, api_base=base, path=target)
    if written.resolve() == overlay_path().resolve():
        reload_catalog()
    priced = sum(1 for model in models if model.prices is not None)
    return RefreshResult(path=written, models=tuple(models), priced_from_list=priced, price_list_error=error)


def start_refresh_on_start() -> threading.Thread | None:
    """The opt-in start-up refresh: a started daemon thread, or ``None`` when there is nothing to do.

    Nothing happens unless ``LITELLM_GMI_REFRESH_ON_START`` is ``1``/``true``/``yes``, a GMI key is set,
    and the overlay is missing or older than ``LITELLM_GMI_REFRESH_TTL`` seconds.
    """
    if os.environ.get(REFRESH_ON_START_ENV, "").strip().lower() not in ("1", "true", "yes", "on"):
        return None
    if not any(os.environ.get(name) for name in API_KEY_ENVS):
        logger.info("litellm_gmi: %s is set but no GMI key is; not refreshing", REFRESH_ON_START_ENV)
        return None
    if _overlay_age() < _ttl():
        return None
    thread = threading.Thread(target=_refresh_quietly, name="litellm_gmi-catalog-refresh", daemon=True)
    thread.start()
    return thread


def _refresh_quietly() -> None:
    try:
        result = refresh_models()
    except Exception as exc:  # a background refresh must never take the process down
        logger.warning("litellm_gmi: start-up catalog refresh failed, keeping the current catalog: %s", exc)
    else:
        logger.info("litellm_gmi: refreshed %d models from GMI into %s", len(result.models), result.path)


def _overlay_age() -> float:
    try:
        return time.time() - overlay_path().stat().st_mtime
    except OSError:
        return float("inf")


def _ttl() -> float:
    raw = os.environ.get(REFRESH_TTL_ENV, "")
    try:
        return max(float(raw), 0.0) if raw.strip() else DEFAULT_TTL_SECONDS
    except ValueError:
        logger.warning("litellm_gmi: %s=%r is not a number of seconds; using %d", REFRESH_TTL_ENV, raw, 86400)
        return DEFAULT_TTL_SECONDS


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def utc_today() -> str:
    """Today in UTC, as the overlay records it."""
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()
