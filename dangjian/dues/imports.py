"""Import of yearly dues bases from .xlsx: every row is validated first, with a Chinese
message per row; nothing is written unless every row is valid (then all in one transaction)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook

from dangjian.core.errors import RuleError
from dangjian.dues import rules, services
from dangjian.dues.choices import DuesKind
from dangjian.dues.models import DuesAssessment, FixedDuesAmount, PayItem

KIND_LABELS = {"在职": DuesKind.EMPLOYED, "离退休": DuesKind.RETIRED, "定额": DuesKind.FIXED, "辅警": DuesKind.AUXILIARY}
FIXED_HEADERS = ("警号", "姓名", "党费类别")
TAIL_HEADERS = ("定额类别", "定额金额", "备注")
MAX_ROWS = 5000


@dataclass
class ImportReport:
    rows: list[services.BaseImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    previews: list[tuple[services.BaseImportRow, Decimal]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


def template_headers() -> list[str]:
    items = [i.name for i in PayItem.objects.filter(is_active=True).order_by("order", "code")]
    return [*FIXED_HEADERS, *items, *TAIL_HEADERS]


def _money(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"“{value}”不是有效金额") from None
    if amount < 0:
        raise ValueError("金额不能为负数")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"金额“{value}”最多保留两位小数")
    return amount.quantize(Decimal("0.01"))


def parse(upload: Any, *, year: int, members: Any) -> ImportReport:
    """Validate a workbook. ``members``: the members the user may assess (their dues scope)."""
    report = ImportReport()
    try:
        wb = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  (any unreadable file is one clear error)
        report.errors.append((0, "无法读取该文件，请使用下载的模板（.xlsx）填写。"))
        return report
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, [])]
    items = {i.name: i for i in PayItem.objects.filter(is_active=True)}
    missing = [h for h in FIXED_HEADERS if h not in header]
    if missing:
        report.errors.append((1, f"缺少列：{'、'.join(missing)}"))
        return report
    unknown = [h for h in header if h and h not in items and h not in FIXED_HEADERS and h not in TAIL_HEADERS]
    if unknown:
        report.errors.append((1, f"未知的列：{'、'.join(unknown)}（工资项目名称须与系统中的一致）"))
        return report
    col = {h: i for i, h in enumerate(header) if h}
    fixed_by_name = {f.category: f for f in FixedDuesAmount.objects.filter(
        standard=rules.standard_in_force(dt.date(year, 12, 31)))}
    by_number = {m.police_number: m for m in members if m.police_number}
    assessed = set(DuesAssessment.objects.filter(year=year, member__in=list(by_number.values()))
                   .values_list("member_id", flat=True))
    seen: set[str] = set()
    for line, values in enumerate(rows, start=2):
        if line - 1 > MAX_ROWS:
            report.errors.append((line, f"一次最多导入{MAX_ROWS}行"))
            break
        cells = list(values) + [None] * (len(header) - len(values))

        def cell(name: str, cells: list[Any] = cells) -> Any:
            return cells[col[name]] if name in col else None

        if all(v is None or str(v).strip() == "" for v in cells):
            continue
        errors: list[str] = []
        number = str(cell("警号") or "").strip()
        name = str(cell("姓名") or "").strip()
        member = by_number.get(number)
        if not number:
            errors.append("警号为空")
        elif member is None:
            errors.append(f"警号{number}不存在或不在您管辖的组织内")
        elif name and member.name != name:
            errors.append(f"警号{number}对应的党员是{member.name}，与填写的姓名“{name}”不符")
        if number in seen:
            errors.append(f"警号{number}在文件中重复出现")
        seen.add(number)
        if member is not None and member.pk in assessed:
            errors.append(f"{member.name}{year}年已核定，年中重新核定请逐人办理")
        kind = KIND_LABELS.get(str(cell("党费类别") or "").strip())
        if kind is None:
            errors.append("党费类别须为“在职”“离退休”“定额”或“辅警”")
        components = []
        for header_name, item in items.items():
            if header_name not in col:
                continue
            try:
                amount = _money(cell(header_name))
            except ValueError as exc:
                errors.append(f"{header_name}：{exc}")
                continue
            if amount is not None:
                components.append(services.ComponentInput(item, amount))
        fixed = None
        fixed_amount = None
        if kind == DuesKind.FIXED:
            fixed = fixed_by_name.get(str(cell("定额类别") or "").strip())
            if fixed is None:
                errors.append(f"定额类别须为：{'、'.join(fixed_by_name)}")
            try:
                fixed_amount = _money(cell("定额金额"))
            except ValueError as exc:
                errors.append(f"定额金额：{exc}")
        elif kind is not None and not components:
            errors.append("未填写任何工资项目金额")
        row = None
        if not errors and member is not None and kind is not None:
            row = services.BaseImportRow(line, member, kind, tuple(components), fixed, fixed_amount,
                                         str(cell("备注") or "")[:200])
            try:
                base = rules.compute_base(
                    rules.BaseLine(c.item.name, c.amount, c.item.treatment) for c in components
                ).base if kind != DuesKind.FIXED else Decimal("0")
                computation, _aux = rules.compute_for_kind(
                    kind=kind, standard=rules.standard_in_force(dt.date(year, 1, 1)), base=base,
                    org=member.org, day=dt.date(year, 1, 1), fixed=fixed, fixed_amount=fixed_amount)
                report.previews.append((row, computation.amount))
            except RuleError as exc:
                errors.append(str(exc))
        if errors:
            report.errors.extend((line, msg) for msg in errors)
        elif row is not None:
            report.rows.append(row)
    if not report.rows and not report.errors:
        report.errors.append((2, "文件中没有数据行"))
    return report
