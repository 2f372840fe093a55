"""Supervision documents as Word files in the official layout (GB/T 9704)."""

from __future__ import annotations

from oversight.core.documents import Block, OfficialDocument, chinese_date, issuer, render
from oversight.core.rules import rule_value

from .models import INBOUND_KINDS, Document

# What each kind asks of the unit, after the facts and the requirement.
CLOSING = {
    "notice": "请你单位自收到本通知书之日起{explain}内书面说明情况,于{due}前纠正并将纠正情况书面报送{issuer}。",
    "opinion": "请你单位认真研究本意见书提出的意见,于{due}前将改进情况书面报送{issuer}。",
    "decision": "请你单位严格执行本决定,于{due}前将执行情况书面报送{issuer}。",
    "urge": "请你单位高度重视,于{due}前办结并将办理情况书面报送{issuer}。",
    "proposal": "请你单位研究采纳,于{due}前将采纳情况书面报送{issuer}。",
}


INBOUND_CLOSING = "请你单位认真研究落实,于{due}前将落实情况书面报送{issuer}。"


def title_of(document: Document) -> str:
    if document.kind in INBOUND_KINDS:
        return f"关于落实{document.get_kind_display()}的督办函"
    return document.get_kind_display()


def document_blocks(document: Document) -> list[Block]:
    if document.kind in INBOUND_KINDS:
        number = f"({document.external_number})" if document.external_number else ""
        blocks = [
            Block(
                "p",
                f"{document.source_organ}向你单位提出{document.get_kind_display()}{number},指出以下问题:",
            )
        ]
        blocks += [Block("p", line.strip()) for line in document.facts.splitlines() if line.strip()]
        blocks.append(Block("h1", "督办要求"))
        blocks += [
            Block("p", line.strip()) for line in document.requirement.splitlines() if line.strip()
        ]
        if document.reply_due:
            blocks.append(
                Block(
                    "p",
                    INBOUND_CLOSING.format(due=chinese_date(document.reply_due), issuer=issuer()),
                )
            )
        return blocks
    lead = {
        "interview": f"{chinese_date(document.issued_on)},{issuer()}约谈{document.recipient or document.unit.name}。约谈情况记录如下:",
        "referral": f"{issuer()}在行政执法监督中发现{document.unit.name}的下列问题线索,依照有关规定移送你机关依纪依法处理:",
        "circular": f"{issuer()}在行政执法监督中发现,{document.unit.name}存在以下问题,现予通报:",
    }.get(document.kind, f"{issuer()}在行政执法监督中发现你单位存在以下问题:")
    blocks = [Block("p", lead)]
    blocks += [Block("p", line.strip()) for line in document.facts.splitlines() if line.strip()]
    if document.basis:
        blocks.append(Block("p", f"上述问题不符合{document.basis.strip().rstrip('。')}的规定。"))
    blocks.append(Block("h1", "监督意见和要求" if document.kind in CLOSING else "处理意见"))
    blocks += [
        Block("p", line.strip()) for line in document.requirement.splitlines() if line.strip()
    ]
    if document.kind in CLOSING and document.reply_due:
        explain = rule_value("supervision.document_explain_workdays")
        blocks.append(
            Block(
                "p",
                CLOSING[document.kind].format(
                    explain=f"{explain}个工作日",
                    due=chinese_date(document.reply_due),
                    issuer=issuer(),
                ),
            )
        )
        days = rule_value("supervision.document_review_request_days")
        blocks.append(
            Block(
                "p",
                f"你单位对本{document.get_kind_display().removeprefix('行政执法')}有异议的,可以自收到之日起{days}日内向{issuer()}书面申请复查。",
            )
        )
    return blocks


def document_docx(document: Document) -> bytes:
    addressee = document.recipient if document.kind == "referral" else document.unit.name
    return render(
        OfficialDocument(
            issuer_mark=issuer(),
            doc_number=document.number,
            title=title_of(document),
            addressees=f"{addressee}:" if document.kind not in {"interview", "circular"} else "",
            blocks=document_blocks(document),
            signature=issuer(),
            date_text=chinese_date(document.issued_on),
        )
    )
