"""Request-queue routes (``/api/v1/ie/requestqueue/apikey/...``) of the emulator, plus fake storage.

Answers follow GMI's video API reference and the clients named in :mod:`gmi_emulator.queue.media_table`:
errors are ``{"error": "<string>"}``, unknown or wrong-case model ids are 404, an empty payload is 400,
uploads are a grant then a signed PUT whose content type must be the literal ``<category>/<ext>``. Which model
behaves how is listed in :mod:`gmi_emulator.queue.media_table`.

Auth is the chat routes' :func:`check_auth`. Faults armed with ``GMIEmulator.inject`` (or the
``X-GMI-Emulator-Fault`` header) apply to the API routes too, matched on the job's model.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from gmi_emulator.auth import check_auth
from gmi_emulator.fault_effects import abort, bad_header, early_answer, fault_for
from gmi_emulator.faults import Fault
from gmi_emulator.limits import QUEUE_PATH, TERMINAL_STATUSES, UPLOAD_FILE_TYPES
from gmi_emulator.queue.artifacts import MEDIA
from gmi_emulator.queue.jobs import STORAGE_PATH, Job, QueueStore
from gmi_emulator.queue.media_table import MEDIA_MODELS, payload_problem
from gmi_emulator.request_body import read_json
from gmi_emulator.state import EmulatorState


def add_queue_routes(app: web.Application, state: EmulatorState) -> None:
    """Mount the queue API and the storage host it hands out URLs for."""
    routes = _QueueRoutes(state, state.queue)
    app.router.add_get(QUEUE_PATH + "/models", routes.models)
    app.router.add_get(QUEUE_PATH + "/models/{model}", routes.model_detail)
    app.router.add_post(QUEUE_PATH + "/requests", routes.submit)
    app.router.add_get(QUEUE_PATH + "/requests", routes.list_requests)
    app.router.add_get(QUEUE_PATH + "/requests/{request_id}", routes.status)
    app.router.add_delete(QUEUE_PATH + "/requests/{request_id}", routes.cancel)
    app.router.add_post(QUEUE_PATH + "/upload-url", routes.upload_grant)
    app.router.add_put(STORAGE_PATH + "/uploads/{token}", routes.upload_put)
    app.router.add_get(STORAGE_PATH + "/public/{name}", routes.public_file)
    app.router.add_get(STORAGE_PATH + "/artifacts/{request_id}/{name}", routes.artifact)


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> web.Response:
    """The queue's error shape: ``{"error": "<string>"}`` (genblaze-gmicloud's ``unwrap_error_body``)."""
    return web.json_response({"error": message}, status=status, headers=headers)


def _origin(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


class _QueueRoutes:
    """Handlers sharing one state and store."""

    def __init__(self, state: EmulatorState, store: QueueStore) -> None:
        self.state = state
        self.store = store

    # ------------------------------------------------------------------------------------- guards ---
    async def _guard(
        self, request: web.Request, model: str | None
    ) -> tuple[web.StreamResponse | None, Fault | None]:
        """Auth, then faults (an early answer, or a fault to apply to the real answer)."""
        failure = check_auth(request.headers)
        if failure is not None:
            return _error(failure.status, failure.message), None
        try:
            fault = fault_for(request, self.state, model)
        except ValueError as exc:
            return _error(400, bad_header(exc)), None
        if fault is None:
            return None, None
        early = await early_answer(fault, _error)
        if early is not None:
            return early, None
        if fault.kind in ("drop_stream", "stream_error"):  # no stream here: the connection just drops
            abort(request)
            return web.Response(), None
        return None, fault

    @staticmethod
    def _answer(body: Any, fault: Fault | None, status: int = 200) -> web.Response:
        text = json.dumps(body)
        if fault is not None and fault.kind == "malformed":
            text = text[: len(text) // 2]
        return web.Response(text=text, status=status, content_type="application/json")

    # ------------------------------------------------------------------------------------- models ---
    async def models(self, request: web.Request) -> web.StreamResponse:
        early, fault = await self._guard(request, None)
        # {"model_ids": [...]} per the video API reference; python-sdk's older session path parsed
        # {"models": [...]} ([C]). This is the documented API-key path, so model_ids.
        return early or self._answer({"model_ids": sorted(MEDIA_MODELS)}, fault)

    async def model_detail(self, request: web.Request) -> web.StreamResponse:
        model = request.match_info["model"]
        early, fault = await self._guard(request, model)
        if early is not None:
            return early
        spec = MEDIA_MODELS.get(model)
        if spec is None:
            return _error(404, f"model {model} not found")
        required = spec.required or ("prompt",)
        detail = {  # the fields the video API reference shows; price_info per python-sdk's model
            "model": model,
            "org_id": "gmi",
            "brief_description": f"Emulated {spec.mode} model",
            "detailed_description": f"# {model}\n\nSubmit {', '.join(required)} in the payload.",
            "modalities": {"input": ["text"], "output": [spec.mode]},
            "parameters": [
                {"name": key, "display_name": key, "type": "string", "required": key in spec.required}
                for key in required
            ],
            "price_info": None
            if spec.price is None
            else {"price": spec.price[0], "pricing_type": spec.price[1], "unit": "1e-6 USD"},
        }
        return self._answer(detail, fault)

    # ----------------------------------------------------------------------------------- requests ---
    async def submit(self, request: web.Request) -> web.StreamResponse:
        body = await read_json(request)
        model = body.get("model") if isinstance(body, Mapping) else None
        early, fault = await self._guard(request, model if isinstance(model, str) else None)
        if early is not None:
            return early
        if not isinstance(body, Mapping) or not isinstance(model, str) or not model:
            return _error(400, 'body must be {"model": <model id>, "payload": {...}}')
        spec = MEDIA_MODELS.get(model)
        if spec is None:
            return _error(404, f"model {model} not found")
        payload = body.get("payload")
        problem = payload_problem(spec, payload if isinstance(payload, Mapping) else {})
        if problem is not None:
            return _error(400, problem)
        if spec.behaviour == "gated":
            return _error(404, f"you do not have access to model {model}")
        assert isinstance(payload, Mapping)
        job = self.store.add(spec, dict(payload), self.state.clock.now())
        return self._answer(self._record(request, job), fault)

    async def _guarded_job(self, request: web.Request) -> web.StreamResponse | tuple[Job, Fault | None]:
        """The job named in the path and its fault, after auth; or the early answer (including a 404)."""
        job = self.store.get(request.match_info["request_id"])
        early, fault = await self._guard(request, job.model if job else None)
        if early is not None:
            return early
        if job is None:
            return _error(404, f"request {request.match_info['request_id']} not found")
        return job, fault

    async def status(self, request: web.Request) -> web.StreamResponse:
        found = await self._guarded_job(request)
        if isinstance(found, web.StreamResponse):
            return found
        job, fault = found
        return self._answer(self._record(request, job), fault)

    async def list_requests(self, request: web.Request) -> web.StreamResponse:
        model = request.query.get("model_id") or request.query.get("model")
        early, fault = await self._guard(request, model)
        if early is not None:
            return early
        records = [self._record(request, job) for job in self.store.all(model)]
        return self._answer({"requests": records, "total": len(records)}, fault)

    async def cancel(self, request: web.Request) -> web.StreamResponse:
        found = await self._guarded_job(request)
        if isinstance(found, web.StreamResponse):
            return found
        job, fault = found
        now = self.state.clock.now()
        status, _ = job.status(now, self.store.step)
        if status in TERMINAL_STATUSES:
            return _error(400, f"request {job.request_id} already {status}")
        job.cancelled_at = now
        return self._answer(self._record(request, job), fault)

    def _record(self, request: web.Request, job: Job) -> dict[str, Any]:
        return job.record(self.state.clock.now(), self.store.step, _origin(request))

    # ------------------------------------------------------------------------------------ storage ---
    async def upload_grant(self, request: web.Request) -> web.StreamResponse:
        early, fault = await self._guard(request, None)
        if early is not None:
            return early
        body = await read_json(request)
        file_type = body.get("file_type") if isinstance(body, Mapping) else None
        if file_type not in UPLOAD_FILE_TYPES:
            allowed = ", ".join(UPLOAD_FILE_TYPES)
            return _error(400, f"invalid file_type {file_type!r}: allowed values are {allowed}")
        token = self.store.grant(str(file_type))
        origin = _origin(request)
        grant = {
            "upload_url": f"{origin}{STORAGE_PATH}/uploads/{token}?X-Goog-Signature=emulated",
            "public_url": f"{origin}{STORAGE_PATH}/public/{token}.{file_type}",
        }
        return self._answer(grant, fault)

    async def upload_put(self, request: web.Request) -> web.StreamResponse:
        """The signed URL is the credential; a content type other than the signed one fails like GCS."""
        token = request.match_info["token"]
        with self.store.lock:
            file_type = self.store.grants.get(token)
        if file_type is None:
            return web.Response(status=403, text="<Error><Code>AccessDenied</Code></Error>")
        signed = f"{UPLOAD_FILE_TYPES[file_type]}/{file_type}"
        if request.content_type != signed:
            return web.Response(status=403, text="<Error><Code>SignatureDoesNotMatch</Code></Error>")
        data = await request.read()
        with self.store.lock:
            self.store.files[token] = (signed, data)
        return web.Response(status=200)

    async def public_file(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["name"].split(".", 1)[0]
        with self.store.lock:
            stored = self.store.files.get(token)
        if stored is None:
            return web.Response(status=404, text="<Error><Code>NoSuchKey</Code></Error>")
        return web.Response(body=stored[1], content_type=stored[0])

    async def artifact(self, request: web.Request) -> web.StreamResponse:
        job = self.store.get(request.match_info["request_id"])
        ext = request.match_info["name"].rsplit(".", 1)[-1]
        if job is None or ext not in MEDIA:
            return web.Response(status=404, text="<Error><Code>NoSuchKey</Code></Error>")
        content_type, data = MEDIA[ext]
        return web.Response(body=data, content_type=content_type)
