"""Word documents in the layout of Chinese official documents (党政机关公文格式, GB/T 9704-2012).

A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right; 发文机关标志 in red above a red rule;
文号; title in 2号 方正小标宋简体; body in 3号 仿宋_GB2312 with 2-character indents, 一级标题 in 黑体 and
二级标题 in 楷体_GB2312; fixed 28.95 pt lines (22 lines a page); page numbers "— 1 —" in 4号 宋体, odd
pages right and even pages left. Each Chinese font names a common fallback for machines without it.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
NUMBER_FONT = "宋体"
FALLBACKS = {
    TITLE_FONT: "华文中宋",
    BODY_FONT: "仿宋",
    SUBHEADING_FONT: "楷体",
    HEADING_FONT: "SimHei",
    NUMBER_FONT: "SimSun",
}

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_SMALL_4 = Pt(12)  # 小四, for tables
LINE = Pt(28.95)
RED = RGBColor(0xC0, 0x00, 0x00)


@dataclass
class Block:
    """A piece of the body: a paragraph, a heading (level 1 一、 or 2 (一)), or a table."""

    kind: str  # "p", "h1", "h2", "table"
    text: str = ""
    rows: Sequence[Sequence[str]] = ()
    header: Sequence[str] = ()
    widths_mm: Sequence[float] = ()


@dataclass
class OfficialDocument:
    issuer_mark: str  # 发文机关标志, e.g. 下陆区司法局
    title: str
    doc_number: str = ""
    addressees: str = ""
    blocks: list[Block] = field(default_factory=list)
    signature: str = ""
    date_text: str = ""


# Chinese text, and the full-width marks and quotes that stand in it.
_CJK = "\u3400-\u9fff\u3000-\u303f\uff01-\uff5e“”‘’《》、"
_MARKS = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_MARK_NEAR_CJK = re.compile(
    rf"(?<=[{_CJK}])[ \t]*([,;:?!()])[ \t]*|[ \t]*([,;:?!()])[ \t]*(?=[{_CJK}])"
)
_OPEN_BEFORE_CJK = re.compile(rf"\((?=[^()]*[{_CJK}][^()]*\))")
_CLOSE_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])([^()]*)\)")
_STOP_AFTER_CJK = re.compile(rf"(?<=[{_CJK}])\.(?=\s|$|[{_CJK}])")


def fullwidth_punctuation(text: str) -> str:
    """Half-width , ; : ? ! ( ) . in Chinese text as the full-width marks official documents use
    (GB/T 15834); marks between digits or Latin words (10:30, 1,000, 3.5, (a)) are left alone."""
    text = _OPEN_BEFORE_CJK.sub("（", text)
    text = _CLOSE_AFTER_CJK.sub(lambda m: m.group(1) + "）", text)
    text = _MARK_NEAR_CJK.sub(lambda m: _MARKS[m.group(1) or m.group(2)], text)
    text = re.sub(r"（([^（）]*)\)", r"（\1）", text)
    text = re.sub(r"[ \t]*([（），；：])[ \t]*", r"\1", text)
    return _STOP_AFTER_CJK.sub("。", text)


def _font(run, name: str, size, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = "Times New Roman"
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(
    doc,
    text="",
    *,
    font=BODY_FONT,
    size=SIZE_3,
    align=None,
    indent=True,
    bold=False,
    color=None,
    line=LINE,
):
    paragraph = doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)
    if align is not None:
        paragraph.alignment = align
    if text:
        _font(paragraph.add_run(fullwidth_punctuation(text)), font, size, bold=bold, color=color)
    return paragraph


def _bottom_rule(paragraph, color: str = "C00000", size: int = 12) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", str(size)),
        ("w:space", "4"),
        ("w:color", color),
    ):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_number(paragraph) -> None:
    """ "— N —" with a PAGE field in 4号 宋体."""
    _font(paragraph.add_run("— "), NUMBER_FONT, SIZE_4)
    run = paragraph.add_run()
    _font(run, NUMBER_FONT, SIZE_4)
    for tag, attrs in (
        ("w:fldChar", {"w:fldCharType": "begin"}),
        ("w:instrText", None),
        ("w:fldChar", {"w:fldCharType": "end"}),
    ):
        element = OxmlElement(tag)
        if attrs:
            for key, value in attrs.items():
                element.set(qn(key), value)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = " PAGE "
        run._r.append(element)
    _font(paragraph.add_run(" —"), NUMBER_FONT, SIZE_4)


def _font_fallbacks(document) -> None:
    """Name a common fallback (altName) for each Chinese font in the font table."""
    from lxml import etree

    part = next(
        (p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"),
        None,
    )
    if part is None:
        return
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, alt in FALLBACKS.items():
        font = etree.SubElement(root, f"{{{w}}}font")
        font.set(f"{{{w}}}name", name)
        alt_el = etree.SubElement(font, f"{{{w}}}altName")
        alt_el.set(f"{{{w}}}val", alt)
        charset = etree.SubElement(font, f"{{{w}}}charset")
        charset.set(f"{{{w}}}val", "86")  # GB2312
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _row_properties(row, *, header: bool = False) -> None:
    """A row never breaks across pages; the header row repeats at the top of every page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _table(doc, block: Block) -> None:
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _row_properties(table.rows[0], header=True)
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = ""
        _font(
            cell.paragraphs[0].add_run(fullwidth_punctuation(str(text))), HEADING_FONT, SIZE_SMALL_4
        )
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        # Kept with the first row: a header is never left alone at the foot of a page.
        cell.paragraphs[0].paragraph_format.keep_with_next = True
    rows = [table.rows[0]]
    if block.rows:
        # One body row is formatted through python-docx and copied for every row (only the text
        # differs): formatting each cell through its API costs a quarter of a second for a table
        # of a hundred units.
        template = table.add_row()
        _row_properties(template)
        for cell in template.cells:  # a new row's cell holds one empty paragraph
            _font(cell.paragraphs[0].add_run(), BODY_FONT, SIZE_SMALL_4)
        rows.append(template)
    if block.widths_mm:
        # Word reads the cells' widths, LibreOffice the grid's: set both, and stop autofit.
        table.autofit = False
        for column, width in zip(table.columns, block.widths_mm, strict=False):
            column.width = Mm(width)
        for row in rows:
            for cell, width in zip(row.cells, block.widths_mm, strict=False):
                cell.width = Mm(width)
    if block.rows:
        template_row = rows[1]._tr
        for values in block.rows:
            row = copy.deepcopy(template_row)
            runs = list(row.iter(qn("w:r")))
            for run, value in zip(runs, values, strict=True):
                Run(run, None).text = "" if value is None else fullwidth_punctuation(str(value))
            table._tbl.append(row)
        table._tbl.remove(template_row)


