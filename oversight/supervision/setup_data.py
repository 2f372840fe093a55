"""The problem types every district starts with (editable data, not code)."""

from oversight.core.setup_hooks import on_setup

# 《行政执法监督条例》 and the 2024–2026 special rectification of enforcement problems affecting
# enterprises (涉企行政执法突出问题专项整治) name these kinds of problems.
PROBLEM_TYPES = [
    ("no_case", "有案不立"), ("buck_passing", "推诿扯皮"), ("fine_instead_of_management", "以罚代管"),
    ("out_of_area", "违规异地执法"), ("profit_driven", "趋利性执法"), ("arbitrary_charge", "乱收费"),
    ("arbitrary_fine", "乱罚款"), ("arbitrary_inspection", "乱检查"), ("arbitrary_seizure", "乱查封"),
    ("unqualified", "主体或人员不适格"), ("procedure", "违反法定程序"), ("discretion", "不按裁量基准处罚"),
    ("publicity", "未按规定公示执法信息"), ("attitude", "执法方式简单粗暴"), ("other", "其他"),
]  # fmt: skip


@on_setup("问题类型")
def ensure_problem_types() -> int:
    from .models import ProblemType

    created = 0
    for order, (code, name) in enumerate(PROBLEM_TYPES, start=1):
        _, new = ProblemType.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order * 10}
        )
        created += new
    return created
