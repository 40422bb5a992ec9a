"""The periodic report as an editable Word file, laid out as the PDF is.

The words come from the document model (reports/document.py), the same the PDF prints: this module
only lays them out with python-docx. A4 with the PDF's margins, Times New Roman 14pt (Liberation
Serif, its metric twin, where Word's font is missing, as in LibreOffice on Linux), the Party header
as a two-column table without borders, the data tables with borders, the signature block and "Nơi
nhận", page numbers from page 2. The charts are left to the PDF: they are drawings of the two
tables just above them.
"""

import io

from django.utils import translation
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .document import (
    FONT_SIZE_PT,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    Block,
    ReportDocument,
    Table,
    document_for,
)

FONT = "Times New Roman"
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
INDENT = Mm(10)
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "centre": WD_ALIGN_PARAGRAPH.CENTER}
ALIGN["num"] = WD_ALIGN_PARAGRAPH.RIGHT


def _set_font(style_or_run, size_pt: float | None = None) -> None:
    font = style_or_run.font
    font.name = FONT
    if size_pt is not None:
        font.size = Pt(size_pt)
    # Word picks the font per script: name it for every one, Vietnamese letters included.
    properties = style_or_run.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(script), FONT)


def _page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT_MM), Mm(MARGIN_RIGHT_MM)
    section.footer_distance = Mm(8)
    # Page numbers from page 2, centred, as the PDF has them.
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    footer._p.append(field)
    normal = document.styles["Normal"]
    _set_font(normal, FONT_SIZE_PT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _paragraph(container, text="", *, align="left", bold=False, italic=False, size=None, **layout):
    paragraph = container.add_paragraph()
    paragraph.alignment = ALIGN.get(align, align)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
    for name, value in layout.items():
        setattr(paragraph.paragraph_format, name, value)
    return paragraph


def _body_paragraph(document, text, **fmt):
    """A paragraph of the body as the PDF sets it: justified, its first line indented."""
    layout = {"first_line_indent": INDENT, "space_after": Pt(6), "line_spacing": 1.15, **fmt}
    return _paragraph(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, **layout)


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table, widths_mm) -> None:
    """Fixed column widths, in the grid (LibreOffice reads these) and in every cell (Word)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _narrow_padding(table) -> None:
    """Cells padded about as the PDF pads them (1–3pt), so that a date holds on one line."""
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "28")  # twentieths of a point
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _fill(cell, lines, *, align="centre", bold=False, italic=False, size=None, underline=False):
    """Lines added to a cell, one paragraph each (its own empty first paragraph used first)."""
    for text in lines:
        fresh = len(cell.paragraphs) == 1 and not cell.paragraphs[0].runs
        paragraph = cell.paragraphs[0] if fresh else cell.add_paragraph()
        paragraph.alignment = ALIGN[align]
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
        if size:
            run.font.size = Pt(size)


def _header(document, model: ReportDocument) -> None:
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    issuer, motto = table.rows[0].cells
    _fill(issuer, [model.parent_body])
    _fill(issuer, [model.issuing_body], bold=True)
    _fill(issuer, ["*", model.number_line])
    _fill(motto, [model.national], bold=True, underline=True, size=15)
    _fill(motto, [model.date_line], italic=True)
    motto.paragraphs[1].paragraph_format.space_before = Pt(6)
    _widths(table, [TEXT_WIDTH_MM * 0.42, TEXT_WIDTH_MM * 0.58])
    _paragraph(document, space_after=Mm(4))
    if model.draft_mark:
        _paragraph(document, model.draft_mark, align="centre", bold=True, size=15)
    _paragraph(document, model.title, align="centre", bold=True, size=16)
    _paragraph(document, model.subject, align="centre", bold=True, space_before=Pt(2))
    _paragraph(document, "-----", align="centre", space_after=Mm(6))


def _data_table(document, table: Table) -> None:
    size = 10.5 if table.small else 11
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _narrow_padding(grid)
    heading = grid.rows[0]
    # The heading row is repeated on every page the table runs over.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    heading._tr.get_or_add_trPr().append(repeat)
    for cell, column in zip(heading.cells, table.columns, strict=True):
        _fill(cell, [column.title], bold=True, size=10)
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, text, column in zip(cells, row, table.columns, strict=True):
            _fill(cell, text.split("\n"), align=column.align, size=size)
    if table.total:
        cells = grid.add_row().cells
        label = cells[0].merge(cells[table.total_span - 1]) if table.total_span > 1 else cells[0]
        _fill(label, [table.total[0]], align="left", bold=True, size=size)
        for cell, text in zip(cells[table.total_span :], table.total[1:], strict=True):
            _fill(cell, [text], align="num", bold=True, size=size)
    fixed = sum(column.width_mm or 0 for column in table.columns)
    flexible = [column for column in table.columns if not column.width_mm]
    rest = (TEXT_WIDTH_MM - fixed) / len(flexible) if flexible else 0
    _widths(grid, [column.width_mm or rest for column in table.columns])
    _paragraph(document, space_after=Pt(4))


def _block(document, block: Block, *, last=False) -> None:
    # The last paragraph is kept with the signature block that follows it (keep with next).
    if block.kind in ("section", "subsection"):
        _body_paragraph(document, block.text, bold=True, keep_with_next=True, space_before=Pt(8))
    elif block.kind == "paragraph":
        _body_paragraph(document, block.text, keep_with_next=last or None)
    elif block.kind == "note":
        _paragraph(document, block.text, italic=True, size=12, space_after=Pt(6))
    elif block.kind == "dashes":
        for item in block.items:
            paragraph = _body_paragraph(document, "", first_line_indent=None, left_indent=INDENT)
            paragraph.paragraph_format.space_after = Pt(2)
            for part in item:
                paragraph.add_run(part.text).bold = part.bold or None
    elif block.kind == "table":
        _data_table(document, block.table)


def _closing(document, model: ReportDocument) -> None:
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    recipients, signature = table.rows[0].cells
    _fill(recipients, [model.recipients_title], align="left", bold=True, italic=True, size=12)
    for line in model.recipients:
        recipients.add_paragraph().add_run(line).font.size = Pt(11)
    _fill(signature, model.signer_lines, bold=True)
    for _line in range(4):  # the space to sign in
        signature.add_paragraph()
    _fill(signature, [model.signer_name], bold=True)
    _widths(table, [TEXT_WIDTH_MM * 0.48, TEXT_WIDTH_MM * 0.52])
    # The closing row is never split over two pages, and its lines keep together.
    cant_split = OxmlElement("w:cantSplit")
    table.rows[0]._tr.get_or_add_trPr().append(cant_split)
    for cell in (recipients, signature):
        for paragraph in cell.paragraphs[:-1]:
            paragraph.paragraph_format.keep_with_next = True


def document_docx(model: ReportDocument) -> bytes:
    document = Document()
    _page(document)
    _header(document, model)
    last = len(model.blocks) - 1
    for index, block in enumerate(model.blocks):
        if block.kind == "section":
            block = Block("section", block.text.upper())
        _block(document, block, last=index == last)
    _closing(document, model)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def report_render_docx(*, report) -> bytes:
    """The report as a Word file: a draft from the records as they are now, an issued report
    from the document stored when it was issued."""
    with translation.override("vi"):
        return document_docx(document_for(report))
