"""The default score sheet: 100 points in six parts and the veto items (一票否决), each with its
legal source, and which of the platform's case checks (cases.checks rule keys) bear on each item.

Modelled on the provincial case-file review measures (e.g. 《广东省行政执法案卷评查办法》,
省政府令第231号) and the statutes the items cite; a district edits its copy before the round."""

from __future__ import annotations

# (section, text, points, source, platform checks)
ITEMS: list[tuple[str, str, int, str, list[str]]] = [
    ("主体与人员", "执法主体合法,在法定职权范围内实施", 5, "《行政处罚法》第17条、第18条", []),
    ("主体与人员", "两名以上执法人员实施,均持有效执法证件", 10, "《行政处罚法》第42条", ["officers", "certificates"]),
    ("事实与证据", "违法事实清楚,当事人认定准确", 10, "《行政处罚法》第40条", []),
    ("事实与证据", "证据确凿、充分,取证程序合法", 15, "《行政处罚法》第46条、第47条", ["preservation"]),
    ("法律适用", "适用法律、法规、规章正确,引用条款具体", 10, "《行政处罚法》第4条", []),
    ("法律适用", "裁量适当,符合裁量基准,过罚相当", 10, "《行政处罚法》第5条、第34条", ["simple_procedure"]),
    ("程序", "立案、调查及时,符合法定程序", 3, "《行政处罚法》第54条、第55条", []),
    ("程序", "告知陈述、申辩和听证权利,依法举行听证", 7, "《行政处罚法》第44条、第45条、第63条、第64条",
     ["notice", "hearing_window", "hearing", "hearing_notice"]),
    ("程序", "重大执法决定经法制审核、集体讨论", 5, "《行政处罚法》第57条、第58条", ["legal_review"]),
    ("程序", "在法定期限内作出决定", 5, "《行政处罚法》第60条", ["decision", "extension"]),
    ("程序", "执法全过程记录完整", 5, "《行政处罚法》第47条;国办发〔2018〕118号", ["records"]),
    ("文书与送达", "执法决定书载明法定事项", 5, "《行政处罚法》第59条", ["decision_document"]),
    ("文书与送达", "决定书依法送达,执法决定依法公示", 5, "《行政处罚法》第61条、第48条;国办发〔2018〕118号",
     ["service", "publicity", "withdrawal"]),
    ("归档", "案卷材料齐全,装订规范,按时归档", 5, "《行政执法案卷立卷规范》等地方规定", []),
]  # fmt: skip

VETOES: list[tuple[str, str, list[str]]] = [
    ("违法事实不清、证据不足", "《行政处罚法》第40条", []),
    ("适用法律依据错误", "《行政处罚法》第38条", []),
    ("严重违反法定程序", "《行政处罚法》第38条", ["hearing"]),
    ("超越职权或者滥用职权", "《行政处罚法》第38条", []),
    ("执法主体或者执法人员不适格", "《行政处罚法》第17条、第42条", ["certificates"]),
    ("执法人员不足两人", "《行政处罚法》第42条", ["officers"]),
]

TITLES = {
    "penalty": "行政处罚案卷评查标准",
    "permit": "行政许可案卷评查标准",
    "coercion": "行政强制案卷评查标准",
    "inspection": "行政检查案卷评查标准",
}

# 《行政处罚法》第59条: what a penalty decision must state, and how to find it in the text.
DECISION_ITEMS: list[tuple[str, list[str]]] = [
    ("当事人的姓名或者名称、地址", [r"当事人", r"(地址|住所|住址)"]),
    ("违反法律、法规、规章的事实和证据", [r"(违法事实|事实)", r"证据"]),
    ("行政处罚的种类和依据", [r"(罚款|警告|没收|吊销|暂扣|责令停产停业|通报批评|限制)", r"(依据|根据).{0,40}第.{1,6}条"]),
    ("行政处罚的履行方式和期限", [r"(缴纳|履行|缴至|缴款)", r"(\d+|[一二三四五六七八九十]+)\s*日内"]),
    ("申请行政复议、提起行政诉讼的途径和期限", [r"行政复议", r"行政诉讼"]),
    ("作出决定的行政机关名称和作出决定的日期", [r"(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*\S{1,3}\s*月\s*\S{1,3}\s*日", r"(局|委员会|办事处|政府|大队|支队)"]),
]  # fmt: skip
