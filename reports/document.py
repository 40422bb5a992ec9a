"""The periodic report as a document model: its header, sections, tables and closing, in words.

One home for what the report says. The PDF (templates/reports/pdf/report.html through
reports/pdf.py) and the Word file (reports/docx.py) both lay out this model; neither writes a
sentence or a column title of its own. Built inside `translation.override("vi")`.
"""

import datetime
from dataclasses import asdict, dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from dialogues.documents import official_date
from obligations.compliance import Compliance, compliance, requirement

from .charts import Bar
from .figures import ReportFigures, half_up, report_figures
from .periods import period_label

# The page of Hướng dẫn 36-HD/VPTW, in millimetres: A4, margins top 20, bottom 20, left 30,
# right 15; a Times-like serif at 14pt.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGIN_TOP_MM, MARGIN_RIGHT_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM = 20, 15, 20, 30
FONT_SIZE_PT = 14


def day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def number(value) -> str:
    return str(intcomma(value))


def share(value) -> str:
    """A share to one decimal, rounded half up by figures.half_up (the one rounding)."""
    return str(floatformat(half_up(value), 1)) if value is not None else ""


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float | None = None  # None: takes what is left
    align: str = "left"  # left, centre, num (right)
    nowrap: bool = False  # dates, kept on one line


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]  # a cell may hold several lines, joined by "\n"
    total: tuple[str, ...] | None = None  # the bold last row; its label spans `total_span` cells
    total_span: int = 1
    small: bool = False  # the sessions' table, in a smaller size

    @property
    def cells(self) -> list[list[tuple[str, Column]]]:
        """Each row's cells, each with its column (for its alignment)."""
        return [list(zip(row, self.columns, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Block:
    """One piece of the body: kind is section, subsection, paragraph, dashes, note, table, chart."""

    kind: str
    text: str = ""
    items: tuple[tuple[Run, ...], ...] = ()  # the lines of a "dashes" list
    table: Table | None = None
    chart: str = ""  # "field" or "status": the chart's name (and the title it is drawn with)
    bars: tuple[Bar, ...] = ()  # what the chart draws: kept with the document when issued


@dataclass(frozen=True)
class ReportDocument:
    parent_body: str
    issuing_body: str
    number_line: str
    national: str
    date_line: str
    title: str
    subject: str
    blocks: tuple[Block, ...]
    recipients_title: str
    recipients: tuple[str, ...]
    signer_lines: tuple[str, ...]
    signer_name: str
    draft_mark: str = ""  # "DỰ THẢO" on a draft, "" once issued
    # The figures it was computed from; absent when the document is read back from an issued
    # report's stored content (nothing is computed again).
    figures: ReportFigures | None = field(default=None, repr=False, compare=False)

    @property
    def tables(self) -> list[Table]:
        return [block.table for block in self.blocks if block.table is not None]

    def as_data(self) -> dict:
        """The document as JSON-ready data, stored with the report when it is issued."""
        data = asdict(self)
        data.pop("figures")
        return data

    @classmethod
    def from_data(cls, data: dict) -> "ReportDocument":
        """The document as it was stored: laid out again, never computed again."""

        def table(value):
            if value is None:
                return None
            return Table(
                columns=tuple(Column(**column) for column in value["columns"]),
                rows=tuple(tuple(row) for row in value["rows"]),
                total=tuple(value["total"]) if value["total"] is not None else None,
                total_span=value["total_span"],
                small=value["small"],
            )

        blocks = tuple(
            Block(
                kind=block["kind"],
                text=block["text"],
                items=tuple(tuple(Run(**run) for run in item) for item in block["items"]),
                table=table(block["table"]),
                chart=block["chart"],
                bars=tuple(Bar(**bar) for bar in block["bars"]),
            )
            for block in data["blocks"]
        )
        simple = {
            name: data[name]
            for name in (
                "parent_body", "issuing_body", "number_line", "national", "date_line", "title",
                "subject", "recipients_title", "signer_name", "draft_mark",
            )
        }  # fmt: skip
        return cls(
            **simple,
            blocks=blocks,
            recipients=tuple(data["recipients"]),
            signer_lines=tuple(data["signer_lines"]),
        )


def _dashes(*lines: tuple[Run, ...]) -> Block:
    return Block("dashes", items=tuple(lines))


def _tally_table(rows, title: str, total: int) -> Table:
    return Table(
        columns=(
            Column(_("No."), 12, "centre"),
            Column(title),
            Column(_("Opinions"), 30, "num"),
            Column(_("Share (%)"), 30, "num"),
        ),
        rows=tuple(
            (str(index), row.label, number(row.count), share(row.percent) or "–")
            for index, row in enumerate(rows, 1)
        ),
        total=(_("Total"), number(total), "100" if total else "–"),
        total_span=2,
    )


def plan_citation(plans) -> str:
    """The plans a report is about, as its opening cites them: "Kế hoạch số 55-KH/HU ngày …"."""
    return "; ".join(
        _("Plan No. %(number)s dated %(date)s of %(body)s")
        % {"number": plan.number, "date": day(plan.issued_on), "body": plan.issuing_body}
        for plan in plans
    )


def generated_opening(figures: ReportFigures, unit_in_sentence: str, period: str, plans) -> str:
    values = {
        "unit": unit_in_sentence,
        "period": period,
        "start": day(figures.start),
        "end": day(figures.end),
    }
    if plans:
        return _(
            "Carrying out %(plans)s, the results of the direct contact and dialogue between the "
            "heads of the Party committees and governments and the residents of %(unit)s in "
            "%(period)s (from %(start)s to %(end)s), as recorded in the system, were as follows:"
        ) % {**values, "plans": plan_citation(plans)}
    return (
        _(
            "The direct contact and dialogue sessions between the heads of the Party "
            "committees and governments and the residents of %(unit)s in %(period)s (from "
            "%(start)s to %(end)s), as recorded in the system, were as follows:"
        )
        % values
    )


def _sessions_section(figures: ReportFigures, opening: str) -> list[Block]:
    blocks = [
        *(Block("paragraph", text) for text in _lines(opening)),
        Block("section", "I. " + _("Results of the sessions")),
    ]
    if not figures.sessions_held:
        # Nothing held: one sentence, not a list of zeros.
        blocks.append(Block("paragraph", _("No session was held in this period.")))
    else:
        blocks += [
            Block(
                "paragraph",
                _(
                    "%(count)s direct contact and dialogue sessions were held in the period, "
                    "of which:"
                )
                % {"count": figures.sessions_held},
            ),
            _dashes(
                *(
                    (
                        Run(
                            "- "
                            + _("%(level)s: %(count)s sessions;")
                            % {"level": level.label, "count": level.count}
                        ),
                    )
                    for level in figures.sessions_by_level
                )
            ),
            *_kinds_blocks(figures),
        ]
    if figures.sessions:
        blocks.append(
            Block(
                "paragraph",
                _("Residents attended %(residents)s times and cadres %(cadres)s times in all.")
                % {
                    "residents": number(figures.residents_total),
                    "cadres": number(figures.cadres_total),
                },
            )
        )
    blocks.append(Block("subsection", "1. " + _("Against the plans")))
    if figures.coverage:
        lines = []
        for line in figures.coverage:
            runs = [
                Run(f"- {line.label}: "),
                Run(line.headline, bold=True),
                Run(" (" + _("since the start of the plan period") + ")"),
            ]
            if line.uncovered:
                units = ", ".join(line.uncovered)
                runs.append(Run("; " + _("not yet held in: %(units)s") % {"units": units}))
            runs.append(Run("."))
            lines.append(tuple(runs))
        blocks.append(_dashes(*lines))
        blocks.append(
            Block(
                "note",
                _(
                    "A target is met when the sessions held from the start of its period up to "
                    "the end of the report's period reach the number required."
                ),
            )
        )
    else:
        blocks.append(Block("paragraph", _("No plan target falls within this period.")))
    if not figures.sessions:
        return blocks
    blocks.append(Block("subsection", "2. " + _("Sessions counted")))
    rows = []
    for index, row in enumerate(figures.sessions, 1):
        host = row.host
        if row.residents_of:
            units = ", ".join(row.residents_of)
            host += " (" + _("residents of %(units)s") % {"units": units} + ")"
        rows.append(
            (
                str(index),
                day(row.starts_at),
                host,
                row.venue,
                "\n".join(row.chairs) or "–",
                "–" if row.residents is None else number(row.residents),
                "–" if row.cadres is None else str(row.cadres),
                str(row.opinions),
            )
        )
    table = Table(
        columns=(
            Column(_("No."), 8, "centre"),
            Column(_("Date"), 20, "centre", nowrap=True),
            Column(_("Host unit"), 30),
            Column(_("Venue"), 30),
            Column(_("Chaired by"), 40),
            Column(_("Residents"), 13, "num"),
            Column(_("Cadres"), 12, "num"),
            Column(_("Opinions"), 12, "num"),
        ),
        rows=tuple(rows),
        total=(
            _("Total"),
            number(figures.residents_total),
            number(figures.cadres_total),
            number(figures.opinions),
        ),
        total_span=5,
        small=True,
    )
    blocks.append(Block("table", table=table))
    return blocks


def _kinds_blocks(figures: ReportFigures) -> list[Block]:
    """Each kind of activity counts separately: dialogue conferences, periodic and ad-hoc
    citizen receptions (and the 2019 kinds when the period has them)."""
    if not figures.sessions_by_kind:
        return []
    return [
        Block("paragraph", _("By kind of activity:")),
        _dashes(
            *(
                (Run("- " + _("%(kind)s: %(count)s;") % {"kind": line.label, "count": line.count}),)
                for line in figures.sessions_by_kind
            )
        ),
    ]


def _rules_section(rules: Compliance) -> list[Block]:
    """Each obligation in force in the period for the report's unit: required, done, behind
    (and, for a report above the units the rule binds, the units behind with their heads)."""
    blocks = [Block("subsection", "3. " + _("Against the rules in force"))]
    if not rules.has_rules:
        blocks.append(
            Block(
                "paragraph",
                _("No rule on citizen reception or dialogue was in force in this period."),
            )
        )
        return blocks
    if rules.quotas:
        rows, behind = [], []
        for index, line in enumerate(rules.quotas, 1):
            rows.append(
                (
                    str(index),
                    f"{line.rule.title} ({requirement(line.rule)})\n{line.rule.legal_basis}",
                    number(line.required),
                    number(line.done),
                    number(line.behind),
                )
            )
            if rules.unit is None or line.rule.level != rules.unit.level:
                for row in line.units_behind:
                    heads = ", ".join(row.heads)
                    text = _("%(unit)s: %(done)s/%(required)s, %(behind)s missing") % {
                        "unit": row.unit.full_name,
                        "done": row.done,
                        "required": row.required,
                        "behind": row.behind,
                    }
                    behind.append((Run(f"- {text}" + (f" ({heads})" if heads else "") + ";"),))
        blocks.append(
            Block(
                "table",
                table=Table(
                    columns=(
                        Column(_("No."), 10, "centre"),
                        Column(_("Rule")),
                        Column(_("Required"), 24, "num"),
                        Column(_("Done"), 24, "num"),
                        Column(_("Behind"), 24, "num"),
                    ),
                    rows=tuple(rows),
                ),
            )
        )
        if behind:
            blocks.append(Block("paragraph", _("Units behind:")))
            blocks.append(_dashes(*behind))
        blocks.append(
            Block(
                "note",
                _(
                    "A month (or year) counts as behind once it is over; days are counted in "
                    "each month on their own. Judged on %(day)s."
                )
                % {"day": day(rules.as_of)},
            )
        )
    if rules.deadlines:
        blocks.append(
            Block(
                "table",
                table=Table(
                    columns=(
                        Column(_("No."), 10, "centre"),
                        Column(_("Rule")),
                        Column(_("On time"), 20, "num"),
                        Column(_("Late"), 20, "num"),
                        Column(_("Past the deadline, not done"), 26, "num"),
                        Column(_("Still open"), 20, "num"),
                    ),
                    rows=tuple(
                        (
                            str(index),
                            f"{line.rule.title} ({requirement(line.rule)})\n"
                            f"{line.rule.legal_basis}",
                            number(line.on_time),
                            number(line.late),
                            number(line.overdue),
                            number(line.open),
                        )
                        for index, line in enumerate(rules.deadlines, 1)
                    ),
                ),
            )
        )
    return blocks


def _value(value, is_percent: bool) -> str:
    if value is None:
        return "–"
    return share(value) if is_percent else number(value)


def _raised_above(figures: ReportFigures) -> list[Block]:
    """The unit's residents at higher-level sessions, on their own lines."""
    above = figures.raised_above
    if above is None:
        return []
    tallies = above.tallies
    line = _(
        "In addition, at %(sessions)s sessions held at a higher level the residents of %(unit)s "
        "raised %(total)s opinions and proposals (not counted in the figures below): "
        "%(answered)s answered at the session, %(forwarded)s forwarded to the agencies "
        "responsible, of which %(resolved)s have been resolved."
    ) % {
        "sessions": number(above.sessions),
        "unit": figures.unit.in_sentence,
        "total": number(tallies.total),
        "answered": number(tallies.answered),
        "forwarded": number(tallies.forwarded),
        "resolved": number(tallies.resolved),
    }
    if tallies.duplicates:
        line += " " + _("%(count)s duplicate opinions are not counted.") % {
            "count": number(tallies.duplicates)
        }
    return [Block("paragraph", line)]


def generated_summary(figures: ReportFigures) -> str:
    if not figures.opinions:
        return _("No opinion or proposal was raised at the sessions of this period.")
    sentences = [_("At these sessions the residents raised %(total)s opinions and proposals.")]
    sentences[0] %= {"total": number(figures.opinions)}
    sentences.append(
        _("%(answered)s of them (%(share)s%%) were answered at the session.")
        % {"answered": number(figures.answered), "share": share(figures.answered_percent)}
    )
    if figures.forwarded:
        sentences.append(
            _(
                "%(forwarded)s were forwarded to the agencies responsible, of which %(resolved)s "
                "have been resolved, a resolution rate of %(rate)s%%."
            )
            % {
                "forwarded": number(figures.forwarded),
                "resolved": number(figures.resolved),
                "rate": share(figures.resolution_rate),
            }
        )
    if figures.duplicates:
        sentences.append(
            _("%(count)s duplicate opinions are not counted.")
            % {"count": number(figures.duplicates)}
        )
    return " ".join(sentences)


def _bars(tallies) -> tuple[Bar, ...]:
    return tuple(Bar(row.label, row.count, row.percent) for row in tallies)


def _opinions_section(figures: ReportFigures, summary: str) -> list[Block]:
    heading = Block("section", "II. " + _("Opinions and proposals of the residents"))
    summary_blocks = [Block("paragraph", text) for text in _lines(summary)]
    if not figures.opinions and not figures.overdue:
        # Nothing raised and nothing late: the summary says so; no tables or charts of zeros.
        return [heading, *summary_blocks, *_raised_above(figures)]
    answered = f"{number(figures.answered)}/{number(figures.opinions)}"
    resolved = f"{number(figures.resolved)}/{number(figures.forwarded)}"
    blocks = [
        heading,
        *summary_blocks,
        *_raised_above(figures),
        Block("subsection", "1. " + _("By field")),
        Block("table", table=_tally_table(figures.by_field, _("Field"), figures.opinions)),
        Block("chart", chart="field", bars=_bars(figures.by_field)),
        Block("subsection", "2. " + _("By status")),
        Block("table", table=_tally_table(figures.by_status, _("Status"), figures.opinions)),
        Block("chart", chart="status", bars=_bars(figures.by_status)),
        _dashes(
            (
                Run("- " + _("Answered at the session") + ": "),
                Run(answered, bold=True),
                Run(
                    ""
                    if figures.answered_percent is None
                    else f" ({share(figures.answered_percent)}%)"
                ),
                Run(";"),
            ),
            (
                Run("- " + _("Resolved among those forwarded") + ": "),
                Run(resolved, bold=True),
                Run(
                    ""
                    if figures.resolution_rate is None
                    else f" ({share(figures.resolution_rate)}%)"
                ),
                Run("."),
            ),
        ),
        Block(
            "subsection",
            "3. " + _("Overdue opinions (as of %(day)s)") % {"day": day(figures.as_of)},
        ),
    ]
    if figures.overdue:
        blocks.append(
            Block(
                "paragraph",
                _(
                    "%(count)s opinions forwarded to an agency are past their deadline and not "
                    "yet answered:"
                )
                % {"count": len(figures.overdue)},
            )
        )
        table = Table(
            columns=(
                Column(_("Opinion code"), 30, "centre"),
                Column(_("Content")),
                Column(_("Agency"), 38),
                Column(_("Deadline"), 21, "centre", nowrap=True),
                Column(_("Days late"), 15, "num"),
            ),
            rows=tuple(
                (
                    row.code,
                    f"{row.content} ({row.unit})",
                    row.agency,
                    day(row.deadline),
                    str(row.days_late),
                )
                for row in figures.overdue
            ),
        )
        blocks.append(Block("table", table=table))
    else:
        blocks.append(Block("paragraph", _("No opinion is overdue.")))
    previous = figures.previous
    rows = []
    for change in previous.changes:
        if change.delta is None:
            delta = "–"
        else:
            sign = "+" if change.delta > 0 else ""
            delta = sign + _value(change.delta, change.is_percent)
        rows.append(
            (
                change.label,
                _value(change.current, change.is_percent),
                _value(change.previous, change.is_percent),
                delta,
            )
        )
    blocks += [
        Block("subsection", "4. " + _("Compared with %(period)s") % {"period": previous.label}),
        Block(
            "table",
            table=Table(
                columns=(
                    Column(_("Indicator")),
                    Column(_("This period"), 28, "num"),
                    Column(_("Previous period"), 28, "num"),
                    Column(_("Change"), 28, "num"),
                ),
                rows=tuple(rows),
            ),
        ),
        Block(
            "note",
            _(
                "Previous period: from %(start)s to %(end)s. Shares are compared in percentage "
                "points."
            )
            % {"start": day(previous.start), "end": day(previous.end)},
        ),
    ]
    return blocks


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _narrative(report, numeral: int) -> list[Block]:
    """Sections III–V: the assessment (strengths; shortcomings and causes), the tasks for the
    next period and the proposals. A section the staff left empty is left out."""
    blocks = []
    assessment = [
        (_("Strengths"), report.strengths),
        (_("Shortcomings and their causes"), report.shortcomings),
    ]
    parts = [(title, text) for title, text in assessment if text.strip()]
    if parts:
        blocks.append(Block("section", f"{ROMAN[numeral]}. " + _("General assessment")))
        numeral += 1
        for index, (title, text) in enumerate(parts, 1):
            blocks.append(Block("subsection", f"{index}. {title}"))
            blocks += [Block("paragraph", line) for line in _lines(text)]
    for title, text in [
        (_("Tasks for the next period"), report.tasks),
        (_("Proposals"), report.proposals),
    ]:
        if text.strip():
            blocks.append(Block("section", f"{ROMAN[numeral]}. {title}"))
            numeral += 1
            blocks += [Block("paragraph", line) for line in _lines(text)]
    return blocks


def report_plans(report):
    """The plans the report is about: of its unit, the units above and below it (and those it
    succeeded), whose period overlaps the report's."""
    from dialogues.models import Plan

    return list(
        Plan.objects.concerning(report.unit)
        .filter(period_start__lte=report.end, period_end__gte=report.start)
        .order_by("issued_on", "pk")
    )


def generated_paragraphs(report, figures=None) -> dict[str, str]:
    """The two paragraphs the staff may rewrite, as the figures word them today."""
    figures = figures or report_figures(
        unit=report.unit, start=report.start, end=report.end, kind=report.period_kind
    )
    period = period_label(report.period_kind, report.year, report.quarter, report.start, report.end)
    return {
        "opening": generated_opening(
            figures, report.unit.in_sentence, period, report_plans(report)
        ),
        "summary": generated_summary(figures),
    }


def report_document(*, report, letterhead) -> ReportDocument:
    """The report's document model, from its parameters and the records as they are now.

    A draft has no number, date or signer's name yet; it is marked DỰ THẢO and headed and signed
    as its unit's letterhead says. An issued report is read back from what was stored
    (`document_for`), not built here.
    """
    # Imported here: reports.pdf imports this module.
    from .models import signature_lines
    from .pdf import report_number_suffix, succession_notes

    figures = report_figures(
        unit=report.unit, start=report.start, end=report.end, kind=report.period_kind
    )
    period = period_label(report.period_kind, report.year, report.quarter, report.start, report.end)
    generated = generated_paragraphs(report, figures)
    blocks = _sessions_section(figures, report.opening or generated["opening"])
    blocks += _rules_section(compliance(unit=report.unit, start=report.start, end=report.end))
    # Whose records the figures before a reorganisation include, under the opening paragraph.
    opening_length = len(_lines(report.opening or generated["opening"]))
    blocks[opening_length:opening_length] = [
        Block("paragraph", note) for note in succession_notes(report.unit, report.start)
    ]
    blocks += _opinions_section(figures, report.summary or generated["summary"])
    blocks += _narrative(report, numeral=2)
    if report.replaces_id:
        replaced = report.replaces
        blocks.insert(
            0,
            Block(
                "paragraph",
                _("This report replaces Report No. %(number)s dated %(date)s.")
                % {"number": replaced.number, "date": day(replaced.report_date)},
            ),
        )
    if report.is_draft:
        number_line = _("No. %(number)s") % {"number": "…" + report_number_suffix(letterhead)}
        date_line = _("%(place)s, day … month … year …") % {"place": letterhead.place}
        signer_lines = signature_lines(
            letterhead.signing, letterhead.signer_authority, letterhead.signer_title
        )
        signer_name, recipients = letterhead.signer_name, letterhead.recipient_lines
        draft_mark = _("DRAFT")
    else:
        number_line = _("No. %(number)s") % {"number": report.number}
        date = official_date(report.report_date)
        date_line = _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
            "place": report.place, **date
        }  # fmt: skip
        signer_lines, signer_name = report.signer_lines, report.signer_name
        recipients, draft_mark = report.recipient_lines, ""
    return ReportDocument(
        parent_body=letterhead.parent_body.upper(),
        issuing_body=letterhead.issuing_body.upper(),
        number_line=number_line,
        national=_("COMMUNIST PARTY OF VIET NAM"),
        date_line=date_line,
        title=_("REPORT"),
        subject=_(
            "Results of the direct contact and dialogue between the heads of the Party "
            "committees and governments and the residents in %(period)s"
        )
        % {"period": period},
        blocks=tuple(blocks),
        recipients_title=_("Recipients:"),
        recipients=tuple(recipients),
        signer_lines=signer_lines,
        signer_name=signer_name,
        draft_mark=draft_mark,
        figures=figures,
    )


def document_for(report) -> ReportDocument:
    """What the report says: its stored content once issued, else computed now (in Vietnamese)."""
    from django.utils import translation

    from .pdf import letterhead_for

    if report.content:
        return ReportDocument.from_data(report.content)
    with translation.override("vi"):
        return report_document(report=report, letterhead=letterhead_for(report.unit))
