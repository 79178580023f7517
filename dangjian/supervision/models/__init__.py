from dangjian.supervision.models.filings import (
    Filing,
    FilingAttachment,
    FilingItem,
    FilingRequirement,
    FilingRound,
    FilingSource,
    FilingStatus,
    Mistake,
)
from dangjian.supervision.models.inspection import (
    STAGE_ORDER,
    Accountability,
    AccountabilityKind,
    Area7,
    Clue,
    CoverageRule,
    Finding,
    Inspection,
    InspectionDeadlines,
    InspectionPlan,
    InspectionRectification,
    InspectionRound,
    RectificationEvidence,
    Stage,
    WorkingNote,
)

__all__ = [
    "STAGE_ORDER", "Accountability", "AccountabilityKind", "Area7", "Clue", "CoverageRule", "Filing",
    "FilingAttachment", "FilingItem", "FilingRequirement", "FilingRound", "FilingSource", "FilingStatus",
    "Finding", "Inspection", "InspectionDeadlines", "InspectionPlan", "InspectionRectification",
    "InspectionRound", "Mistake", "RectificationEvidence", "Stage", "WorkingNote",
]
