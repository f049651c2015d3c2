"""Record parsing: statuses, artifact URLs in the current and legacy shapes, failure reasons."""

from __future__ import annotations

import pytest

from litellm_gmi.media.records import QueueRequest, RequestStatus, artifact_urls, failure_reason, parse_status

CURRENT = {
    "media_urls": [
        {"id": "0", "url": "https://storage.example/a.mp4"},
        {"id": "1", "url": "https://s/b.mp4"},
    ],
    "thumbnail_image_url": "https://storage.example/thumb.png",
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("success", RequestStatus.SUCCESS),
        ("QUEUED", RequestStatus.QUEUED),
        ("error", RequestStatus.FAILED),
        ("canceled", RequestStatus.CANCELLED),
        ("running", RequestStatus.PROCESSING),
        ("finished", None),
        (None, None),
    ],
)
def test_parse_status(raw, expected):
    assert parse_status(raw) is expected


def test_current_shape_reads_media_urls_by_name_not_the_thumbnail():
    assert artifact_urls(CURRENT) == ["https://storage.example/a.mp4", "https://s/b.mp4"]


def test_media_urls_may_be_plain_strings():
    assert artifact_urls({"media_urls": ["https://x/1.png"]}) == ["https://x/1.png"]


def test_legacy_flat_fields_in_order_without_duplicates():
    outcome = {"video_url": "https://x/v.mp4", "url": "https://x/v.mp4", "thumbnail_image_url": "https://x/t"}
    assert artifact_urls(outcome) == ["https://x/v.mp4"]
    assert artifact_urls({"image_url": "https://x/i.png", "audio_url": "https://x/a.wav"}) == [
        "https://x/i.png",
        "https://x/a.wav",
    ]


def test_thumbnail_only_when_asked_and_nothing_else():
    outcome = {"thumbnail_image_url": "https://x/t.png"}
    assert artifact_urls(outcome) == []
    assert artifact_urls(outcome, thumbnail_fallback=True) == ["https://x/t.png"]
    assert artifact_urls(None) == []


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"outcome": {"error": "bad prompt"}}, "bad prompt"),
        ({"outcome": {"error": {"message": "nested"}}}, "nested"),
        ({"error": "top level"}, "top level"),
        ({"reason": "cancelled by user"}, "cancelled by user"),
        ({"outcome": {"message": "outcome message"}}, "outcome message"),
        ({"outcome": None, "error": "  "}, None),
        ({}, None),
    ],
)
def test_failure_reason_shapes(record, reason):
    assert failure_reason(record) == reason


def test_record_from_submit_answer_and_id_fallback():
    record = QueueRequest.from_json(
        {"id": "r1", "model": "Veo3", "status": "queued", "created_at": 5, "updated_at": 5}
    )
    assert record.request_id == "r1"
    assert not record.is_terminal
    assert record.never_picked_up
    assert record.artifact_urls == []


def test_record_success_properties():
    record = QueueRequest.from_json(
        {
            "request_id": "r2",
            "model": "Veo3",
            "status": "success",
            "outcome": CURRENT,
            "created_at": 1,
            "updated_at": 9,
        }
    )
    assert record.succeeded
    assert record.is_terminal
    assert not record.never_picked_up
    assert record.thumbnail_url == "https://storage.example/thumb.png"
    assert record.failure_reason is None


def test_processing_with_equal_timestamps_is_not_stuck():
    record = QueueRequest.from_json(
        {"request_id": "r", "status": "processing", "created_at": 1, "updated_at": 1}
    )
    assert not record.never_picked_up
