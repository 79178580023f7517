"""Models of the assessment module (the five responsibility lists, grading and the reviews)."""

from dangjian.assessment.models.lists import (
    BonusEntry,
    ItemEvaluation,
    PendingGrade,
    Project,
    ProjectReport,
    VetoCase,
)
from dangjian.assessment.models.results import GradeResult, ResultLine
from dangjian.assessment.models.reviews import (
    BallotCount,
    Disposal,
    MemberReview,
    MemberReviewRound,
    ReviewAttendee,
    ReviewReport,
    ReviewReportFile,
    ReviewRound,
)
from dangjian.assessment.models.rules import (
    DeductionRule,
    GradeLevel,
    GradeScheme,
    ListItem,
    ReviewOption,
    VetoRule,
)

__all__ = [
    "BallotCount", "BonusEntry", "DeductionRule", "Disposal", "GradeLevel", "GradeResult", "GradeScheme",
    "ItemEvaluation", "ListItem", "MemberReview", "MemberReviewRound", "PendingGrade", "Project", "ProjectReport",
    "ResultLine", "ReviewAttendee", "ReviewOption", "ReviewReport", "ReviewReportFile", "ReviewRound", "VetoCase",
    "VetoRule",
]
