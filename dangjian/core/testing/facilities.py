"""Generated suites of the shared facilities (attachments, rectification items, approvals, the inbox).

``RectificationSuite`` is a ``ModelSuite`` with the rectification rules added: declare it
exactly like one (see dangjian.core.testing.suites).

A module that stores files declares, in a few lines, how to make its record and where its
upload and download screens are, and gets the facility's rules tested through real HTTP::

    class TestMeetingAttachmentSuite(AttachmentSuite):
        model = MeetingAttachment
        record_field = "meeting"
        allowed = "officer_b1"; outsider = "officer_b2"
        max_mb = 10; accepted = "pdf"; refused = "exe"

        @classmethod
        def make_record(cls, p): return make_meeting(p.b1)
        @classmethod
        def upload_url(cls, record): return reverse("meetings:attachment_upload", args=[record.pk])
        @classmethod
        def download_url(cls, attachment): return reverse("meetings:attachment_download", args=[attachment.pk])

The meta-test (dangjian/core/tests/test_meta.py) counts a facility suite as the model's
generated suite.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from typing import Any, ClassVar

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from dangjian.core.approvals import ApprovalStatus
from dangjian.core.context import acting_as
from dangjian.core.models import AuditEntry
from dangjian.core.modules import inbox_sections
from dangjian.core.rectification import RectificationStatus
from dangjian.core.testing.personas import Personas, build_personas
from dangjian.core.testing.suites import LOGIN_URL, ModelSuite, listed_pks, login, requires

#: A minimal file of each type whose first bytes the checks recognise.
SAMPLES: dict[str, bytes] = {
    "pdf": b"%PDF-1.4 minutes", "png": b"\x89PNG\r\n\x1a\n....", "jpg": b"\xff\xd8\xff\xe0....",
    "docx": b"PK\x03\x04....", "xlsx": b"PK\x03\x04....", "txt": "会议纪要".encode(),
}


class FacilitySuite(TestCase):
    """Personas built once per class; ``allowed`` and ``outsider`` log in once per class."""

    __test__ = False
    model: ClassVar[type[models.Model]]
    allowed: ClassVar[str]
    outsider: ClassVar[str]
    p: Personas
    _sessions: ClassVar[dict[str, str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "model" in cls.__dict__:
            cls.__test__ = True

    @classmethod
    def setUpTestData(cls) -> None:
        cls.p = build_personas()
        cookie = settings.SESSION_COOKIE_NAME
        cls._sessions = {name: login(name).cookies[cookie].value for name in {cls.allowed, cls.outsider}}

    def client_as(self, username: str) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.cookies[settings.SESSION_COOKIE_NAME] = self._sessions[username]
        return client

    @staticmethod
    def chinese(msgid: str, **values: Any) -> str:
        with translation.override("zh-hans"):
            text = gettext(msgid)
        return text % values if values else text


class AttachmentSuite(FacilitySuite):
    """Upload and download of a module's attachments (dangjian.core.attachments)."""

    record_field: ClassVar[str]
    #: the limits in force for the record made by make_record
    max_mb: ClassVar[int] = 10
    accepted: ClassVar[str] = "pdf"
    refused: ClassVar[str] = "exe"

    @classmethod
    def make_record(cls, p: Personas) -> models.Model:
        """A record in ``allowed``'s scope (not ``outsider``'s) that accepts attachments."""
        raise NotImplementedError

    @classmethod
    def upload_url(cls, record: Any) -> str:
        raise NotImplementedError

    @classmethod
    def download_url(cls, attachment: Any) -> str:
        raise NotImplementedError

    def setUp(self) -> None:
        media = tempfile.mkdtemp(prefix="attachments-")
        self.addCleanup(shutil.rmtree, media, True)
        self.enterContext(override_settings(MEDIA_ROOT=media))
        with acting_as(None, reason="test fixture"):
            self.record = self.make_record(self.p)

    def stored(self) -> models.QuerySet[Any]:
        return self.model.objects.filter(**{self.record_field: self.record})  # type: ignore[attr-defined]

    def upload(self, username: str | None, name: str, content: bytes) -> Any:
        client = self.client_as(username) if username else Client()
        return client.post(self.upload_url(self.record), {"file": SimpleUploadedFile(name, content)}, follow=True)

    def assert_refused(self, response: Any, message: str) -> None:
        assert response.status_code in (200, 400), response.status_code
        assert message in response.content.decode(), f"expected the message {message!r} on the page"
        assert not self.stored().exists(), "a refused file must leave no row"

    def test_anonymous_upload_goes_to_login_and_stores_nothing(self) -> None:
        response = Client().post(self.upload_url(self.record), {"file": SimpleUploadedFile("a.pdf", SAMPLES["pdf"])})
        assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)
        assert not self.stored().exists()

    def test_upload_stores_name_type_size_and_uploader_and_audits(self) -> None:
        content = SAMPLES[self.accepted]
        response = self.upload(self.allowed, f"会议纪要.{self.accepted}", content)
        assert response.status_code == 200
        attachment = self.stored().get()
        assert attachment.original_name == f"会议纪要.{self.accepted}"
        assert attachment.size == len(content)
        assert attachment.uploaded_by.username == self.allowed
        assert "会议纪要" not in attachment.file.name  # stored under a random name
        assert AuditEntry.objects.filter(event="create", object_type=self.model._meta.label_lower,
                                         object_id=str(attachment.pk), actor_name=self.allowed).exists()

    def test_a_renamed_executable_is_refused(self) -> None:
        response = self.upload(self.allowed, f"纪要.{self.accepted}", b"MZ\x90\x00 this is a program")
        self.assert_refused(response, self.chinese("The file's content does not match its type."))

    def test_a_type_outside_the_list_is_refused(self) -> None:
        response = self.upload(self.allowed, f"tool.{self.refused}", b"MZ\x90\x00")
        before_list = self.chinese("This file type is not allowed. Allowed: %(types)s").split("%(types)s")[0]
        self.assert_refused(response, before_list)

    def test_a_file_over_the_limit_is_refused(self) -> None:
        big = SAMPLES[self.accepted] + b"0" * (self.max_mb * 1024 * 1024)
        response = self.upload(self.allowed, f"big.{self.accepted}", big)
        self.assert_refused(response, self.chinese("The file is larger than %(mb)d MB.", mb=self.max_mb))

    def test_an_empty_file_is_refused(self) -> None:
        response = self.upload(self.allowed, f"empty.{self.accepted}", b"")
        assert not self.stored().exists()
        assert response.status_code in (200, 400)

    def test_download_is_an_attachment_the_browser_may_not_sniff(self) -> None:
        self.upload(self.allowed, f"纪要.{self.accepted}", SAMPLES[self.accepted])
        attachment = self.stored().get()
        response = self.client_as(self.allowed).get(self.download_url(attachment))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == SAMPLES[self.accepted]  # type: ignore[attr-defined]
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_outsider_and_anonymous_cannot_download(self) -> None:
        self.upload(self.allowed, f"纪要.{self.accepted}", SAMPLES[self.accepted])
        attachment = self.stored().get()
        assert self.client_as(self.outsider).get(self.download_url(attachment)).status_code == 404
        assert Client().get(self.download_url(attachment)).status_code == 302

    def test_outsider_cannot_upload(self) -> None:
        response = self.client_as(self.outsider).post(self.upload_url(self.record),
                                                      {"file": SimpleUploadedFile("a.pdf", SAMPLES["pdf"])})
        assert response.status_code == 404
        assert not self.stored().exists()


