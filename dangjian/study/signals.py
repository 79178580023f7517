"""What study announces to other modules (docs/events.md); the points ledger subscribes."""

from dangjian.core.events import Event

exam_passed = Event(
    "study.exam_passed", evidence="study.Attempt",
    doc="A member passed a test for the first time: the graded ``Attempt`` (``member``, ``exam``, ``percent``). "
        "Sent once per member and test, inside the submission's transaction.",
)
course_completed = Event(
    "study.course_completed", evidence="study.CourseCompletion",
    doc="A member completed every chapter of a course with enough visible-page time: the ``CourseCompletion``.",
)
