"""Files sent or received with correspondence: checked by content, verified, never public."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog
from requests_mla.models import Attachment, Correspondence
from tests.conftest import Cast
from tests.requests_mla.builders import incoming

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _log_letter(cast: Cast, request_pk: int, content: bytes, name: str):  # type: ignore[no-untyped-def]
    return cast.client(cast.carol).post(
        reverse("requests_mla:correspondence-add", args=[request_pk]),
        {
            "corr-kind": "letter",
            "corr-direction": "in",
            "corr-on": timezone.localdate().isoformat(),
            "corr-summary": "Bank statements received from the Swiss bank.",
            "corr-attachment": SimpleUploadedFile(name, content),
        },
    )


def test_an_attachment_is_stored_with_its_hash_and_downloaded_by_the_register(cast: Cast) -> None:
    request = incoming(cast.carol)
    response = _log_letter(cast, request.pk, PDF, "statements.pdf")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.content_type == "application/pdf"
    assert "statements" not in str(attachment.file.name)  # no name taken from the user
    url = reverse("requests_mla:attachment-download", args=[request.pk, attachment.pk])
    page = cast.client(cast.carol).get(reverse("requests_mla:detail", args=[request.pk]))
    assert url in page.text
    download = cast.client(cast.carol).get(url)
    assert download.status_code == 200
    assert download.content == PDF
    assert AccessLog.objects.filter(object_type="attachment", action="download").count() == 1


def test_an_attachment_answers_404_to_anyone_outside_the_request(cast: Cast) -> None:
    request = incoming(cast.carol)
    _log_letter(cast, request.pk, PDF, "statements.pdf")
    attachment = Attachment.objects.get()
    url = reverse("requests_mla:attachment-download", args=[request.pk, attachment.pk])
    for outsider in (cast.dave, cast.bob, cast.olga, cast.sam):
        assert cast.client(outsider).get(url).status_code == 404
    assert cast.client(None).get(url).status_code == 302


def test_a_disguised_attachment_is_refused_and_nothing_is_logged(cast: Cast) -> None:
    request = incoming(cast.carol)
    response = _log_letter(cast, request.pk, b"\x7fELF\x02\x01\x01\x00", "statements.pdf")
    assert response.status_code == 400
    assert "This type of file is not accepted" in response.text
    assert not Correspondence.objects.filter(request=request).exists()
    assert not Attachment.objects.exists()


def test_a_tampered_attachment_fails_its_integrity_check(cast: Cast) -> None:
    request = incoming(cast.carol)
    _log_letter(cast, request.pk, PDF, "statements.pdf")
    attachment = Attachment.objects.get()
    Path(attachment.file.path).write_bytes(PDF + b"tampered")
    url = reverse("requests_mla:attachment-download", args=[request.pk, attachment.pk])
    response = cast.client(cast.carol).get(url, follow=True)
    assert response.redirect_chain
    assert "failed its integrity check" in response.text