def render(document: OfficialDocument) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    # Odd pages number on the right, even on the left (GB/T 9704-2012 7.5).
    doc.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(14)
    _page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(14)
    _page_number(even)

    mark = _paragraph(
        doc,
        document.issuer_mark,
        font=TITLE_FONT,
        size=Pt(36),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        color=RED,
        line=Pt(48),
    )
    mark.paragraph_format.space_after = Pt(12)
    number = _paragraph(doc, document.doc_number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _bottom_rule(number)
    _paragraph(doc, "", indent=False)
    _paragraph(
        doc,
        document.title,
        font=TITLE_FONT,
        size=SIZE_2,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        line=Pt(35),
    )
    _paragraph(doc, "", indent=False)
    if document.addressees:
        _paragraph(doc, document.addressees, indent=False)
    last = None
    for block in document.blocks:
        if block.kind == "h1":
            # A heading stays with what it heads.
            _paragraph(doc, block.text, font=HEADING_FONT).paragraph_format.keep_with_next = True
            last = None
        elif block.kind == "h2":
            heading = _paragraph(doc, block.text, font=SUBHEADING_FONT)
            heading.paragraph_format.keep_with_next = True
            last = None
        elif block.kind == "table":
            _table(doc, block)
            last = None
        else:
            last = _paragraph(doc, block.text)
    if document.signature:
        # The issuer and the date stay on the page of the last paragraph (GB/T 9704-2012 7.3.5):
        # never a page holding only the signature.
        if last is not None:
            last.paragraph_format.keep_with_next = True
        spacer = _paragraph(doc, "", indent=False)
        spacer.paragraph_format.keep_with_next = True
        signature = _paragraph(
            doc, document.signature, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False
        )
        signature.paragraph_format.right_indent = Pt(64)
        signature.paragraph_format.keep_with_next = True
        date = _paragraph(doc, document.date_text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        date.paragraph_format.right_indent = Pt(64)
    _font_fallbacks(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(filename: str, content: bytes):
    """A Word file as a download under its Chinese name."""
    from urllib.parse import quote

    from django.http import HttpResponse

    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def issuer() -> str:
    """The supervision body's name as it signs its documents (发文机关)."""
    return getattr(settings, "SUPERVISOR_NAME", "") or f"{settings.DISTRICT_NAME}司法局"


def chinese_date(day) -> str:
    """2024年9月30日 (GB/T 9704-2012 writes 成文日期 with Arabic numerals)."""
    return f"{day.year}年{day.month}月{day.day}日"
