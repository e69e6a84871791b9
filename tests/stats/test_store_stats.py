"""fanzha.store.stats + fanzha.stats.compute_stats against the hand-built store, on SQLite and
PostgreSQL: every expected number below is worked out by hand from tests/stats/conftest.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from fanzha.stats import StatsReport, compute_stats, parse_period
from fanzha.store import Base
from fanzha.store.stats import figure_rows, stats_facts
from tests.stats.conftest import (
    BRUSHING,
    INVESTMENT,
    PERIOD,
    QINGXIU,
    XINGNING,
    _t,
    fill_operations,
    fill_stats_store,
)


def _report(engine: Engine, district: str | None = None) -> StatsReport:
    period = parse_period(PERIOD)
    with Session(engine) as db:
        found = stats_facts(db, [period, period.previous(), period.year_ago()], district=district)
    return compute_stats(found.facts, period, missing=found.missing, district=district)


@pytest.fixture
def report(engine: Engine) -> StatsReport:
    fill_stats_store(engine)
    return _report(engine)


def _figure(report: StatsReport, key: str) -> tuple[int, int]:
    value = next(f for f in report.figures if f.key == key)
    return value.count, value.amount_fen


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        pytest.param("cases", (3, 3_050_000), id="cases-1-3-6-boundaries-in-beijing-time"),
        pytest.param("warned", (3, 0), id="warned-reached-or-sms-not-no-answer"),
        pytest.param("dissuaded", (1, 0), id="dissuaded"),
        pytest.param("saved", (1, 800_000), id="saved"),
        pytest.param("stop_pay", (2, 1_300_000), id="stop-pay-release-not-subtracted"),
        pytest.param("freeze", (1, 200_000), id="freeze-without-renewals"),
        pytest.param("return", (1, 150_000), id="return"),
    ],
)
def test_each_figure_of_the_period(
    report: StatsReport, key: str, expected: tuple[int, int]
) -> None:
    assert _figure(report, key) == expected


def test_comparisons_with_previous_period_and_year(report: StatsReport) -> None:
    cases = next(f for f in report.figures if f.key == "cases")
    assert (cases.previous_count, cases.year_ago_count) == (1, 1)
    assert (cases.change_pct, cases.yoy_pct) == (200.0, 200.0)
    saved = next(f for f in report.figures if f.key == "saved")
    assert (saved.previous_amount_fen, saved.change_pct, saved.yoy_pct) == (100_000, 700.0, None)
    stop = next(f for f in report.figures if f.key == "stop_pay")
    assert stop.previous_amount_fen == 70_000
    assert report.previous.start == date(2022, 5, 9)
    assert report.year_ago.start == date(2021, 5, 16)


def test_sentence_of_the_2022_report(report: StatsReport) -> None:
    assert report.sentence == (
        "预警劝阻潜在被骗群众3人次，避免群众被骗汇款8000.00元，止付金额13000.00元，"
        "冻结金额2000.00元，返还1笔1500.00元。"
    )


def test_district_ranking(report: StatsReport) -> None:
    first, second = report.districts
    assert (first.district, first.rank, first.cases, first.losses_fen) == (
        QINGXIU,
        1,
        3,
        3_050_000,
    )
    assert (first.warned, first.dissuaded, first.saved_fen) == (1, 1, 800_000)
    assert (first.stop_pay_fen, first.freeze_fen, first.return_fen) == (1_300_000, 200_000, 150_000)
    assert (second.district, second.rank, second.cases, second.warned) == (XINGNING, 2, 0, 2)


def test_fraud_type_shares_and_rising(report: StatsReport) -> None:
    brushing, investment = report.types
    assert (brushing.fraud_type, brushing.label, brushing.cases) == (BRUSHING, "刷单返利", 2)
    assert (brushing.case_share, brushing.loss_share) == (66.7, 34.4)
    assert (investment.cases, investment.losses_fen, investment.loss_share) == (1, 2_000_000, 65.6)
    assert (investment.previous_cases, investment.change) == (1, 0)
    assert [row.fraud_type for row in report.rising] == [BRUSHING]
    assert (report.rising[0].change, report.rising[0].change_pct) == (2, None)


def test_weekly_trend(report: StatsReport) -> None:
    cases = [p for p in report.trend if p.figure == "cases"]
    assert [(p.week, p.count, p.amount_fen) for p in cases] == [("2022-05-16", 3, 3_050_000)]


def test_one_district(engine: Engine) -> None:
    fill_stats_store(engine)
    report = _report(engine, XINGNING)
    assert _figure(report, "cases") == (0, 0)
    assert _figure(report, "warned") == (2, 0)
    assert _figure(report, "stop_pay") == (0, 0)
    assert [row.district for row in report.districts] == [XINGNING]


def test_rows_behind_a_figure(engine: Engine) -> None:
    fill_stats_store(engine)
    period = parse_period(PERIOD)
    with Session(engine) as db:
        rows, total = figure_rows(db, "cases", period)
        stops, _ = figure_rows(db, "stop_pay", period, fraud_type=INVESTMENT)
        warned, warned_total = figure_rows(db, "warned", period, district=XINGNING)
    assert total == 3
    assert [row.ref for row in rows] == ["A6", "A1", "A3"]
    assert rows[-1].day == date(2022, 5, 16)
    assert [(row.ref, row.amount_fen) for row in stops] == [("L5", 1_000_000)]
    assert warned_total == 2 and {row.ref for row in warned} == {"2"}


def test_records_not_kept_say_no_records(report: StatsReport) -> None:
    """The store holds no operations or outreach records: those figures say so, as 0."""
    absent = {f.key for f in report.figures if f.no_records}
    assert absent == {
        "clues_in_sla", "arrests", "fugitives_caught", "gangs_broken", "dens_raided",
        "seizures", "cards_cut", "outlets_rectified", "outreach_sites", "people_reached",
        "officers_deployed",
    }  # fmt: skip
    for value in report.figures:
        if value.no_records:
            assert (value.count, value.amount_fen) == (0, 0)


@pytest.mark.parametrize(
    ("key", "expected", "breakdown"),
    [
        pytest.param("arrests", (3, 0), (("card_dealer", 1), ("leader", 1), ("operator", 1)),
                     id="arrests-by-role"),
        pytest.param("gangs_broken", (1, 0), (), id="gangs-on-first-catch"),
        pytest.param("fugitives_caught", (1, 0), (("online", 1),), id="fugitives"),
        pytest.param("dens_raided", (3, 0), (("goip", 1), ("laundering", 1)), id="raids-by-den"),
        pytest.param("seizures", (201, 8_000_000), (("phone", 200), ("cash", 1)), id="seizures"),
        pytest.param("outlets_rectified", (2, 0), (), id="passed-or-penalised"),
        pytest.param("clues_in_sla", (1, 0), (), id="clues-closed-by-due"),
        pytest.param("officers_deployed", (1625, 0), (), id="officers-not-twice"),
        pytest.param("outreach_sites", (2, 0), (("market", 1), ("school", 1)), id="outreach"),
        pytest.param("people_reached", (1210, 0), (), id="people-reached"),
    ],
)  # fmt: skip
def test_operations_figures(
    engine: Engine, key: str, expected: tuple[int, int], breakdown: tuple[tuple[str, int], ...]
) -> None:
    fill_stats_store(engine)
    fill_operations(engine)
    report = _report(engine)
    value = next(f for f in report.figures if f.key == key)
    assert ((value.count, value.amount_fen), value.breakdown, value.no_records) == (
        expected,
        breakdown,
        False,
    )


def test_operations_figures_of_one_district_and_previous(engine: Engine) -> None:
    fill_stats_store(engine)
    fill_operations(engine)
    report = _report(engine, XINGNING)
    assert _figure(report, "arrests") == (1, 0)
    assert _figure(report, "gangs_broken") == (1, 0)
    assert _figure(report, "officers_deployed") == (100, 0)
    city = _report(engine)
    gangs = next(f for f in city.figures if f.key == "gangs_broken")
    clues = next(f for f in city.figures if f.key == "clues_in_sla")
    assert (gangs.previous_count, clues.previous_count) == (1, 1)


_CORE = ("users", "gangs", "outlets", "persons", "bank_accounts", "cases", "warning_tasks")


def test_optional_tables_are_read_when_present(tmp_path: Path) -> None:
    """A database with a card_cuts table (reflected; no such table in the store yet): cards
    counted by kind; a database without the outreach table: no outreach records."""
    engine = create_engine(f"sqlite:///{tmp_path / 'cuts.db'}")
    tables = [Base.metadata.tables[n] for n in (*_CORE, "outcomes", "ledger_entries")]
    Base.metadata.create_all(engine, tables=tables)
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE card_cuts (id INTEGER PRIMARY KEY, district TEXT, kind TEXT, "
                "cut_at TIMESTAMP, cards INTEGER)"
            )
        )
        for row, (district, kind, at, cards) in enumerate(
            [
                (QINGXIU, "bank", _t(5, 17), 12),
                (XINGNING, "sim", _t(5, 19), 30),
                (XINGNING, "sim", _t(4, 1), 5),
            ]
        ):
            connection.execute(
                text("INSERT INTO card_cuts VALUES (:id, :d, :k, :at, :n)"),
                {"id": row + 1, "d": district, "k": kind, "n": cards,
                 "at": at.strftime("%Y-%m-%d %H:%M:%S.%f")},
            )  # fmt: skip
    report = _report(engine)
    cards = next(f for f in report.figures if f.key == "cards_cut")
    assert (cards.count, cards.breakdown, cards.no_records) == (
        42,
        (("sim", 30), ("bank", 12)),
        False,
    )
    assert _figure(_report(engine, XINGNING), "cards_cut") == (30, 0)
    sites = next(f for f in report.figures if f.key == "outreach_sites")
    assert (sites.count, sites.no_records) == (0, True)