class RectificationSuite(ModelSuite):
    """The standard screen suite of a rectification item model plus the facility's rules
    (dangjian.core.rectification) through its edit and list screens. Declare it like a
    ``ModelSuite``; ``make_row`` must give an open item."""

    def row_due(self, days: int) -> Any:
        """An open item due ``days`` from today (negative: already late)."""
        row = self.new_row()
        self.model()._default_manager.filter(pk=row.pk).update(deadline=timezone.localdate() + dt.timedelta(days=days))
        row.refresh_from_db()
        return row

    @requires("edit")
    def test_closing_without_evidence_is_refused_beside_the_field_with_input_kept(self) -> None:
        row = self.new_row()
        data = {**self.edit_form_data(row, self.allowed), "status": RectificationStatus.CLOSED, "evidence": "",
                "content": "改过的措施文字"}
        client = self.client_as(self.allowed)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
        response = client.post(self.url("edit", row), data)
        assert response.status_code == 400
        form = response.context["form"]
        with translation.override("zh-hans"):
            expected = gettext("An item is closed only with its evidence.")
        assert form.errors.get("evidence") == [expected]
        assert expected in response.content.decode()
        assert "改过的措施文字" in response.content.decode()  # the user's input is kept
        row.refresh_from_db()
        assert row.status == RectificationStatus.OPEN

    @requires("edit")
    def test_closing_with_evidence_closes_a_late_item(self) -> None:
        row = self.row_due(-1)
        assert row.is_overdue
        data = {**self.edit_form_data(row, self.allowed), "status": RectificationStatus.CLOSED,
                "evidence": "整改台账及照片", "closed_on": timezone.localdate().isoformat()}
        response = self.client_as(self.allowed).post(self.url("edit", row), data)
        assert response.status_code == 302, response.content.decode()[:2000]
        row.refresh_from_db()
        assert row.status == RectificationStatus.CLOSED and not row.is_overdue
        self.assert_audited(row.pk, "update", self.allowed)

    @requires("list")
    def test_the_overdue_filter_lists_only_late_open_items(self) -> None:
        late, on_time = self.row_due(-1), self.row_due(30)
        client = self.client_as(self.allowed)
        overdue = listed_pks(client.get(self.url("list") + "?overdue=true"))
        assert late.pk in overdue and on_time.pk not in overdue
        not_overdue = listed_pks(client.get(self.url("list") + "?overdue=false"))
        assert on_time.pk in not_overdue and late.pk not in not_overdue


