"""Realistic notices in each format, built in code (python-docx, plain HTML)."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt

HEADER = [
    "下陆区人民政府办公室关于印发下陆区2025年法治政府建设工作要点的通知",
    "陆政办发〔2025〕7号",
    "各街办(园区),区直各部门:",
    "经区政府同意,现将《下陆区2025年法治政府建设工作要点》印发给你们,请认真贯彻落实。",
    "一、各单位要于2025年3月底前将本单位实施方案报区司法局。",
    "下陆区人民政府办公室",
    "2025年2月18日",
]

# (category, task, units, deadline) — the category cell is vertically merged over its rows.
ROWS = [
    (
        "一、健全依法行政制度体系\n(一)加强重点领域立法",
        "1.完善规范性文件管理。严格落实合法性审核机制,于每年1月底前公布规范性文件目录。",
        "区司法局,区直各行政执法部门",
        "3月底前",
    ),
    (
        "一、健全依法行政制度体系\n(一)加强重点领域立法",
        "2.推进政务公开。及时公开行政执法信息。",
        "区政数局、区司法局",
        "4月上旬",
    ),
    (
        "一、健全依法行政制度体系\n(二)强化执法监督",
        "3.开展案卷评查。组织开展行政处罚案卷评查。",
        "区司法局,各街办(园区)",
        "5月中旬前",
    ),
    (
        "二、加强队伍建设",
        "4.落实执法人员信息变更。执法人员信息发生变化的,于变化之日起30日内报区司法局。",
        "区直各行政执法部门",
        "长期坚持",
    ),
    ("二、加强队伍建设", "5.完成年度培训。", "区司法局", "年底前"),
]


def build_docx(rows=ROWS, header=HEADER) -> bytes:
    document = Document()
    for line in header[:5]:
        document.add_paragraph(line)
    table = document.add_table(rows=1 + len(rows), cols=4)
    for cell, text in zip(
        table.rows[0].cells, ["分类", "工作任务", "责任单位", "完成时限"], strict=True
    ):
        cell.text = text
    for r, (category, task, units, deadline) in enumerate(rows, start=1):
        cells = table.rows[r].cells
        cells[0].text = ""
        first = cells[0].paragraphs[0]
        for i, line in enumerate(category.split("\n")):
            paragraph = first if i == 0 else cells[0].add_paragraph()
            paragraph.add_run(line).font.size = Pt(10)
        cells[1].text = task
        cells[2].text = units
        cells[3].text = deadline
    # Merge the category cells of consecutive rows with the same category, as Word users do.
    start = 1
    for r in range(2, len(rows) + 2):
        if r == len(rows) + 1 or rows[r - 1][0] != rows[start - 1][0]:
            if r - 1 > start:
                merged = table.cell(start, 0).merge(table.cell(r - 1, 0))
                # merge() concatenates the texts; keep the category once.
                for paragraph in merged.paragraphs[len(rows[start - 1][0].split("\n")) :]:
                    paragraph._element.getparent().remove(paragraph._element)
            start = r
    for line in header[5:]:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def build_html() -> str:
    """A government website page: navigation, the notice, a table with rowspan and <br> in cells."""
    return """<!DOCTYPE html><html><head><meta charset="utf-8"><title>下陆区人民政府门户网站</title>
<script>var x = "<table>";</script><style>td{border:1px solid}</style></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a></div>
<div class="article">
<h1>下陆区人民政府办公室关于开展行政执法“三项制度”专项检查的通知</h1>
<p class="meta">发布日期:2025-03-05 来源:区司法局</p>
<p>各街办(园区),区直各部门:</p>
<p>为巩固“三项制度”落实成效,现将有关事项通知如下。</p>
<p>附件:专项检查任务清单</p>
<table>
<thead><tr><th>序号</th><th>分类</th><th>工作任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr></thead>
<tbody>
<tr><td colspan="6">一、自查自纠</td></tr>
<tr><td>1</td><td rowspan="2">(一)公示制度</td><td>全面梳理公示事项。<br>对照清单逐项核查。</td><td>区司法局</td><td>区市场监管局、区城管执法局</td><td>2025年4月30日</td></tr>
<tr><td>2</td><td>更新执法主体信息。</td><td>区司法局</td><td>各街办(园区)</td><td>2025年<br>5月15日</td></tr>
<tr><td>3</td><td>(二)全过程记录</td><td>配齐执法记录仪。</td><td>区财政局</td><td>区直各行政执法部门</td><td>2025年6月底</td></tr>
<tr><td colspan="6">二、重点检查</td></tr>
<tr><td>4</td><td>(三)法制审核</td><td>抽查重大执法决定法制审核情况。</td><td>区司法局</td><td></td><td>2025年9月底<br>2025年12月底</td></tr>
</tbody></table>
<p>下陆区人民政府办公室</p>
</div></body></html>"""


INLINE_TEXT = """黄石市人民政府办公室关于推进行政执法监督工作的通知
黄政办发〔2024〕33号
各县(市、区)人民政府,市政府各部门:
一、健全工作机制
1.建立行政执法监督员制度。各地要选聘特邀行政执法监督员。(牵头单位:市司法局,责任单位:各县(市、区)政府)完成时限:2024年10月底
2.推进信息共享。推动12345热线与执法监督平台对接。[牵头单位:市政数局;配合单位:市司法局、各行政执法主体]完成时限:长期坚持
二、强化结果运用
3.开展专项监督。对群众反映强烈的问题开展专项监督。(牵头单位:市司法局,责任单位:各行政执法主体)完成时限:2024年12月15日
"""
