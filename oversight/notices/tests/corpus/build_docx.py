"""Builds the corpus's Word files from the descriptions below (python corpus/build_docx.py).

The .docx files are committed; this script documents how they were made and rebuilds them the
same way: a notice's paragraphs, then its task table with Word's own merged cells (vMerge and
gridSpan), as offices lay them out.
"""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document
from docx.shared import Pt

HERE = Path(__file__).parent


def build(name: str, spec: dict) -> None:
    document = Document()
    style = document.styles["Normal"]
    style.font.size = Pt(12)
    for text in spec.get("before", []):
        document.add_paragraph(text)
    if "rows" in spec:
        rows = spec["rows"]
        width = len(rows[0])
        table = document.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                cell = table.cell(r, c)
                lines = value.split("\n")
                cell.text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
        # Merges: [row, col, row2, col2] — the text stays in the first cell.
        for r1, c1, r2, c2 in spec.get("merges", []):
            keep = table.cell(r1, c1).text
            merged = table.cell(r1, c1).merge(table.cell(r2, c2))
            for paragraph in merged.paragraphs[1:]:
                paragraph._element.getparent().remove(paragraph._element)
            merged.paragraphs[0].text = keep
    for text in spec.get("after", []):
        document.add_paragraph(text)
    document.save(HERE / name)


def main() -> None:
    specs = json.loads((HERE / "docx_specs.json").read_text(encoding="utf-8"))
    for name, spec in specs.items():
        build(name, spec)


if __name__ == "__main__":
    main()
