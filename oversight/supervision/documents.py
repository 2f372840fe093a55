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


def campaign_docx(campaign) -> bytes:
    """The campaign's summary report: overview, each unit's problems and their rectification,
    refunds and accountability, typical problems by type, the summary text."""
    from collections import Counter, defaultdict
    from decimal import Decimal

    from django.utils import timezone

    problems = list(campaign.problems.select_related("unit", "problem_type"))
    closed = [p for p in problems if p.status == "closed"]
    refunds = sum((p.refund_amount for p in problems), Decimal(0))
    accountable = [p for p in problems if p.accountability]
    blocks = [
        Block("h1", "一、总体情况"),
        Block(
            "p",
            f"{issuer()}于{chinese_date(campaign.started_on)}部署开展{campaign.title},整治重点为{campaign.themes.rstrip('。')}。"
            f"共排查问题{len(problems)}个,已整改销号{len(closed)}个(销号率{(len(closed) * 100 // len(problems)) if problems else 0}%),"
            f"退还违规罚没款和收费{refunds:.2f}元,追责问责{len(accountable)}起。",
        ),
        Block("h1", "二、各单位整改情况"),
    ]
    by_unit: dict[str, list] = defaultdict(list)
    for p in problems:
        by_unit[p.unit.short_name].append(p)
    blocks.append(
        Block(
            "table",
            header=["单位", "问题", "已销号", "退还金额(元)", "追责问责"],
            rows=[
                [
                    unit,
                    len(items),
                    sum(p.status == "closed" for p in items),
                    f"{sum((p.refund_amount for p in items), Decimal(0)):.2f}",
                    sum(bool(p.accountability) for p in items),
                ]
                for unit, items in sorted(by_unit.items())
            ],
            widths_mm=[50, 20, 20, 36, 24],
        )
    )
    blocks.append(Block("h1", "三、主要问题类型"))
    kinds = Counter(p.problem_type.name if p.problem_type else "其他" for p in problems)
    blocks += [
        Block("p", f"{n}.{name}:{count}个。")
        for n, (name, count) in enumerate(kinds.most_common(8), start=1)
    ] or [Block("p", "无。")]
    if campaign.summary:
        blocks.append(Block("h1", "四、工作总结"))
        blocks += [Block("p", line) for line in campaign.summary.splitlines() if line.strip()]
    return render(
        OfficialDocument(
            issuer_mark=issuer(),
            doc_number="",
            title=f"关于{campaign.title}情况的报告",
            addressees="区人民政府:",
            blocks=blocks,
            signature=issuer(),
            date_text=chinese_date(timezone.localdate()),
        )
    )
