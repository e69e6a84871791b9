"""The 战果 figures a center publishes, each with its written definition.

:data:`DEFINITIONS` is the one table of figures: the API serves it (``GET
/api/v1/stats/definitions``), the dashboard shows it beside each tile, the reports print it
and the README copies it. A figure counts events in the period (``count``, with its unit) and,
where money is involved, sums an amount in fen. Every figure is read from one store table;
a figure whose table is not in the database (the operations and outreach records) is
reported as 0 with ``no_records`` — never estimated.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "DEFINITIONS",
    "FIGURE_KEYS",
    "SENTENCE_FIGURES",
    "FigureDef",
    "definition",
    "figure_label",
]


@dataclass(frozen=True, slots=True)
class FigureDef:
    """One published figure: ``key``, Chinese ``label``, the ``unit`` of its count, whether it
    has an amount (money, fen), the ``source`` table(s) and the ``definition`` (Chinese, as
    shown to officers) with ``note`` (English, for developers)."""

    key: str
    label: str
    unit: str
    has_amount: bool
    source: str
    definition: str
    note: str
    breakdown: str | None = None

    @property
    def headline(self) -> str:
        """What the figure is compared by: ``amount`` for money figures whose count only
        says how many acts (避免被骗汇款, 止付, 冻结, 返还), else ``count``."""
        return "amount" if self.has_amount and self.key not in ("cases", "seizures") else "count"


DEFINITIONS: tuple[FigureDef, ...] = (
    FigureDef(
        "cases", "电诈案件", "起", True, "cases",
        "统计期内接报（reported_at）的电信网络诈骗案件数；金额为这些案件的报案损失合计。",
        "Cases by reported_at in the period; amount: sum of amount_lost_fen (losses).",
    ),
    FigureDef(
        "warned", "预警劝阻", "人次", False, "outcomes ⨝ warning_tasks",
        "统计期内预警员对潜在被骗群众的有效预警次数：结果为已接通（劝阻成功、已被骗转账、"
        "不听劝阻）或预警短信已发送的每一次处置记一人次。",
        "Outcomes by at whose result reached the person (reached_*) or is sms_sent; one per "
        "attempt (人次), district and type from the task.",
    ),
    FigureDef(
        "dissuaded", "劝阻成功", "人次", False, "outcomes ⨝ warning_tasks",
        "统计期内处置结果为“已接通，劝阻成功”的次数。",
        "Outcomes by at with result reached_dissuaded.",
    ),
    FigureDef(
        "saved", "避免被骗汇款", "笔", True, "outcomes ⨝ warning_tasks",
        "统计期内劝阻成功时记录的避免损失金额（money_saved_fen）合计；笔数为金额大于 0 的处置数。",
        "Sum of outcomes.money_saved_fen by at; count: outcomes with a saved amount > 0.",
    ),
    FigureDef(
        "stop_pay", "止付", "笔", True, "ledger_entries ⨝ cases",
        "统计期内资金查控台账中的止付记录笔数及止付金额（不扣减其后的解除止付）。",
        "Ledger entries of kind stop_pay by at; release_stop is not subtracted.",
    ),
    FigureDef(
        "freeze", "冻结", "笔", True, "ledger_entries ⨝ cases",
        "统计期内冻结记录笔数及冻结金额（含由止付转冻结，不含续冻，不扣减解冻）。",
        "Ledger entries of kind freeze by at (including from_stop); renew_freeze and "
        "unfreeze are not counted.",
    ),
    FigureDef(
        "return", "返还", "笔", True, "ledger_entries ⨝ cases",
        "统计期内向受害人返还资金的笔数及金额。",
        "Ledger entries of kind return by at.",
    ),
    FigureDef(
        "clues_in_sla", "线索按时办结", "条", False, "clues",
        "统计期内新建（created_at）的线索中，在办理时限（sla_due_at）之前办结的条数。",
        "Clues by created_at whose closed_at is set and not after sla_due_at.",
    ),
    FigureDef(
        "arrests", "抓获犯罪嫌疑人", "人", False, "suspects",
        "统计期内抓获（caught_at）的犯罪嫌疑人人数，按角色（组长、卡头卡贩、取现等）分列。",
        "Suspects by caught_at; breakdown by role.",
        breakdown="role",
    ),
    FigureDef(
        "fugitives_caught", "抓获在逃人员", "人", False, "fugitives",
        "统计期内抓获归案（caught_at）的在逃人员人数，按在逃类型分列。",
        "Fugitives by caught_at; breakdown by kind.",
        breakdown="kind",
    ),
    FigureDef(
        "gangs_broken", "打掉犯罪团伙", "个", False, "suspects ⨝ gangs",
        "统计期内首次有成员被抓获的犯罪团伙个数（以该团伙第一名成员抓获之日计，一个团伙只计一次）。",
        "Gangs counted on the day their first member was caught (min suspects.caught_at).",
    ),
    FigureDef(
        "dens_raided", "捣毁窝点", "处", False, "raids ⟕ dens",
        "统计期内对诈骗窝点的清查捣毁次数（raided_at），按窝点类型（GOIP、跑分、引流等）分列。",
        "Raids by raided_at; breakdown by the raided den's kind.",
        breakdown="kind",
    ),
    FigureDef(
        "seizures", "查缴涉案物品", "件", True, "seizures",
        "统计期内查缴（seized_at）的涉案物品件数（电脑、手机、手机卡、银行卡等），按种类分列；"
        "金额为查缴的现金等金额。",
        "Sum of seizures.count by seized_at, breakdown by kind; amount: sum of amount_fen.",
        breakdown="kind",
    ),
    FigureDef(
        "cards_cut", "断卡", "张", False, "card_cuts",
        "统计期内清理停用的涉诈电话卡、银行卡张数（库中尚无断卡台账时显示“无记录”）。",
        "Read from a card_cuts table when one exists; no such table is kept yet.",
        breakdown="kind",
    ),
    FigureDef(
        "outlets_rectified", "整治网点", "处", False, "rectifications",
        "统计期内整改结案（closed_at）且复查通过或移交处罚的金融、通讯行业网点整改数。",
        "Rectifications by closed_at in state passed or penalised.",
    ),
    FigureDef(
        "outreach_sites", "宣传防范地点", "处", False, "outreach_events",
        "统计期内（held_on）开展的宣传防范活动场次数（反诈集市、进社区/学校/企业等），按活动类型分列。",
        "Outreach events by held_on; breakdown by kind.",
        breakdown="kind",
    ),
    FigureDef(
        "people_reached", "宣传覆盖群众", "人次", False, "outreach_events",
        "统计期内宣传防范活动登记的覆盖群众人次合计（不含短信、群发提醒的送达人数）。",
        "Sum of outreach_events.people_reached by held_on (campaign deliveries not counted).",
    ),
    FigureDef(
        "officers_deployed", "出动警力", "人次", False, "operations + raids + sweeps",
        "统计期内开始的专项行动出动警力（按行动开始日），加上不属于任何专项行动的清查捣毁和"
        "清查走访出动警力。",
        "operations.officers by starts_on, plus officers of raids and sweeps outside any "
        "operation (by raided_at / swept_on).",
    ),
)  # fmt: skip

FIGURE_KEYS = tuple(item.key for item in DEFINITIONS)
_BY_KEY = MappingProxyType({item.key: item for item in DEFINITIONS})

#: The figures of the 2022 report's sentence, in its order.
SENTENCE_FIGURES = ("warned", "saved", "stop_pay", "freeze", "return")


def definition(key: str) -> FigureDef:
    """The definition of figure ``key``; raises KeyError naming the known keys."""
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown figure {key!r}; known: {', '.join(FIGURE_KEYS)}") from None


def figure_label(key: str) -> str:
    """The Chinese label of figure ``key``."""
    return definition(key).label
