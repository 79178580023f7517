"""The member portal: where a member lands, what each tab shows (only the member's own rows),
the staff preview and its scoping, the installable shell."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import PASSWORD, Personas
from dangjian.meetings.choices import AttendanceStatus, MeetingStatus
from dangjian.meetings.tests.factories import make_meeting
from dangjian.points.tests.conftest import award, member_user

pytestmark = pytest.mark.django_db


def _login(username: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def member_b1(personas: Personas) -> Client:
    return _login("member_b1")


def _meetings(p: Personas) -> dict[str, Any]:
    now = timezone.now()
    today = make_meeting(p.b1, "themed_party_day", now + dt.timedelta(minutes=10), status=MeetingStatus.PLANNED,
                         present=0, topic="今天的主题党日")
    today.attendances.update(status=AttendanceStatus.PENDING)
    later = make_meeting(p.b1, "branch_general_meeting", now + dt.timedelta(days=3), status=MeetingStatus.PLANNED,
                         present=0, topic="下周的党员大会")
    later.attendances.update(status=AttendanceStatus.PENDING)
    past = make_meeting(p.b1, "branch_general_meeting", now - dt.timedelta(days=20), topic="上月的支委会")
    other = make_meeting(p.b2, "themed_party_day", now + dt.timedelta(minutes=20), status=MeetingStatus.PLANNED,
                         present=0, topic="二大队的主题党日")
    return {"today": today, "later": later, "past": past, "other": other}


def test_a_member_without_staff_roles_lands_on_the_portal(personas: Personas) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "member_b1", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/m/"
    assert "首页" in response.content.decode() and "组织生活" in response.content.decode()


def test_staff_keep_the_workbench_and_reach_their_own_portal_by_a_link(personas: Personas) -> None:
    p = personas
    officer = p.user("officer_b1")
    officer.member = p.members["m_b1_2"]
    officer.save()
    client = _login("officer_b1")
    home = client.get("/")
    assert home.status_code == 200
    assert 'href="/m/"' in home.content.decode()
    assert client.get("/m/").status_code == 200


def test_tabs_show_the_members_own_meetings_only(personas: Personas, member_b1: Client) -> None:
    rows = _meetings(personas)
    home = member_b1.get("/m/").content.decode()
    assert "今天的主题党日" in home and "二大队的主题党日" not in home
    life = member_b1.get("/m/life/").content.decode()
    assert "下周的党员大会" in life and "上月的支委会" in life and "二大队" not in life
    assert f'/meetings/attendance/{rows["later"].attendances.get(member=personas.members["m_b1"]).pk}/leave/' in life


def test_leave_request_from_the_portal_comes_back_to_the_portal(personas: Personas, member_b1: Client) -> None:
    rows = _meetings(personas)
    attendance = rows["later"].attendances.get(member=personas.members["m_b1"])
    response = member_b1.post(f"/meetings/attendance/{attendance.pk}/leave/", {"reason": "出差办案", "next": "/m/life/"})
    assert response.status_code == 302 and response["Location"] == "/m/life/"
    attendance.refresh_from_db()
    assert attendance.leave_status == "requested"
    page = member_b1.get("/m/life/").content.decode()
    assert "出差办案" in page
    # an outside address is never followed
    response = member_b1.post(f"/meetings/attendance/{attendance.pk}/leave/", {"reason": "x", "next": "//evil.example/"})
    assert "evil" not in response["Location"]


def test_points_entries_show_their_reason(personas: Personas, member_b1: Client) -> None:
    award(personas.user("officer_b1"), personas.members["m_b1"], "commitment_unkept", day=timezone.localdate())
    page = member_b1.get("/m/me/").content.decode()
    assert 'class="point-entry"' in page
    assert "测试加分" in page  # the note given when recording


def test_checkin_replay_with_the_same_key_records_once(personas: Personas, member_b1: Client) -> None:
    rows = _meetings(personas)
    url = f"/meetings/checkin/?t={rows['today'].checkin_token}"
    rows["today"].starts_at = timezone.now() - dt.timedelta(minutes=1)
    rows["today"].save()
    first = member_b1.post(url, {"key": "k-1"}, HTTP_X_QUEUED_REPLAY="1")
    assert first.json()["result"] == "checked_in"
    attendance = rows["today"].attendances.get(member=personas.members["m_b1"])
    changes = AuditEntry.objects.filter(object_type="meetings.attendance", object_id=str(attendance.pk))
    recorded = changes.count()
    assert recorded >= 1
    again = member_b1.post(url, {"key": "k-1"}, HTTP_X_QUEUED_REPLAY="1")
    assert again.json() == {**again.json(), "result": "checked_in", "replayed": True}
    attendance.refresh_from_db()
    assert attendance.status == AttendanceStatus.PRESENT
    assert changes.count() == recorded  # the replay wrote nothing


STAFF_ONLY = re.compile(r"/(add|edit|delete|export|compliance|ranking|arrears|assess|settings)/")


def test_portal_links_never_lead_to_a_staff_page(personas: Personas, member_b1: Client) -> None:
    """Every link of every tab answers the member (no dead button) and none is a staff screen
    (lists to manage, forms to add or edit, officer-only reports)."""
    _meetings(personas)
    award(personas.user("officer_b1"), personas.members["m_b1"], "commitment_unkept", day=timezone.localdate())
    for tab in ("/m/", "/m/life/", "/m/study/", "/m/me/"):
        page = member_b1.get(tab)
        assert page.status_code == 200
        for href in re.findall(r'href="([^"#]+)"', page.content.decode()):
            if href.startswith("/static/") or href.endswith(".webmanifest"):
                continue
            answer = member_b1.get(href)
            assert answer.status_code == 200, (tab, href, answer.status_code)
            assert not STAFF_ONLY.search(href), (tab, href)
            assert not href.endswith("_list/") and "/m/preview/" not in href, (tab, href)


def test_secretary_previews_a_member_of_the_branch_audited(personas: Personas) -> None:
    _meetings(personas)
    member = personas.members["m_b1"]
    officer = _login("officer_b1")
    page = officer.get(f"/m/preview/{member.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "今天的主题党日" in body and "<form" not in body.split("</header>")[1].split("<nav")[0]
    assert AuditEntry.objects.filter(event="portal_preview", object_id=str(member.pk)).exists()
    assert officer.get(f"/m/preview/{member.pk}/life/").status_code == 200


def test_preview_of_another_branchs_member_is_404(personas: Personas) -> None:
    officer = _login("officer_b1")
    assert officer.get(f"/m/preview/{personas.members['m_b2'].pk}/").status_code == 404
    assert officer.get(f"/m/preview/{personas.members['m_b3'].pk}/").status_code == 404
    # a plain member previews nobody, not even a peer of the branch
    assert _login("member_b1").get(f"/m/preview/{personas.members['m_b1_2'].pk}/").status_code == 404


def test_manifest_and_service_worker_are_served_locally(personas: Personas) -> None:
    client = Client()
    manifest = client.get("/m/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.json()["start_url"] == "/m/"
    sw = client.get("/m/sw.js")
    assert sw.status_code == 200 and sw["Service-Worker-Allowed"] == "/m/"
    assert "/static/" in sw.content.decode() and "http" not in sw.content.decode().split("*/", 1)[1]


def test_a_user_without_a_member_record_has_no_portal(personas: Personas) -> None:
    assert _login("c1_staff").get("/m/").status_code == 404


def test_a_member_of_another_branch_sees_their_own(personas: Personas) -> None:
    _meetings(personas)
    member_user(personas.members["m_b2"], "member_b2")
    page = _login("member_b2").get("/m/").content.decode()
    assert "二大队的主题党日" in page and "今天的主题党日" not in page


def test_my_honors_and_my_development_file_are_my_own_rows(personas: Personas) -> None:
    """The honors and development areas open to a member only their own rows: the card shows
    the member's commendation and file; a peer of the same branch sees neither."""
    from dangjian.core.approvals import ApprovalStatus
    from dangjian.development.models import Case
    from dangjian.development.tests.conftest import open_case
    from dangjian.honors.models import Commendation, CommendationKind

    p = personas
    Commendation(org=p.b1, kind=CommendationKind.objects.get(year=2026, code="excellent_member"),
                 member=p.members["m_b1"], merits="侦破积案", review_from=dt.date(2026, 6, 1),
                 review_until=dt.date(2026, 6, 7), status=ApprovalStatus.APPROVED, decision_ref="刑支党〔2026〕3号").save()
    case = open_case(p, name="张三")
    Case.objects.filter(pk=case.pk).update(member=p.members["m_b1"], stage="probationary",
                                           probation_ends_on=dt.date(2027, 6, 1))
    mine = _login("member_b1").get("/m/me/").content.decode()
    assert "刑支党〔2026〕3号" in mine and "我的发展档案" in mine and "2027年6月1日" in mine
    member_user(p.members["m_b1_2"], "member_b1_2")
    peer = _login("member_b1_2")
    page = peer.get("/m/me/").content.decode()
    assert "刑支党〔2026〕3号" not in page and "我的发展档案" not in page
    # nor by the module's own screens: own rows only
    assert peer.get(f"/development/{case.pk}/").status_code == 404