class ApprovalSuite(FacilitySuite):
    """A request model on the approvals facility (dangjian.core.approvals): decided through its
    decision screen by the level above, never by the requester, once, with its reference,
    version-checked and audited; withdrawn by its requester. Declare::

        class TestReliefApprovalSuite(ApprovalSuite):
            model = HardshipRelief
            allowed = "c1_staff"      # holds the grant on the level above the request's organization
            peer = "officer_b1"       # holds the grant on the requesting organization only
            outsider = "officer_b2"   # sees nothing of it

            @classmethod
            def make_request(cls, p, requested_by): ...   # a pending row, requested by that user
            @classmethod
            def decide_url(cls, row): return reverse("dues:relief_decide", args=[row.pk])
            @classmethod
            def withdraw_url(cls, row): return reverse("dues:relief_withdraw", args=[row.pk])
    """

    peer: ClassVar[str]

    @classmethod
    def make_request(cls, p: Personas, requested_by: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def decide_url(cls, row: Any) -> str:
        raise NotImplementedError

    @classmethod
    def withdraw_url(cls, row: Any) -> str:
        raise NotImplementedError

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cookie = settings.SESSION_COOKIE_NAME
        cls._sessions[cls.peer] = login(cls.peer).cookies[cookie].value

    def new_request(self, requested_by: str | None = None) -> Any:
        with acting_as(None, reason="test fixture"):
            return self.make_request(self.p, self.p.user(requested_by or self.peer))

    def post_decision(self, username: str, row: Any, *, approve: bool = True, reference: str = "党委会议纪要第8号",
                      version: int | None = None) -> Any:
        data = {"approve": "1" if approve else "0", "reference": reference,
                "decided_on": timezone.localdate().isoformat(), "version": row.version if version is None else version}
        return self.client_as(username).post(self.decide_url(row), data)

    def assert_pending(self, row: Any) -> None:
        row.refresh_from_db()
        assert row.status == ApprovalStatus.PENDING and row.decided_by_id is None, row.status

    def assert_refused(self, response: Any, message: Any) -> None:
        assert response.status_code == 400, response.status_code
        assert self.chinese(str(message)) in response.content.decode(), f"expected {message!r} on the page"

    def test_anonymous_goes_to_login_and_decides_nothing(self) -> None:
        row = self.new_request()
        response = Client().post(self.decide_url(row), {"approve": "1", "reference": "x", "version": row.version})
        assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)
        self.assert_pending(row)

    def test_outsider_gets_404_and_decides_nothing(self) -> None:
        row = self.new_request()
        assert self.client_as(self.outsider).get(self.decide_url(row)).status_code == 404
        assert self.post_decision(self.outsider, row).status_code == 404
        self.assert_pending(row)

    def test_the_level_above_approves_with_its_reference_and_audit(self) -> None:
        row = self.new_request()
        assert self.client_as(self.allowed).get(self.decide_url(row)).status_code == 200
        response = self.post_decision(self.allowed, row, reference="党委会议纪要第8号")
        assert response.status_code == 302, response.content.decode()[:3000]
        row.refresh_from_db()
        assert row.status == ApprovalStatus.APPROVED and row.decided_by.username == self.allowed
        assert row.decided_on == timezone.localdate() and row.decision_ref == "党委会议纪要第8号"
        assert AuditEntry.objects.filter(event="approve", object_type=self.model._meta.label_lower,
                                         object_id=str(row.pk), actor_name=self.allowed,
                                         reason="党委会议纪要第8号").exists()

    def test_the_level_above_rejects(self) -> None:
        row = self.new_request()
        assert self.post_decision(self.allowed, row, approve=False).status_code == 302
        row.refresh_from_db()
        assert row.status == ApprovalStatus.REJECTED
        assert AuditEntry.objects.filter(event="reject", object_id=str(row.pk), actor_name=self.allowed).exists()

    def test_the_requesting_level_cannot_decide(self) -> None:
        row = self.new_request(requested_by=self.allowed)  # so the peer is not the requester
        self.assert_refused(self.post_decision(self.peer, row), self.model.approval_level_message)  # type: ignore[attr-defined]
        self.assert_pending(row)

    def test_the_requester_cannot_decide_even_from_above(self) -> None:
        row = self.new_request(requested_by=self.allowed)
        self.assert_refused(self.post_decision(self.allowed, row), self.model.approval_self_message)  # type: ignore[attr-defined]
        self.assert_pending(row)

    def test_a_decision_needs_its_reference_beside_the_field(self) -> None:
        row = self.new_request()
        response = self.post_decision(self.allowed, row, reference=" ")
        assert response.status_code == 400
        assert response.context["form"].errors.get("reference")
        self.assert_pending(row)

    def test_a_request_is_decided_once(self) -> None:
        row = self.new_request()
        assert self.post_decision(self.allowed, row).status_code == 302
        row.refresh_from_db()
        again = self.post_decision(self.allowed, row, approve=False)
        self.assert_refused(again, self.model.approval_decided_message)  # type: ignore[attr-defined]
        row.refresh_from_db()
        assert row.status == ApprovalStatus.APPROVED

    def test_a_stale_page_is_the_conflict_page(self) -> None:
        row = self.new_request()
        assert self.post_decision(self.allowed, row, version=row.version - 1 or 0).status_code == 409
        assert self.post_decision(self.allowed, row, version=0).status_code == 409
        self.assert_pending(row)

    def test_the_requester_withdraws_and_then_nobody_decides(self) -> None:
        row = self.new_request()
        response = self.client_as(self.peer).post(self.withdraw_url(row), {"version": row.version})
        assert response.status_code == 302
        row.refresh_from_db()
        assert row.status == ApprovalStatus.WITHDRAWN
        assert AuditEntry.objects.filter(event="withdraw", object_id=str(row.pk), actor_name=self.peer).exists()
        self.assert_refused(self.post_decision(self.allowed, row), self.model.approval_decided_message)  # type: ignore[attr-defined]

    def test_an_outsider_cannot_withdraw(self) -> None:
        row = self.new_request()
        assert self.client_as(self.outsider).post(self.withdraw_url(row), {"version": row.version}).status_code == 404
        self.assert_pending(row)


