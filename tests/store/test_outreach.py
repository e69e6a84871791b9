"""Outreach in the store (SQLite and PostgreSQL): audience selection and counts, opt-out,
the frequency cap's counts, run planning once, event totals and case trends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fanzha.outreach import AudienceSpec, Recipient, RecipientPlan, Schedule
from fanzha.store import Case, Person, WarningTask
from fanzha.store import outreach as stored
from fanzha.store._ops_models import KeyArea
from fanzha.store._outreach_models import OutreachDelivery

NOW = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)
TODAY = NOW.date()

# name, district, birth, gender, occupation, phone
PEOPLE = (
    ("学生甲", "青秀区", date(2007, 3, 1), "M", "学生", "13800000001"),
    ("学生乙", "兴宁区", date(2010, 5, 1), "F", "学生", "13800000002"),
    ("老人甲", "青秀区", date(1950, 1, 1), "M", "退休人员", "13800000003"),
    ("老人乙", "青秀区", date(1966, 12, 8), "F", "农民", "13800000004"),  # 60 today
    ("宝妈甲", "青秀区", date(1992, 6, 1), "F", "无业", "13800000005"),
    ("无业男", "青秀区", date(1992, 6, 1), "M", "无业", "13800000006"),
    ("财务甲", "江南区", date(1985, 1, 1), "F", "财务人员", "13800000007"),
    ("无号码", "青秀区", date(1950, 1, 1), "M", "退休人员", None),
)


def _seed(session: Session) -> dict[str, int]:
    people = [
        Person(name=n, district=d, birth_date=b, gender=g, occupation=o, phone_number=p)
        for n, d, b, g, o, p in PEOPLE
    ]
    session.add_all(people)
    session.flush()
    ids = {p.name: p.id for p in people}
    session.add(
        Case(
            case_no="C1",
            fraud_type="brushing_rebate",
            amount_lost_fen=100,
            district="青秀区",
            occurred_at=NOW,
            reported_at=NOW - timedelta(days=1),
            victim_id=ids["学生甲"],
        )
    )
    session.add(
        WarningTask(
            person_id=ids["老人甲"],
            district="青秀区",
            signal_at=NOW,
            sla_due_at=NOW,
        )
    )
    session.commit()
    return ids


@pytest.fixture
def session(engine: Engine) -> Session:
    with Session(engine, expire_on_commit=False) as s:
        yield s  # type: ignore[misc]


def names(session: Session, spec: AudienceSpec, scope: str | None = None) -> set[int]:
    return {
        r.person_id for r in stored.audience_recipients(session, spec, today=TODAY, scope=scope)
    }  # type: ignore[misc]


def test_audiences_by_group_band_district_history(session: Session) -> None:
    ids = _seed(session)
    by = {v: k for k, v in ids.items()}

    def who(spec: AudienceSpec, scope: str | None = None) -> set[str]:
        return {by[i] for i in names(session, spec, scope)}

    assert who(AudienceSpec(group="students")) == {"学生甲", "学生乙"}
    assert who(AudienceSpec(group="elderly")) == {"老人甲", "老人乙"}  # 60 today counts
    assert who(AudienceSpec(group="mothers")) == {"宝妈甲"}
    assert who(AudienceSpec(group="finance_staff")) == {"财务甲"}
    assert who(AudienceSpec(age_bands=("under_18",))) == {"学生乙"}
    assert who(AudienceSpec(age_bands=("30_44", "60_plus"), districts=("青秀区",))) == {
        "老人甲",
        "老人乙",
        "宝妈甲",
        "无业男",
    }
    assert who(AudienceSpec(past_victims=True)) == {"学生甲"}
    assert who(AudienceSpec(past_victims=True, victim_fraud_types=("phishing",))) == set()
    assert who(AudienceSpec(warned=True)) == {"老人甲"}
    # a district officer's scope narrows whatever the spec says
    assert who(AudienceSpec(group="students"), scope="兴宁区") == {"学生乙"}


def test_counts_before_sending_and_opt_out(session: Session) -> None:
    ids = _seed(session)
    count = stored.count_audience(session, AudienceSpec(group="elderly"), today=TODAY)
    # 无号码 is elderly too, but has no address
    assert (count.total, count.reachable, count.opted_out) == (3, 2, 0)
    assert count.by_district == {"青秀区": 3}
    assert stored.opt_out(session, ids["老人甲"], at=NOW)
    assert not stored.opt_out(session, ids["老人甲"], at=NOW)
    assert stored.opt_out_number(session, "13800000004", at=NOW) == 1
    session.commit()
    count = stored.count_audience(session, AudienceSpec(group="elderly"), today=TODAY)
    assert (count.total, count.reachable, count.opted_out) == (3, 0, 2)
    assert stored.opted_out(session, ids.values()) == {ids["老人甲"], ids["老人乙"]}


def test_key_village_residents(session: Session) -> None:
    ids = _seed(session)
    session.add(KeyArea(name="长塘村", kind="village", district="青秀区", village="长塘村"))
    session.add(
        KeyArea(name="旧村", kind="village", district="青秀区", village="旧村", state="closed")
    )
    session.get(Person, ids["老人甲"]).village = "长塘村"  # type: ignore[union-attr]
    session.get(Person, ids["宝妈甲"]).village = "旧村"  # type: ignore[union-attr]
    session.get(Person, ids["财务甲"]).village = "长塘村"  # type: ignore[union-attr]  # 江南区
    session.commit()
    found = names(session, AudienceSpec(key_villages=True))
    assert found == {ids["老人甲"]}


def _campaign(session: Session, **spec: object) -> stored.CampaignRecord:
    cid = stored.add_campaign(
        session,
        stored.NewCampaign(
            name="测试",
            district=None,
            audience=AudienceSpec(**spec),  # type: ignore[arg-type]
            template_code="brushing_rebate.students.sms",
            channel="file",
            schedule=Schedule("once"),
        ),
        user_id=None,
        at=NOW,
    )
    session.commit()
    found = stored.get_campaign(session, cid)
    assert found is not None and found.audience == AudienceSpec(**spec)  # type: ignore[arg-type]
    return found


def test_run_is_planned_once_and_the_idempotency_key_is_unique(session: Session) -> None:
    ids = _seed(session)
    campaign = _campaign(session, group="students")
    plans = [RecipientPlan(Recipient(ids["学生甲"], "13800000001", "青秀区"), "queued")]
    assert stored.plan_run(session, campaign, "once", plans, at=NOW, send_after=NOW)
    session.commit()
    assert not stored.plan_run(session, campaign, "once", plans, at=NOW, send_after=NOW)
    assert stored.delivery_counts(session, campaign.id) == {"queued": 1}
    # the unique constraint itself refuses a second message for the same run
    with pytest.raises(IntegrityError):
        session.execute(
            insert(OutreachDelivery).values(
                campaign_id=campaign.id,
                run_key="once",
                recipient_key=f"person:{ids['学生甲']}",
                person_id=ids["学生甲"],
                address="x",
                channel="file",
                status="queued",
                attempts=0,
                error="",
                planned_at=NOW,
                send_after=NOW,
            )
        )
    session.rollback()


def test_cap_counts_sent_in_window_and_pending(session: Session) -> None:
    ids = _seed(session)
    campaign = _campaign(session, group="students")
    person = ids["学生甲"]
    plans = [RecipientPlan(Recipient(person, "13800000001", "青秀区"), "queued")]
    for key in ("2026-W40", "2026-W49", "2026-W50"):
        stored.plan_run(session, campaign, key, plans, at=NOW, send_after=NOW)
    session.commit()
    deliveries, _ = stored.list_deliveries(session, campaign_id=campaign.id)
    by_run = {d.run_key: d.id for d in deliveries}
    stored.finish_delivery(session, by_run["2026-W40"], status="sent", at=NOW - timedelta(days=30))
    stored.finish_delivery(session, by_run["2026-W49"], status="sent", at=NOW - timedelta(days=2))
    session.commit()
    counts = stored.recent_message_counts(session, [person], since=NOW - timedelta(days=7))
    assert counts == {person: 2}  # one sent this week, one still queued; the old one not


def test_event_totals(session: Session) -> None:
    rows = [
        ("2022-03-01", "青秀区", "万达广场", "反诈集市", 300),
        ("2022-03-08", "青秀区", "万达广场", "反诈集市", 250),
        ("2022-03-09", "青秀区", "南宁三中", "进校园", 910),
        ("2022-04-01", "兴宁区", "朝阳菜市", "反诈菜市", 120),
        ("2022-06-01", "兴宁区", "朝阳菜市", "反诈菜市", 99),
    ]
    for held, district, place, kind, people in rows:
        stored.add_event(
            session,
            stored.NewEvent(date.fromisoformat(held), district, place, kind, people, "折页 200 份"),
            user_id=None,
            at=NOW,
        )
    session.commit()
    start, end = date(2022, 1, 1), date(2022, 5, 24)
    city = stored.outreach_event_totals(session, start, end, None)
    assert (city.events, city.sites, city.people_reached) == (4, 3, 300 + 250 + 910 + 120)
    one = stored.outreach_event_totals(session, start, end, "青秀区")
    assert (one.events, one.sites, one.people_reached) == (3, 2, 1460)
    none = stored.outreach_event_totals(session, date(2023, 1, 1), None, None)
    assert (none.events, none.sites, none.people_reached) == (0, 0, 0)
    assert len(stored.list_events(session, district="兴宁区")) == 2


def test_type_trends_count_windows_and_victim_groups(session: Session) -> None:
    ids = _seed(session)
    for i, (days_ago, ftype, victim) in enumerate(
        [
            (2, "brushing_rebate", "学生乙"),
            (3, "brushing_rebate", None),
            (20, "brushing_rebate", None),
        ]
    ):
        session.add(
            Case(
                case_no=f"T{i}",
                fraud_type=ftype,
                amount_lost_fen=1000,
                district="青秀区",
                occurred_at=NOW,
                reported_at=NOW - timedelta(days=days_ago),
                victim_id=ids[victim] if victim else None,
            )
        )
    session.commit()
    (trend,) = stored.type_trends(session, now=NOW, days=14)
    # C1 (1 day ago, 学生甲) + two recent; one 20 days ago is in the previous window
    assert (trend.recent, trend.previous, trend.recent_loss_fen) == (3, 1, 2100)
    assert trend.victims_by_group == {"students": 2}
