"""The Word renderer's layout rules (GB/T 9704-2012): tables that read across pages, a signature
that never stands alone, full-width punctuation in Chinese text."""

import io

from docx import Document
from docx.oxml.ns import qn

from oversight.bulletins.figures import shared_ranks
from oversight.core.documents import Block, OfficialDocument, render


def _document(**overrides):
    data = dict(
        issuer_mark="下陆区司法局",
        title="关于测试的通报",
        doc_number="陆司通〔2026〕1号",
        blocks=[
            Block("h1", "一、总体情况"),
            Block(
                "table",
                header=["单位", "逾期(项)"],
                rows=[[f"区第{i}局", str(i)] for i in range(60)],
            ),
            Block("p", "各单位要对照通报指出的问题,逐项整改。"),
        ],
        signature="下陆区司法局",
        date_text="2026年11月30日",
    )
    data.update(overrides)
    return Document(io.BytesIO(render(OfficialDocument(**data))))


def test_a_long_tables_header_repeats_and_no_row_breaks_across_pages():
    table = _document().tables[0]
    header, *rows = table.rows
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in rows)
    # The header keeps with the first row: never stranded at the foot of a page.
    assert all(c.paragraphs[0].paragraph_format.keep_with_next for c in header.cells)
    assert header.cells[1].text == "逾期（项）"  # full-width in Chinese text


def test_the_signature_and_date_stay_with_the_last_paragraph_and_headings_with_their_text():
    paragraphs = _document().paragraphs
    texts = [p.text for p in paragraphs]
    last = texts.index("各单位要对照通报指出的问题，逐项整改。")
    chain = paragraphs[last : texts.index("2026年11月30日")]
    assert [p.paragraph_format.keep_with_next for p in chain] == [True] * len(chain)
    assert paragraphs[texts.index("一、总体情况")].paragraph_format.keep_with_next


def test_equal_figures_share_a_rank():
    assert shared_ranks([(0, -100.0), (0, -100.0), (1, -50.0), (2, 0), (2, 0)]) == [1, 1, 3, 4, 4]
    assert shared_ranks([]) == []