class InboxSuite(FacilitySuite):
    """One declared inbox section (dangjian.core.inbox): its reminder reaches the user it
    concerns, nobody else, and the page's cost does not grow with the reminders."""

    #: the key of the section's ``Figure`` in the module's ``inbox`` declaration
    section: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "section" in cls.__dict__:
            cls.__test__ = True

    @classmethod
    def make_item(cls, p: Personas) -> str:
        """Create something ``allowed`` should be reminded of and ``outsider`` not; return the
        text that identifies it on the page (distinct per call)."""
        raise NotImplementedError

    def new_item(self) -> str:
        with acting_as(None, reason="test fixture"):
            return self.make_item(self.p)

    def inbox(self, username: str) -> str:
        response = self.client_as(username).get(reverse("core:inbox"))
        assert response.status_code == 200
        return response.content.decode()

    def test_the_section_is_declared(self) -> None:
        assert self.section in {s.key for s in inbox_sections()}

    def test_anonymous_is_sent_to_login(self) -> None:
        response = Client().get(reverse("core:inbox"))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)

    def test_the_reminder_reaches_the_user_it_concerns(self) -> None:
        marker = self.new_item()
        assert marker in self.inbox(self.allowed)

    def test_nobody_else_sees_it(self) -> None:
        marker = self.new_item()
        assert marker not in self.inbox(self.outsider)

    def test_the_page_costs_the_same_with_more_reminders(self) -> None:
        self.new_item()
        client = self.client_as(self.allowed)
        client.get(reverse("core:inbox"))  # per-user caches (the navigation's menu) filled once
        counts = []
        for _ in range(2):
            # New items start a new generation of the open count, so both measured requests
            # count afresh (the first used to find the count of the warm-up request cached).
            self.new_item()
            self.new_item()
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("core:inbox")).status_code == 200
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1], counts
