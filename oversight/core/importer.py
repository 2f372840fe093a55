"""One importer for every Excel (or CSV) import: columns, a form per row, all or nothing.

An import is a subclass of `Importer` that names its columns, a row form and how valid rows are
written. The base class does the rest, the same way for every import:

- reads the first sheet (or a CSV in UTF-8 or GBK when `allow_csv`), header row first, blank rows
  skipped, and refuses a file that lacks a required column;
- validates every row with the row form (`RowForm`), whose fields carry the Excel headers as
  labels, so every error names its row and its column; then the checks across rows (`unique`
  columns, and `check_rows` for anything else);
- writes nothing unless every row is valid (`ImportFailed` with the errors by row and column);
- `run(dry_run=True)` writes inside a transaction and rolls it back, so a preview shows exactly
  what the real import will do, including the services' own checks;
- `template_bytes()` is the download template: the headers and one example row.

Imports that take very large files (cases) may override `clean_row` with a hand-written check
over lookups loaded once in `prepare`, instead of a form per row; the contract is the same.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from .context import require_actor
from .excel import MAX_IMPORT_BYTES, ImportFailed, RowError, cell_date, read_sheet, yes_no


@dataclass(frozen=True)
class ImportColumn:
    """A column of an import sheet: its Excel header, the row form's field, an example value."""

    header: str
    field: str
    required: bool = False  # the column must be in the header row (a value may still be optional)
    example: Any = ""
    masked: bool = False  # shown masked in the preview (ID numbers)


@dataclass
class ValidRow:
    number: int
    data: dict[str, Any]  # the cleaned values, by field
    raw: dict[str, Any] = field(default_factory=dict)  # the cells as read, by field


@dataclass
class ImportResult:
    """What an import did (or, for a dry run, would do)."""

    rows: list[ValidRow]
    summary: str
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False


