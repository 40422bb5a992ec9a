"""Opinions of a session from an Excel file: the template to fill in, and reading it back.

Every row is checked by OpinionRowForm, the entry form's own row, so an imported opinion meets
exactly the rules of a typed one. Nothing is saved unless every row is valid. Names in the file
(field, kind, outcome, hamlet, agency) are matched ignoring case and diacritics, against lists
loaded once per file.
"""

import datetime
import io
import logging
import re
import time
import zipfile
from collections import defaultdict
from dataclasses import dataclass

import openpyxl
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.datavalidation import DataValidation

from config.exports import as_typed, neutralise

from .forms import OUTCOMES, OpinionRowForm
from .models import Field, OpinionKind
from .selectors import agencies_for, agencies_for_session
from .services import Outcome, opinion_record
from .text import fold

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
# A 5 MB zip can unpack to gigabytes; a real sheet of 1,000 opinions stays far below this.
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_ROWS = 1000
# Whatever the file claims, reading it stops at this many cells (blank ones included: a file of
# empty rows is not free to read), at the template's columns and a few of the user's own beside
# them, and after this many seconds.
MAX_CELLS = 50 * MAX_ROWS
MAX_COLUMNS = 50
MAX_READ_SECONDS = 10
# The header may sit below a title the user added above it.
HEADER_SEARCH_ROWS = 10
# Rows of the template's data sheet that carry the drop-down lists.
TEMPLATE_ROWS = MAX_ROWS

DATA_SHEET = "Ý kiến"
HELP_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"


@dataclass(frozen=True)
class Column:
    key: str  # the OpinionRowForm field
    header: str  # as written in the template; the file's format, so not translated
    width: int
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("field", "Lĩnh vực", 24, required=True),
    Column("kind", "Loại", 14),
    Column("content", "Nội dung", 60, required=True, aliases=("Nội dung ý kiến",)),
    Column("raised_by", "Người phản ánh", 24, aliases=("Người nêu ý kiến", "Họ tên")),
    Column("hamlet", "Thôn/tổ dân phố", 22, aliases=("Thôn", "Tổ dân phố", "Thôn, tổ dân phố")),
    Column("outcome", "Kết quả", 28),
    Column("session_answer", "Nội dung trả lời tại hội nghị", 50, aliases=("Nội dung trả lời",)),
    Column("answered_by", "Người trả lời", 24),
    Column("agency", "Cơ quan được chuyển", 34, aliases=("Cơ quan", "Cơ quan chức năng")),
    Column("deadline", "Hạn trả lời (dd/mm/yyyy)", 20, aliases=("Hạn trả lời",)),
    # Last, so files made from the template before they were added keep their columns' letters.
    Column("phone", "Số điện thoại", 16, aliases=("Điện thoại", "SĐT")),
    Column("address", "Địa chỉ", 30),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}

# The labels the issue names, accepted whatever the catalogue says, so files filled in from an
# older template still import.
KIND_ALIASES = {
    "Ý kiến": OpinionKind.OPINION,
    "Kiến nghị": OpinionKind.PROPOSAL,
    "Phản ánh": OpinionKind.REPORT,
}
OUTCOME_ALIASES = {
    "Chưa xử lý": Outcome.PENDING,
    "Trả lời tại hội nghị": Outcome.ANSWERED,
    "Chuyển cơ quan chức năng": Outcome.FORWARDED,
}

_PARENTHESES = re.compile(r"\(.*?\)")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def header_key(text) -> str:
    """'Hạn trả lời (dd/mm/yyyy)', 'han tra loi' and 'HẠN TRẢ LỜI:' share one key."""
    folded = fold(_PARENTHESES.sub(" ", str(text or "")))
    return _NOT_WORD.sub(" ", folded).strip()


HEADER_KEYS = {
    header_key(name): column for column in COLUMNS for name in (column.header, *column.aliases)
}


def _max_rows() -> str:
    """1.000 in Vietnamese, 1,000 in English."""
    return number_format(MAX_ROWS, force_grouping=True)


def name_key(text) -> str:
    return fold(str(text or ""))


# --- the template -----------------------------------------------------------------------------


def kind_labels() -> list[str]:
    with translation.override("vi"):
        return [str(label) for _value, label in OpinionKind.choices]


def outcome_labels() -> list[str]:
    with translation.override("vi"):
        return [str(label) for _value, label in OUTCOMES]