def test_the_branch_page_lists_its_members_with_their_portal_preview(personas: Personas) -> None:
    officer = _login("officer_b1")
    section = officer.get(f"/m/org-members/?org={personas.b1.pk}").content.decode()
    assert f'/m/preview/{personas.members["m_b1"].pk}/' in section
    assert officer.get(f"/m/org-members/?org={personas.b2.pk}").status_code == 404
    peer = _login("member_b1").get(f"/m/org-members/?org={personas.b1.pk}").content.decode()
    assert "/m/preview/" not in peer


def _billed_with_gateway(p: Personas) -> Any:
    from dangjian.dues.models import DuesBill, PaymentGateway
    from dangjian.dues.tests.conftest import assess, bill_months

    today = timezone.localdate()
    assess(p.user("officer_b1"), p.members["m_b1"], today.year, "4000.00")
    bill_months(p.user("officer_b1"), p.b1, today.year, range(max(1, today.month - 1), today.month + 1))
    PaymentGateway(code="test", name="测试支付", kind="fake", is_active=True,
                   posting_account=p.user("c1_staff")).save()
    return DuesBill.objects.filter(member=p.members["m_b1"]).order_by("month")


def test_a_member_pays_a_month_from_the_portal_and_opens_the_receipt(personas: Personas, member_b1: Client) -> None:
    from dangjian.dues.models import DuesPayment, PaymentOrder

    bills = list(_billed_with_gateway(personas))
    page = member_b1.get("/m/me/").content.decode()
    forms = re.findall(r'<form method="post" action="/dues/bills/(\d+)/pay/"', page)
    assert sorted(int(pk) for pk in forms) == sorted(b.pk for b in bills)  # every unpaid month offers payment
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    first, second = bills
    # the amount is the bill's, whatever the client adds to the form
    to_gateway = member_b1.post(f"/dues/bills/{second.pk}/pay/", {"token": token, "back": "portal", "amount": "0.01"})
    order = PaymentOrder.objects.get()
    assert to_gateway["Location"] == order.pay_url and order.amount == second.amount_due
    back = member_b1.post(order.pay_url)
    receipt_url = member_b1.get(back["Location"])["Location"]
    assert receipt_url == f"/dues/orders/{order.pk}/"
    page = member_b1.get("/m/me/").content.decode()
    assert f'href="{receipt_url}"' in page  # the online payment links to its receipt
    assert re.findall(r'action="/dues/bills/(\d+)/pay/"', page) == [str(first.pk)]  # the paid month no more
    receipt = member_b1.get(receipt_url).content.decode()
    assert 'id="receipt"' in receipt and order.out_trade_no in receipt
    # the same page's token pays the other month: its own order, not the first one again
    other = member_b1.post(f"/dues/bills/{first.pk}/pay/", {"token": token, "back": "portal"})
    assert PaymentOrder.objects.count() == 2 and other["Location"] != f"/dues/orders/{order.pk}/"
    assert DuesPayment.objects.filter(member=personas.members["m_b1"]).count() == 1