# -- fields for spreadsheet cells -----------------------------------------------------------------
class CellTextField(forms.CharField):
    """Text from a cell: numbers and dates typed into a text column are read as their text."""

    def to_python(self, value: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super().to_python(value)


class CellDateField(forms.DateField):
    """A date cell, or text such as 2024-06-01, 2024/6/1, 2024.6.1 or 2024年6月1日."""

    default_error_messages = {"invalid": "“%(value)s”应为日期,如 2024-06-01"}

    def to_python(self, value: Any):
        if value in self.empty_values:
            return None
        try:
            return cell_date(value)
        except (ValueError, TypeError, IndexError) as exc:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from exc


class YesNoField(forms.Field):
    """是/否, Y/N, 1/0 or TRUE/FALSE; an empty cell is `default`."""

    def __init__(self, *, default: bool = False, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.default = default

    def to_python(self, value: Any) -> bool:
        try:
            return yes_no(value, default=self.default)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


class LabelChoiceField(forms.Field):
    """A choice written as its Chinese label (or an accepted alias); cleaned to the stored value."""

    def __init__(self, *, choices, aliases: dict[str, str] | None = None, default=None, **kwargs):
        super().__init__(**kwargs)
        self.by_label = {str(label): value for value, label in choices} | (aliases or {})
        self.default = default

    def to_python(self, value: Any):
        text = "" if value is None else str(value).strip()
        if not text:
            return self.default
        if text not in self.by_label:
            labels = "、".join(dict.fromkeys(self.by_label))
            raise ValidationError(f"“{text}”无效,应为:{labels}", code="invalid")
        return self.by_label[text]


class RowForm(forms.Form):
    """The form of one row. `importer` is the running import (its user and lookups)."""

    def __init__(self, data: dict[str, Any], *, importer: Importer):
        self.importer = importer
        super().__init__(data=data)
        for f in self.fields.values():
            f.error_messages["required"] = f"{f.label}不能为空"


# -- the importer --------------------------------------------------------------------------------
class Importer:
    """Subclasses set `title`, `columns`, `row_form` (or override `clean_row`) and `write`."""

    title: ClassVar[str]  # what is imported, e.g. "执法人员"
    capability: ClassVar[str]
    columns: ClassVar[Sequence[ImportColumn]]
    row_form: ClassVar[type[RowForm] | None] = None
    unique: ClassVar[Sequence[Sequence[str]]] = ()  # field tuples that may appear once per file
    allow_csv: ClassVar[bool] = False
    help: ClassVar[str] = ""  # what the import does, shown on its page

    def __init__(self, *, user):
        require_actor(user)
        self.user = user

    # -- hooks -------------------------------------------------------------------------------
    def prepare(self, rows: list[tuple[int, dict[str, Any]]]) -> None:
        """Load what the row checks look up, once for the file."""

    def clean_row(self, number: int, values: dict[str, Any]) -> tuple[dict, list[RowError]]:
        form = self.row_form(values, importer=self)  # type: ignore[misc]
        if form.is_valid():
            return form.cleaned_data, []
        errors = []
        labels = {c.field: c.header for c in self.columns}
        for name, messages in form.errors.items():
            column = labels.get(name, "")
            errors.extend(RowError(number, m, column) for m in messages)
        return {}, errors

    def check_rows(self, rows: list[ValidRow]) -> list[RowError]:
        """Checks across rows (beyond `unique`); the rows given are the individually valid ones."""
        return []

    def write(self, rows: list[ValidRow]) -> dict[str, int]:
        """Write the valid rows through the app's services; return counts for the summary."""
        raise NotImplementedError

    def describe(self, counts: dict[str, int]) -> str:
        """The summary of what was (or, in a preview, would be) written, in Chinese."""
        return f"写入 {self.written} 行"

    # -- the contract ------------------------------------------------------------------------
    def read(self, upload, filename: str = "") -> list[tuple[int, dict[str, Any]]]:
        required = [c.header for c in self.columns if c.required]
        if self.allow_csv and filename.lower().endswith(".csv"):
            rows = _read_csv(upload, headers=self.headers_of(), required=required)
        else:
            rows = read_sheet(upload, headers=self.headers_of(), required=required)
        if not rows:
            raise ValidationError("工作簿中没有数据行:第 1 行为表头,数据从第 2 行开始。")
        by_header = {c.header: c.field for c in self.columns}
        return [(n, {by_header[h]: v for h, v in values.items()}) for n, values in rows]

    def validate(self, upload, filename: str = "") -> list[ValidRow]:
        raw = self.read(upload, filename)
        self.prepare(raw)
        errors: list[RowError] = []
        valid: list[ValidRow] = []
        for number, values in raw:
            data, row_errors = self.clean_row(number, values)
            if row_errors:
                errors.extend(row_errors)
            else:
                valid.append(ValidRow(number, data, values))
        errors.extend(self._duplicates(valid))
        errors.extend(self.check_rows(valid))
        if errors:
            raise ImportFailed(sorted(errors, key=lambda e: e.row))
        return valid

    def _duplicates(self, rows: list[ValidRow]) -> list[RowError]:
        labels = {c.field: c.header for c in self.columns}
        errors = []
        for fields in self.unique:
            seen: dict[tuple, int] = {}
            for row in rows:
                key = tuple(row.data.get(f) for f in fields)
                if any(k in (None, "") for k in key):
                    continue
                if key in seen:
                    names = "、".join(labels.get(f, f) for f in fields)
                    errors.append(
                        RowError(row.number, f"{names}与第 {seen[key]} 行重复", labels[fields[0]])
                    )
                else:
                    seen[key] = row.number
        return errors

    def run(
        self, upload, filename: str = "", *, dry_run: bool = False, progress=None
    ) -> ImportResult:
        """Validate every row, then write them all in one transaction (rolled back for a dry run).

        A service refusing a row while writing (a rule checked only there) is reported against
        that row, and nothing is written. `progress(done, total)` hears of it as it goes (the
        rows read, then the rows written: total is twice the rows).
        """
        with transaction.atomic():
            rows = self.validate(upload, filename)
            self.written = len(rows)
            if progress is not None:
                progress(len(rows), 2 * len(rows), force=True)
            counts = self.write(rows)
            if progress is not None:
                progress(2 * len(rows), 2 * len(rows), force=True)
            if dry_run:
                transaction.set_rollback(True)
        return ImportResult(
            rows=rows, summary=self.describe(counts), counts=counts, dry_run=dry_run
        )

    @classmethod
    def template_bytes(cls) -> bytes:
        from .excel import workbook_bytes

        return workbook_bytes([(cls.title, cls.headers_of(), [[c.example for c in cls.columns]])])

    @classmethod
    def headers_of(cls) -> list[str]:
        return [c.header for c in cls.columns]


def row_failed(number: int, exc: Exception) -> ImportFailed:
    """A service's refusal while writing row `number`, as an import error for that row."""
    text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return ImportFailed([RowError(number, text)])


def _read_csv(upload, *, headers: Sequence[str], required: Sequence[str]):
    data = upload.read()
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(f"文件超过 {MAX_IMPORT_BYTES // 1024 // 1024} MB,请拆分后分批导入。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError("无法识别 CSV 文件的编码:请另存为 UTF-8 或 GBK。")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    missing = [h for h in required if h not in header]
    if missing:
        raise ValidationError(f"表头缺少列:{'、'.join(missing)}。请使用导入模板。")
    index = {h: header.index(h) for h in headers if h in header}
    rows = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        rows.append(
            (number, {h: (row[i].strip() if i < len(row) else "") for h, i in index.items()})
        )
    return rows
