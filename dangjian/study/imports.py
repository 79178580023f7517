"""Import of the question bank (题库) on the core import framework (docs/imports.md).

The columns are those party-affairs offices keep: 题型, 题目, 选项A-选项F, 答案, 标签, 难度, 出处,
解析 and the organization the bank belongs to; the export of the bank writes the same columns,
so a bank exported from one installation imports into another.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core.excel import Column
from dangjian.core.imports import CodeOrNameLookup, Importer, ImportField, Row
from dangjian.core.scoping import orgs_where
from dangjian.study.models import Difficulty, Question, QuestionKind

OPTION_LETTERS = "ABCDEF"
KIND_CHOICES = ((QuestionKind.SINGLE, "单选题"), (QuestionKind.MULTIPLE, "多选题"), (QuestionKind.JUDGE, "判断题"),
                (QuestionKind.FILL, "填空题"))
DIFFICULTY_CHOICES = ((str(Difficulty.EASY.value), "易"), (str(Difficulty.MEDIUM.value), "中"),
                      (str(Difficulty.HARD.value), "难"))
OPTION_HEADER = "选项"


def _option(index: int) -> Any:
    def get(q: Question) -> str:
        options = q.option_list
        return options[index] if index < len(options) else ""

    return get


def _label(choices: Any, value: Any) -> str:
    return next((label for v, label in choices if str(v) == str(value)), "")


EXPORT_COLUMNS = (
    Column("题型", lambda q: _label(KIND_CHOICES, q.kind), 8), Column("题目", "text", 50),
    *[Column(OPTION_HEADER + letter, _option(i), 20) for i, letter in enumerate(OPTION_LETTERS)],
    Column("答案", "answer", 10), Column("标签", "tags", 20),
    Column("难度", lambda q: _label(DIFFICULTY_CHOICES, q.difficulty), 6), Column("出处", "source", 24),
    Column("解析", "explanation", 30), Column("所属组织", "org__code", 12),
)


class QuestionImporter(Importer):
    """题库导入: one row per question, into organizations the user may add questions to."""

    kind = "questions"
    model = Question
    namespace = "study"
    name = "question"
    list_url_name = "study:question_list"
    sheet_name = "题库"
    notes = (_("Answer: the option letters (A, or ACD for multiple choice); T or F for true or false; accepted answers "
                "separated by | for fill-in."),)
    fields = (
        ImportField("kind", "题型", required=True, kind="choice", choices=KIND_CHOICES, example="单选题", width=8),
        ImportField("text", "题目", required=True, kind="text", max_length=2000, example="党的最高理想和最终目标是？",
                    width=40),
        *[ImportField(f"opt_{letter}", OPTION_HEADER + letter, kind="text", max_length=300,
                      example={"A": "实现共产主义", "B": "全面建成小康社会"}.get(letter, ""), width=18)
          for letter in OPTION_LETTERS],
        ImportField("answer", "答案", required=True, kind="text", max_length=200, example="A", width=8),
        ImportField("tags", "标签", kind="text", max_length=200, example="党章", width=14),
        ImportField("difficulty", "难度", kind="choice", choices=DIFFICULTY_CHOICES, example="中", width=6),
        ImportField("source", "出处", kind="text", max_length=200, example="《中国共产党章程》总纲", width=20),
        ImportField("explanation", "解析", kind="text", max_length=2000, example="", width=20),
        ImportField("org", "所属组织", required=True, kind="code", max_length=100, example="R", width=12,
                    help=_("The code or exact name of an organization you manage.")),
    )

    def prepare(self, rows: list[Row]) -> None:
        self.orgs = CodeOrNameLookup(orgs_where(self.user, "study", "add"), [r.values.get("org") or "" for r in rows])

    def check_row(self, row: Row) -> None:
        v = row.values
        org = None
        if v["org"]:
            org, why = self.orgs.find(v["org"])
            if org is None:
                self.problem(row, "org", gettext("Organization “%(value)s” was not found or is not one you manage.")
                             % {"value": v["org"][:60]})
        options = [v[f"opt_{letter}"] for letter in OPTION_LETTERS if v.get(f"opt_{letter}")]
        question = Question(org=org, kind=v["kind"] or "", text=v["text"] or "", options="\n".join(options),
                            answer=v["answer"] or "", tags=v["tags"] or "", source=v["source"] or "",
                            explanation=v["explanation"] or "",
                            difficulty=int(v["difficulty"]) if v["difficulty"] else Difficulty.MEDIUM)
        if v["kind"] and v["answer"]:
            try:
                question.clean()
            except ValidationError as exc:
                self.model_errors(row, exc, {"options": "opt_A"})
        if row.ok:
            row.instance = question