def test_the_dues_card_of_a_preview_offers_no_payment(personas: Personas) -> None:
    _billed_with_gateway(personas)
    page = _login("officer_b1").get(f"/m/preview/{personas.members['m_b1'].pk}/me/").content.decode()
    assert 'id="card-dues-mine"' in page
    assert "/pay/" not in page and 'name="token"' not in page


def test_a_failed_payment_from_the_portal_comes_back_to_the_portal(personas: Personas, member_b1: Client) -> None:
    bill = _billed_with_gateway(personas).first()
    response = member_b1.post(f"/dues/bills/{bill.pk}/pay/", {"token": "forged", "back": "portal"})
    assert response["Location"] == "/m/me/"
    assert "已过期" in member_b1.get("/m/me/").content.decode()


def test_a_member_sees_and_signs_out_their_own_devices(personas: Personas, member_b1: Client) -> None:
    from rest_framework.test import APIClient

    from dangjian.accounts.api.authentication import issue_token
    from dangjian.accounts.models import ApiToken

    phone = issue_token(personas.user("member_b1"), "张三的手机")
    issue_token(personas.user("member_b1"), "办公室电脑")
    issue_token(personas.user("officer_b1"), "书记的手机")
    assert 'href="/m/devices/"' in member_b1.get("/m/me/").content.decode()
    page = member_b1.get("/m/devices/").content.decode()
    assert "张三的手机" in page and "办公室电脑" in page and "书记的手机" not in page
    mine = ApiToken.objects.get(name="张三的手机")
    others = ApiToken.objects.get(name="书记的手机")
    assert member_b1.post(f"/m/devices/{others.pk}/revoke/").status_code == 404  # never another user's
    assert member_b1.get(f"/m/devices/{mine.pk}/revoke/").status_code == 405  # no change on GET
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {phone}")
    assert api.get("/api/v1/auth/tokens/").status_code == 200
    assert member_b1.post(f"/m/devices/{mine.pk}/revoke/")["Location"] == "/m/devices/"
    assert api.get("/api/v1/auth/tokens/").status_code == 401  # the phone must sign in again
    page = member_b1.get("/m/devices/").content.decode()
    assert "张三的手机" not in page and "办公室电脑" in page
    assert AuditEntry.objects.filter(event="token_revoked", reason="张三的手机").count() == 1
    others.refresh_from_db()
    assert others.revoked_at is None
