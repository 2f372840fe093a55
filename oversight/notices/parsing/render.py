"""Writing a parsed plan back in the seed's layout: a table flattened into lines.

Used to hand a corrected plan to other systems as text, and by the round-trip property test:
rendering a parsed plan and parsing it again gives the same plan.
"""

from __future__ import annotations

from .model import ParsedNotice


def render_text(notice: ParsedNotice) -> str:
    lines: list[str] = [notice.title, ""]
    if notice.doc_number:
        lines[1:1] = [notice.doc_number]
    if notice.addressees:
        lines += [",".join(notice.addressees) + ":", ""]
    for task in notice.body_tasks:
        lines += [f"{task.number}、{task.text}", ""]
    lines += [
        "附件",
        "",
        "任务分解清单",
        "",
        "分类",
        "",
        "工作任务",
        "",
        "责任单位",
        "",
        "完成时限",
        "",
    ]
    part = section = None
    for task in notice.tasks:
        path = task.section
        if path and path[0] != part:
            part, section = path[0], None
            lines += [part, ""]
        if task.number.startswith("("):
            lines += [f"{task.number}{task.title}", "", task.text, ""]
            section = None
        else:
            if len(path) > 1 and path[1] != section:
                section = path[1]
                lines += [section, ""]
            lines += [f"{task.number}.{task.text}", ""]
        rest = [u for u in task.units if u not in task.lead_units]
        units = ",".join(x for x in ("、".join(task.lead_units), "、".join(rest)) if x)
        lines += [units, ""]
        lines += [task.deadline_text or "长期坚持", ""]
    return "\n".join(lines) + "\n"