def hamlet_choices(session) -> list[str]:
    """The hamlets of the session's communes, with the commune when a name is not unique."""
    hamlets = list(OpinionRowForm(session=session).fields["hamlet"].queryset)
    counts = defaultdict(int)
    for hamlet in hamlets:
        counts[name_key(hamlet.name)] += 1
    return [
        f"{hamlet.name} ({hamlet.commune.name})"
        if counts[name_key(hamlet.name)] > 1
        else hamlet.name
        for hamlet in hamlets
    ]


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")


def template_xlsx(*, user, session=None) -> bytes:
    """The workbook to fill in: the data sheet with drop-downs, the instructions, the lists."""
    fields = list(Field.objects.filter(is_active=True).values_list("name", flat=True))
    agencies = agencies_for_session(session) if session is not None else agencies_for(user)
    agencies = list(agencies.values_list("name", flat=True))
    hamlets = hamlet_choices(session) if session is not None else []
    kinds = kind_labels()
    outcomes = outcome_labels()

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    sheet.append([column.header for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"

    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    # Hamlets and agencies typed by hand (a short name, "Thôn Đông (Dũng Nghĩa)") are accepted
    # too: warn, do not refuse.
    choice_lists = [
        ("field", fields, "stop"),
        ("kind", kinds, "stop"),
        ("outcome", outcomes, "stop"),
        ("agency", agencies, "warning"),
        ("hamlet", hamlets, "warning"),
    ]
    with translation.override("vi"):
        error_text = gettext("Choose a value from the list.")
    keys = [column.key for column in COLUMNS]
    for list_index, (key, values, style) in enumerate(choice_lists, start=1):
        letter = get_column_letter(list_index)
        title = COLUMN_BY_KEY[key].header
        lists.cell(row=1, column=list_index, value=title).font = HEADER_FONT
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=list_index, value=neutralise(value))
        lists.column_dimensions[letter].width = 40
        if not values:
            continue
        source = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        validation = DataValidation(
            type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=True,
            errorStyle=style, error=error_text,
        )  # fmt: skip
        target = get_column_letter(keys.index(key) + 1)
        validation.add(f"{target}2:{target}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)

    # An example deadline the import accepts: after the session.
    deadline = session.start_date + datetime.timedelta(days=45) if session else None
    _write_instructions(
        workbook.create_sheet(HELP_SHEET), fields, kinds, outcomes, agencies, hamlets, deadline
    )
    workbook.move_sheet(HELP_SHEET, offset=-1)  # before the hidden lists
    workbook.active = 0

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _write_instructions(sheet, fields, kinds, outcomes, agencies, hamlets, deadline):
    headers = {column.key: column.header for column in COLUMNS}
    pending, answered, forwarded = outcomes
    with translation.override("vi"):
        lines = [
            gettext("How to fill in the opinions file"),
            gettext(
                "Enter one opinion per row on the sheet “%(sheet)s”, from row 2 on. Keep the "
                "header row: the columns are recognised by their names."
            )
            % {"sheet": DATA_SHEET},
            gettext(
                "Required columns: %(columns)s. The other columns may be left empty or deleted, "
                "and the columns may be put in any order."
            )
            % {"columns": ", ".join(c.header for c in COLUMNS if c.required)},
            gettext(
                "%(field)s, %(kind)s, %(outcome)s and %(agency)s: choose from the drop-down list."
            )
            % {k: headers[k] for k in ("field", "kind", "outcome", "agency")},
            gettext("%(outcome)s “%(label)s”: the opinion is still to be handled.")
            % {"outcome": headers["outcome"], "label": pending},
            gettext("%(outcome)s “%(label)s”: also fill in %(answer)s and, if known, %(by)s.")
            % {
                "outcome": headers["outcome"],
                "label": answered,
                "answer": headers["session_answer"],
                "by": headers["answered_by"],
            },
            gettext(
                "%(outcome)s “%(label)s”: also fill in %(agency)s. %(deadline)s may be left "
                "empty: it is then counted in working days from the session."
            )
            % {
                "outcome": headers["outcome"],
                "label": forwarded,
                "agency": headers["agency"],
                "deadline": headers["deadline"],
            },
            gettext(
                "%(outcome)s left empty: forwarded if an agency is given, answered at the "
                "session if an answer is given, otherwise still to be handled."
            )
            % {"outcome": headers["outcome"]},
            gettext(
                "%(hamlet)s: the name of a hamlet or residential group of a commune attending "
                "the session. An agency may also be written by its short name."
            )
            % {"hamlet": headers["hamlet"]},
            gettext("Dates are written dd/mm/yyyy, for example 20/05/2019."),
            gettext("Empty rows are skipped. A file holds at most %(rows)s opinions and %(mb)s MB.")
            % {"rows": _max_rows(), "mb": MAX_BYTES // 1024 // 1024},
            gettext(
                "If any row has an error, nothing is imported: the page lists every error by "
                "row and column. Correct the file and upload it again."
            ),
            "",
            gettext("Two examples (do not copy them into the sheet “%(sheet)s”):")
            % {"sheet": DATA_SHEET},
        ]
        examples = [
            {
                "field": fields[0] if fields else "",
                "kind": kinds[1],
                "content": gettext(
                    "Please speed up the land use right certificates for the households of "
                    "the hamlet whose land was measured in 2018."
                ),
                "raised_by": "Nguyễn Văn Thử",
                "phone": "0912 345 678",
                "address": "Thôn Đông",
                "hamlet": hamlets[0] if hamlets else "Thôn Đông",
                "outcome": forwarded,
                # The land office, for a land question, when the list has it.
                "agency": next((a for a in agencies if "tai nguyen" in fold(a)), "")
                or (agencies[0] if agencies else ""),
                "deadline": f"{deadline:%d/%m/%Y}" if deadline else "30/06/2019",
            },
            {
                "field": fields[2] if len(fields) > 2 else (fields[0] if fields else ""),
                "kind": kinds[0],
                "content": gettext("The road through the hamlet is badly damaged."),
                "outcome": answered,
                "session_answer": gettext(
                    "The commune will repair the road in the third quarter with its own budget."
                ),
                "answered_by": gettext("Chairman of the commune People's Committee"),
            },
        ]
    for line in lines:
        sheet.append([line])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    header_row = sheet.max_row + 1
    sheet.append([column.header for column in COLUMNS])
    for example in examples:
        sheet.append([neutralise(example.get(column.key, "")) for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        for row in range(header_row + 1, header_row + 1 + len(examples)):
            sheet.cell(row=row, column=index).alignment = WRAP


# --- reading a file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int  # as numbered in Excel
    column: str  # the header as written in the file
    message: str


@dataclass
class ReadResult:
    rows: list[tuple[int, dict]]  # Excel row number, OpinionRowForm.cleaned_data
    errors: list[RowError]


def check_package(upload) -> None:
    """A .xlsx is a zip holding [Content_Types].xml and a workbook; say clearly when it is not."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            gettext("The file is %(size)s MB; at most %(max)s MB is accepted.")
            % {"size": round(upload.size / 1024 / 1024, 1), "max": MAX_BYTES // 1024 // 1024},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(
            gettext(
                "This is an Excel 97–2003 (.xls) file. Open it in Excel, save it as "
                "“Excel Workbook (.xlsx)” and upload it again."
            ),
            code="old_excel",
        )
    not_excel = ValidationError(
        gettext("This file is not an Excel .xlsx workbook. Fill in the template and upload it."),
        code="not_excel",
    )
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise not_excel from error
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_excel
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(
            gettext("The workbook is too large once unpacked. Keep only the opinions sheet."),
            code="too_large",
        )


def _is_blank(values) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _too_large() -> ValidationError:
    return ValidationError(
        gettext(
            "The file has more than %(max)s opinions. Split it into several files "
            "of at most %(max)s rows."
        )
        % {"max": _max_rows()},
        code="too_many_rows",
    )


def _present_rows(workbook, sheet):
    """(Excel row number, values) for each row the sheet's XML holds, as openpyxl parses it.

    Read from openpyxl's parser, not `iter_rows`: that yields every row number up to the last
    one and every column up to the widest, so one cell at row 1,000,000,000,000 or in column
    XFD makes it produce millions of empty rows from a file of 2 KB. The work here is bounded by
    what is present, and by time.
    """
    deadline = time.monotonic() + MAX_READ_SECONDS
    cells_read = 0
    # The same parser, with the same arguments, as openpyxl's ReadOnlyWorksheet._cells_by_row.
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source, sheet._shared_strings, data_only=workbook.data_only, epoch=workbook.epoch,
            date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats,
        )  # fmt: skip
        for number, cells in parser.parse():
            cells_read += len(cells) + 1
            if cells_read > MAX_CELLS:
                raise _too_large()
            if time.monotonic() > deadline:
                raise ValidationError(
                    gettext(
                        "Reading the file took too long. Keep only the opinions sheet, with "
                        "at most %(max)s rows, and upload it again."
                    )
                    % {"max": _max_rows()},
                    code="too_slow",
                )
            present = [cell for cell in cells if cell["column"] <= MAX_COLUMNS]
            values = [None] * max((cell["column"] for cell in present), default=0)
            for cell in present:
                values[cell["column"] - 1] = cell["value"]
            yield number, values


def _read_rows(upload):
    """The header row and the non-empty data rows, each with its Excel row number."""
    upload.seek(0)
    workbook = openpyxl.load_workbook(upload, read_only=True, data_only=True)
    try:
        sheets = [
            ws for ws in workbook.worksheets if getattr(ws, "sheet_state", "visible") == "visible"
        ]
        sheet = next(
            (ws for ws in sheets if name_key(ws.title) == name_key(DATA_SHEET)),
            sheets[0] if sheets else workbook.worksheets[0],
        )
        header = None
        rows = []
        for number, values in _present_rows(workbook, sheet):
            if header is None:
                if any(header_key(value) in HEADER_KEYS for value in values if value):
                    header = (number, values)
                elif number >= HEADER_SEARCH_ROWS:
                    break
                continue
            if _is_blank(values):
                continue
            if len(rows) == MAX_ROWS:
                raise _too_large()
            rows.append((number, list(values)))
        return header, rows
    finally:
        workbook.close()


def _map_columns(header_cells) -> dict[str, tuple[int, str]]:
    """Form field → (index in the row, the header as the file writes it)."""
    mapping = {}
    for index, cell in enumerate(header_cells):
        column = HEADER_KEYS.get(header_key(cell)) if cell is not None else None
        if column is None:
            continue  # a column of the user's own, such as a row number
        written = str(cell).strip()
        if column.key in mapping:
            raise ValidationError(
                gettext("The columns “%(first)s” and “%(second)s” hold the same information.")
                % {"first": mapping[column.key][1], "second": written},
                code="duplicate_column",
            )
        mapping[column.key] = (index, written)
    missing = [c.header for c in COLUMNS if c.required and c.key not in mapping]
    if missing:
        raise ValidationError(
            gettext("The file has no column %(columns)s. Use the template's header row.")
            % {"columns": ", ".join(f"“{name}”" for name in missing)},
            code="missing_columns",
        )
    return mapping


class LoadedChoiceField(forms.ModelChoiceField):
    """A choice field of OpinionRowForm whose choices were loaded once for the whole file: the
    same queryset, evaluated once, instead of one query per row."""

    def __init__(self, *, objects, **kwargs):
        super().__init__(**kwargs)
        self.objects = objects

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.objects[int(value)]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class FileRowForm(OpinionRowForm):
    """OpinionRowForm, with every rule of it, for one row of a file."""

    def __init__(self, *args, loaded, **kwargs):
        super().__init__(*args, **kwargs)
        for name, objects in loaded.items():
            field = self.fields[name]
            self.fields[name] = LoadedChoiceField(
                objects=objects, queryset=field.queryset, required=field.required,
                label=field.label,
            )  # fmt: skip


class Lookups:
    """Names in the file → values for the form, loaded once from the form's own choices."""

    def __init__(self, session):
        probe = OpinionRowForm(session=session)
        self.loaded = {
            name: {obj.pk: obj for obj in probe.fields[name].queryset}
            for name in ("field", "hamlet", "agency")
        }
        self.fields = {name_key(f.name): f.pk for f in self.loaded["field"].values()}
        self.hamlets = defaultdict(set)
        for hamlet in self.loaded["hamlet"].values():
            self.hamlets[name_key(hamlet.name)].add(hamlet.pk)
            self.hamlets[name_key(f"{hamlet.name} ({hamlet.commune.name})")].add(hamlet.pk)
        self.agencies = defaultdict(set)
        for agency in self.loaded["agency"].values():
            self.agencies[name_key(agency.name)].add(agency.pk)
            if agency.short_name:
                self.agencies[name_key(agency.short_name)].add(agency.pk)
        self.kinds = self._labels(OpinionKind.choices, KIND_ALIASES)
        self.outcomes = self._labels(OUTCOMES, OUTCOME_ALIASES)

    @staticmethod
    def _labels(choices, aliases):
        """The Vietnamese and English labels, the stored values and the issue's own words."""
        labels = {name_key(value): value for value, _label in choices}
        for language in ("en", "vi"):
            with translation.override(language):
                labels.update({name_key(str(label)): value for value, label in choices})
        labels.update({name_key(label): value for label, value in aliases.items()})
        return labels


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return as_typed(str(value).strip())


def _deadline(value):
    """An Excel date cell as a date; text goes to the form, which reads dd/mm/yyyy."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return _text(value)


def _row_data(cells, lookups) -> tuple[dict, dict[str, str]]:
    """The form's data for one row, and the errors of names that match nothing."""
    text = {key: _text(cells.get(key)) for key in COLUMN_BY_KEY if key != "deadline"}
    data = {
        "content": text["content"],
        "raised_by": text["raised_by"],
        "phone": text["phone"],
        "address": text["address"],
        "session_answer": text["session_answer"],
        "answered_by": text["answered_by"],
        "deadline": _deadline(cells.get("deadline")),
    }
    errors = {}

    def look_up(key, table, unknown, ambiguous=None):
        written = text[key]
        if not written:
            data[key] = ""
            return
        found = table.get(name_key(written))
        if isinstance(found, set) and len(found) > 1:
            errors[key] = ambiguous % {"value": written}
            data[key] = ""
        elif found:
            data[key] = next(iter(found)) if isinstance(found, set) else found
        else:
            errors[key] = unknown % {"value": written}
            data[key] = ""

    look_up(
        "field",
        lookups.fields,
        gettext("No field is called “%(value)s”. Choose one from the list of the template."),
    )
    look_up(
        "hamlet",
        lookups.hamlets,
        gettext("No hamlet of the communes attending this session is called “%(value)s”."),
        gettext(
            "Several communes of this session have a hamlet called “%(value)s”: "
            "write it with its commune, for example “%(value)s (Commune name)”."
        ),
    )
    look_up(
        "agency",
        lookups.agencies,
        gettext("No agency this session's opinions can be forwarded to is called “%(value)s”."),
        gettext("Several agencies are called “%(value)s”: write the agency's full name."),
    )
    look_up("kind", lookups.kinds, gettext("“%(value)s” is not a kind; choose one from the list."))
    if not text["kind"]:
        data["kind"] = OpinionKind.OPINION
    look_up(
        "outcome",
        lookups.outcomes,
        gettext("“%(value)s” is not an outcome; choose one from the list."),
    )
    if not text["outcome"]:
        if text["agency"]:
            data["outcome"] = Outcome.FORWARDED
        elif text["session_answer"]:
            data["outcome"] = Outcome.ANSWERED
        else:
            data["outcome"] = Outcome.PENDING
    return data, errors


def read_opinions(upload, *, session) -> ReadResult:
    """Check the file and every row of it; raises ValidationError when the file itself is wrong."""
    check_package(upload)
    try:
        header, raw_rows = _read_rows(upload)
    except ValidationError:
        raise
    except Exception as error:
        # openpyxl fails in many ways on a damaged file; the user only needs to know it is one.
        logger.info("Unreadable opinion import %r", getattr(upload, "name", ""), exc_info=True)
        raise ValidationError(
            gettext(
                "The workbook could not be read; it may be damaged. Open it in Excel, save it "
                "again as .xlsx and upload it."
            ),
            code="unreadable",
        ) from error
    if header is None:
        raise ValidationError(
            gettext(
                "No header row was found. The first row must hold column names such as %(columns)s."
            )
            % {"columns": ", ".join(f"“{c.header}”" for c in COLUMNS if c.required)},
            code="no_header",
        )
    mapping = _map_columns(header[1])
    if not raw_rows:
        raise ValidationError(
            gettext("The file has no opinions: fill them in under the header row."), code="empty"
        )

    def column_name(key):
        return mapping[key][1] if key in mapping else COLUMN_BY_KEY[key].header

    lookups = Lookups(session)
    result = ReadResult(rows=[], errors=[])
    for number, values in raw_rows:
        cells = {
            key: values[index] if index < len(values) else None
            for key, (index, _written) in mapping.items()
        }
        data, errors = _row_data(cells, lookups)
        form = FileRowForm(data=data, session=session, loaded=lookups.loaded)
        valid = form.is_valid()
        for key, message in errors.items():
            result.errors.append(RowError(number, column_name(key), message))
        if valid and not errors:
            result.rows.append((number, form.cleaned_data))
            continue
        for key, messages in form.errors.items():
            if key in errors:
                continue  # already said more precisely
            column = column_name(key) if key in COLUMN_BY_KEY else "—"
            for message in messages:
                result.errors.append(RowError(number, column, message))
    return result


def opinions_import(*, session, by, rows: list[tuple[int, dict]]) -> int:
    """Create every row's opinion, or none of them."""
    with transaction.atomic():
        for _number, data in rows:
            opinion_record(session=session, by=by, data=data)
    return len(rows)


class OpinionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"), widget=forms.FileInput(attrs={"accept": ".xlsx"})
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.result = None
        self.fields["file"].help_text = gettext(
            "The filled-in template; at most %(rows)s opinions and %(mb)s MB."
        ) % {"rows": _max_rows(), "mb": MAX_BYTES // 1024 // 1024}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.result = read_opinions(upload, session=self.session)
        return upload
