"""Record-quality checks: near-duplicates on a labelled set (precision and recall), the content
checks, the reviewer's screens within scope, and the checks as a background job."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from dangjian.core.testing.personas import Personas, build_personas
from dangjian.core.testing.suites import login
from dangjian.library import quality, services
from dangjian.library.models import FlagStatus, QualityFlag
from dangjian.library.tests.test_suites import meeting
from dangjian.meetings.models import Attendance

pytestmark = pytest.mark.django_db

BASE = [
    "3月5日，支部书记张三主持召开支部委员会会议，传达学习上级关于加强队伍纪律作风建设的通知精神。会议结合一大队近期执法办案情况，"
    "逐条查摆在接处警规范、案件卷宗管理方面存在的问题，研究确定由李四牵头开展卷宗专项检查，每周通报一次进展，月底前完成整改。",
    "本次主题党日组织全体党员前往革命纪念馆开展现场教学，重温入党誓词，聆听老党员讲述剿匪往事。活动结束后每名党员撰写心得体会，"
    "支部将优秀心得在内网专栏刊发，并安排党员到社区开展反诈宣传志愿服务两小时。",
    "党小组会围绕春季道路交通安全整治行动开展讨论，大家分析了辖区事故多发路段的特点，提出增设临时执勤点、联合路政清理违停等建议。"
    "会议决定由组长汇总建议报支部，下周起在两个重点路口试行高峰时段双人执勤。",
    "支部党员大会听取了上半年党费收缴和使用情况报告，审议通过了下半年党员教育培训计划。会议讨论了两名入党积极分子的培养考察情况，"
    "同意将王五列为发展对象，并报上级党委备案。",
    "支委会专题研究民警心理健康关爱工作，听取了政工干事关于近期加班强度的调研汇报。会议议定为夜班民警协调调休，"
    "邀请心理咨询师每季度到队开展一次团体辅导，并建立谈心谈话台账。",
    "组织党员观看廉政警示教育片，围绕身边典型案例开展讨论。纪检委员通报了近期上级通报的违纪违法案件，"
    "要求大家对照检查八小时以外的交往圈、生活圈，签订廉洁自律承诺书。",
]


def _copy(text: str) -> str:
    """The same minutes with names, dates and figures changed (what a copy looks like)."""
    return (text.replace("张三", "赵六").replace("李四", "王五").replace("3月5日", "4月9日")
            .replace("两小时", "三小时").replace("每周", "每旬").replace("一大队", "三大队").replace("两名", "三名"))


@pytest.fixture
def personas() -> Personas:
    return build_personas()


def _present(record: Any, member: Any) -> None:
    Attendance(meeting=record, member=member, status="present").save()


def test_near_duplicates_are_flagged_with_their_source_and_different_minutes_are_not(personas: Personas) -> None:
    """A labelled set: 6 originals in branch 1, 6 copies (names/dates changed) in branches 2 and 3
    and 6 genuinely different minutes; precision and recall of the check printed for the note."""
    originals = [meeting(personas.b1, text, day=i) for i, text in enumerate(BASE)]
    copies = [meeting(personas.b3 if i % 2 else personas.b2, _copy(text), day=20 + i) for i, text in enumerate(BASE)]
    # different records on the same subjects (written anew): must not be flagged
    fresh = [meeting(personas.b2, text[::-1][:20] + "会议另行讨论了本单位的具体情况，形成了不同的意见和安排。" + text[10:40], day=40 + i)
             for i, text in enumerate(BASE)]
    for record in [*originals, *copies, *fresh]:
        quality.check_meeting(record)
    flagged = {f.meeting_id: f for f in QualityFlag.objects.filter(reason="near_duplicate")}
    expected = {c.pk: o.pk for c, o in zip(copies, originals, strict=True)}
    true_positive = sum(1 for pk in flagged if pk in expected and flagged[pk].matched_id == expected[pk])
    precision = true_positive / len(flagged) if flagged else 0.0
    recall = true_positive / len(expected)
    print(f"\nnear-duplicate check: flagged={len(flagged)} precision={precision:.2f} recall={recall:.2f}")
    assert recall == 1.0 and precision == 1.0
    assert all(o.pk not in flagged for o in originals)
    assert all(f.similarity >= 0.7 for f in flagged.values())


def test_content_checks_short_no_resolution_no_attendance_boilerplate(personas: Personas) -> None:
    short = meeting(personas.b1, "学习了文件。", day=1)
    boiler = meeting(personas.b1, "会议传达学习了上级精神。会议强调，要认真学习、深刻领会、抓好落实。大家一致表示。" * 2, day=2)
    good = meeting(personas.b1, BASE[0], day=3)
    _present(good, personas.members["m_b1"])
    type(good).objects.filter(pk=good.pk).update(created_at=good.starts_at)  # recorded on the day
    good.refresh_from_db()
    reasons = {r.pk: {f.reason for f in quality.check_meeting(r)} for r in (short, boiler, good)}
    assert {"too_short", "no_resolution", "no_attendance"} <= reasons[short.pk]
    assert "boilerplate" in reasons[boiler.pk]
    assert reasons[good.pk] == set()


def test_a_record_written_long_after_the_meeting_is_flagged(personas: Personas) -> None:
    record = meeting(personas.b1, BASE[4], day=1)
    _present(record, personas.members["m_b1"])
    type(record).objects.filter(pk=record.pk).update(created_at=record.ends_at + dt.timedelta(days=45))
    record.refresh_from_db()
    assert [f.reason for f in quality.check_meeting(record)] == ["late_record"]


def test_the_reviewer_sees_the_evidence_and_decides_and_other_branches_do_not_see_it(personas: Personas) -> None:
    original = meeting(personas.b1, BASE[1], code="themed_party_day", day=1)
    copy = meeting(personas.b2, _copy(BASE[1]), code="themed_party_day", day=5)
    quality.check_meeting(original)
    flag = next(f for f in quality.check_meeting(copy) if f.reason == "near_duplicate")
    staff = login("c1_staff")
    page = staff.get(f"/library/flags/{flag.pk}/").content.decode()
    assert 'id="similarity"' in page and "现场教学" in page and f"/meetings/{original.pk}/" in page
    # branch 1's officer sees neither branch 2's flag nor (in the list) anything of branch 2
    officer_b1 = login("officer_b1")
    assert officer_b1.get(f"/library/flags/{flag.pk}/").status_code == 404
    assert f"/library/flags/{flag.pk}/" not in officer_b1.get("/library/flags/").content.decode()
    # branch 2's officer sees the flag but may not decide
    officer_b2 = login("officer_b2")
    assert officer_b2.get(f"/library/flags/{flag.pk}/").status_code == 200
    assert officer_b2.post(f"/library/flags/{flag.pk}/decide/", {"status": "confirmed"}).status_code == 404
    # a dismissal needs a reason; a confirmation is recorded with the reviewer
    staff.post(f"/library/flags/{flag.pk}/decide/", {"status": "dismissed", "note": ""})
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    staff.post(f"/library/flags/{flag.pk}/decide/", {"status": "confirmed"})
    flag.refresh_from_db()
    assert flag.status == FlagStatus.CONFIRMED and flag.decided_by is not None and flag.decided_by.username == "c1_staff"
    # re-checking keeps the decided flag and adds no second one
    quality.check_meeting(copy)
    assert QualityFlag.objects.filter(meeting=copy, reason="near_duplicate").count() == 1


def test_the_checks_of_a_period_run_as_a_job_within_the_users_scope(personas: Personas) -> None:
    a = meeting(personas.b1, BASE[2], day=1)
    b = meeting(personas.b2, _copy(BASE[2]), day=2)
    c = meeting(personas.b3, _copy(BASE[2]), day=3)  # outside c1_staff's scope
    response = login("c1_staff").post("/library/flags/check/", {"start": "2026-01-01", "end": "2026-12-31"})
    assert response.status_code == 302
    assert QualityFlag.objects.filter(meeting=b, reason="near_duplicate", matched=a).exists()
    assert not QualityFlag.objects.filter(meeting=c).exists()
    assert services.check_records(actor=personas.users["root_staff"],
                                  meetings=type(c).objects.filter(pk=c.pk)).flags >= 1
    assert QualityFlag.objects.filter(meeting=c, reason="near_duplicate").exists()


def test_a_confirmed_meeting_is_checked_after_commit(personas: Personas, django_capture_on_commit_callbacks: Any) -> None:
    from django.db import transaction

    from dangjian.meetings.signals import meeting_confirmed

    record = meeting(personas.b1, "学习了文件。", day=1)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        meeting_confirmed.send(actor=None, evidence=record, attendances=[])
    assert QualityFlag.objects.filter(meeting=record, reason="too_short").exists()
    assert timezone.now()


def test_a_record_checked_as_it_reads_now_is_not_checked_again(personas: Personas,
                                                               django_capture_on_commit_callbacks: Any,
                                                               django_assert_max_num_queries: Any) -> None:
    from django.db import transaction

    from dangjian.library import quality
    from dangjian.meetings.signals import meeting_confirmed

    record = meeting(personas.b1, "学习了文件。", day=1)
    assert not quality.already_checked(record)
    quality.check_meeting(record)
    assert quality.already_checked(record)
    QualityFlag.objects.filter(meeting=record).delete()
    # the library's receiver of the confirmation (other modules hear it too): the stored digest
    # and the names to normalise, no candidate search, no flags
    from dangjian.core.events import Occurrence
    from dangjian.library.receivers import check_confirmed_record

    with django_assert_max_num_queries(2):
        check_confirmed_record(Occurrence(meeting_confirmed, None, record, {"attendances": []}))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        meeting_confirmed.send(actor=None, evidence=record, attendances=[])
    assert not QualityFlag.objects.exists()  # unchanged minutes: skipped
    record.minutes = "学习了文件，讨论了三个问题。"
    assert not quality.already_checked(record)  # changed minutes: checked again
