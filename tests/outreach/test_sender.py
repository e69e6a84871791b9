"""The outreach sender: approval before the first send, quiet hours, opt-out and the cap
across campaigns, dry run, failures, the group robot, and no message sent twice across a
sender killed (SIGKILL) mid-run and restarted."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from fanzha.outreach._audience import (
    AudienceSpec,
)
from fanzha.outreach._channels import (
    ChannelError,
    FileChannel,
    OutboundMessage,
)
from fanzha.outreach._schedule import (
    Schedule,
)
from fanzha.outreach_sender import OutreachSender, dry_run_campaign
from fanzha.store import Person, User, make_engine, make_session_factory, migrate
from fanzha.store import outreach as stored

DAY = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
NIGHT = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)  # 22:00 in Beijing
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[tuple[str, Engine, sessionmaker[Session]]]:
    url = f"sqlite:///{tmp_path / 'outreach.db'}"
    engine = make_engine(url)
    migrate(engine)
    sessions = make_session_factory(engine)
    with sessions() as session:
        session.add(User(username="li", display_name="李指挥", role="commander", password_hash="-"))
        session.add_all(
            Person(
                name=f"学生{i}",
                district="青秀区" if i % 2 else "兴宁区",
                occupation="学生",
                phone_number=f"1380000{i:04d}",
            )
            for i in range(12)
        )
        session.commit()
    yield url, engine, sessions
    engine.dispose()


def _approved(
    sessions: sessionmaker[Session],
    *,
    template: str = "brushing_rebate.students.sms",
    channel: str = "file",
    schedule: Schedule | None = None,
    district: str | None = None,
    approve: bool = True,
) -> int:
    with sessions() as session:
        cid = stored.add_campaign(
            session,
            stored.NewCampaign(
                name="学生刷单提醒",
                district=district,
                audience=AudienceSpec(group="students"),
                template_code=template,
                channel=channel,
                schedule=schedule or Schedule("once"),
            ),
            user_id=None,
            at=DAY,
        )
        if approve:
            for a, b in (("draft", "pending"), ("pending", "approved")):
                stored.set_campaign_state(session, cid, from_state=a, to_state=b, user_id=1, at=DAY)
        session.commit()
        return cid


def _lines(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_nothing_is_sent_before_approval_then_once(
    db: tuple[str, Engine, sessionmaker[Session]], tmp_path: Path
) -> None:
    _, _, sessions = db
    outbox = tmp_path / "outbox.jsonl"
    sender = OutreachSender(sessions, {"file": FileChannel(outbox)}, clock=lambda: DAY)
    cid = _approved(sessions, approve=False)
    assert sender.tick().planned_runs == 0 and not outbox.exists()
    with sessions() as session:
        for a, b in (("draft", "pending"), ("pending", "approved")):
            assert stored.set_campaign_state(
                session, cid, from_state=a, to_state=b, user_id=1, at=DAY
            )
        session.commit()
    result = sender.tick()
    assert (result.planned_runs, result.sent, result.finished_campaigns) == (1, 12, [cid])
    lines = _lines(outbox)
    assert len(lines) == 12 and len({line["delivery_id"] for line in lines}) == 12
    # the channel got a delivery id, an address and the text: no name, no person id
    assert set(lines[0]) == {"delivery_id", "address", "title", "text"}
    assert not any("学生" in line["address"] for line in lines)
    assert "谨防刷单返利" in lines[0]["text"] and "回T退订" in lines[0]["text"]
    assert sender.tick().sent == 0 and len(_lines(outbox)) == 12
    with sessions() as session:
        assert stored.get_campaign(session, cid).state == "finished"  # type: ignore[union-attr]


def test_quiet_hours_defer_sms_to_eight(
    db: tuple[str, Engine, sessionmaker[Session]], tmp_path: Path
) -> None:
    _, _, sessions = db
    outbox = tmp_path / "outbox.jsonl"
    clock = [NIGHT]
    sender = OutreachSender(sessions, {"file": FileChannel(outbox)}, clock=lambda: clock[0])
    cid = _approved(sessions)
    result = sender.tick()
    assert (result.sent, result.deferred) == (0, 12) and not outbox.exists()
    with sessions() as session:
        assert stored.delivery_counts(session, cid) == {"deferred": 12}
    clock[0] = datetime(2026, 12, 8, 23, 59, tzinfo=UTC)  # 07:59 Beijing
    assert sender.tick().sent == 0
    clock[0] = datetime(2026, 12, 9, 0, 0, tzinfo=UTC)  # 08:00 Beijing
    assert sender.tick().sent == 12


def test_group_posts_are_not_held_by_quiet_hours_and_go_once_per_run(
    db: tuple[str, Engine, sessionmaker[Session]], tmp_path: Path
) -> None:
    _, _, sessions = db
    sent: list[OutboundMessage] = []

    class Robot:
        name, kind = "wecom", "group"

        def send(self, message: OutboundMessage) -> None:
            sent.append(message)

    clock = [NIGHT]
    sender = OutreachSender(sessions, {"wecom": Robot()}, clock=lambda: clock[0])
    weekly = Schedule("weekly", None, weekday=1, hour=20)  # Tuesdays 20:00
    _approved(sessions, template="brushing_rebate.students.post", channel="wecom", schedule=weekly)
    assert sender.tick().sent == 1 and sender.tick().sent == 0
    assert "【反诈提醒·刷单返利】" in sent[0].text and sent[0].address == "wecom"
    clock[0] = NIGHT + timedelta(days=7)
    assert sender.tick().sent == 1


def test_opt_out_and_cap_across_campaigns(
    db: tuple[str, Engine, sessionmaker[Session]], tmp_path: Path
) -> None:
    _, _, sessions = db
    outbox = tmp_path / "outbox.jsonl"
    sender = OutreachSender(sessions, {"file": FileChannel(outbox)}, clock=lambda: DAY, cap=1)
    with sessions() as session:
        first_id = session.query(Person.id).order_by(Person.id).first()[0]  # type: ignore[index]
        stored.opt_out(session, first_id, at=DAY)
        session.commit()
    first = _approved(sessions)
    second = _approved(sessions, template="phishing.students.sms")
    sender.tick()
    with sessions() as session:
        assert stored.delivery_counts(session, first) == {"sent": 11, "skipped_optout": 1}
        assert stored.delivery_counts(session, second) == {"skipped_cap": 11, "skipped_optout": 1}
    assert len(_lines(outbox)) == 11
    assert not any(line["address"] == "13800000000" for line in _lines(outbox))


def test_dry_run_writes_and_sends_nothing(
    db: tuple[str, Engine, sessionmaker[Session]], tmp_path: Path
) -> None:
    _, _, sessions = db
    cid = _approved(sessions, approve=False, district="青秀区")
    with sessions() as session:
        campaign = stored.get_campaign(session, cid)
        assert campaign is not None
        dry = dry_run_campaign(session, campaign, now=NIGHT)
        assert dry.statuses == {"queued": 6} and dry.run_key == "once"
        assert dry.segments == 1 and dry.quiet_hours
        assert "同学们" in dry.sample_text
        assert stored.delivery_counts(session, cid) == {}


def test_failures_are_logged_with_the_error(
    db: tuple[str, Engine, sessionmaker[Session]], tmp_path: Path
) -> None:
    _, _, sessions = db

    class Broken:
        name, kind = "file", "file"

        def send(self, message: OutboundMessage) -> None:
            raise ChannelError("gateway down")

    waits: list[float] = []
    sender = OutreachSender(
        sessions, {"file": Broken()}, clock=lambda: DAY, attempts=2, sleep=waits.append
    )
    cid = _approved(sessions)
    assert sender.tick().failed == 12 and len(waits) == 12
    with sessions() as session:
        deliveries, total = stored.list_deliveries(session, campaign_id=cid, status="failed")
        assert total == 12 and deliveries[0].error == "gateway down"
        assert deliveries[0].attempts == 1  # claims; the channel retries inside one claim


CHILD = """
import sys, time
from datetime import datetime, UTC
from pathlib import Path
from fanzha.outreach_sender import OutreachSender
from fanzha.outreach._channels import (FileChannel,)
from fanzha.store import make_engine, make_session_factory

class Slow(FileChannel):
    def send(self, message):
        super().send(message)
        time.sleep(0.15)

sessions = make_session_factory(make_engine(sys.argv[1]))
now = datetime.fromisoformat(sys.argv[3])
OutreachSender(sessions, {"file": Slow(Path(sys.argv[2]))}, clock=lambda: now).tick()
"""


def test_killed_and_restarted_sender_never_sends_twice(
    db: tuple[str, Engine, sessionmaker[Session]], tmp_path: Path
) -> None:
    url, _, sessions = db
    outbox = tmp_path / "outbox.jsonl"
    cid = _approved(sessions)
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent(CHILD), encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), url, str(outbox), DAY.isoformat()],
        env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"},
    )
    deadline = time.monotonic() + 60
    while len(_lines(outbox)) < 4:
        assert child.poll() is None, "the sender finished before it was killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    child.kill()  # SIGKILL: no clean-up of any kind
    child.wait()
    before = len(_lines(outbox))
    assert before < 12
    restarted = OutreachSender(sessions, {"file": FileChannel(outbox)}, clock=lambda: DAY)
    interrupted = restarted.start_up()
    assert interrupted <= 1
    restarted.tick()
    restarted.tick()
    lines = _lines(outbox)
    ids = [line["delivery_id"] for line in lines]
    addresses = [line["address"] for line in lines]
    assert len(ids) == len(set(ids)) and len(addresses) == len(set(addresses))
    with sessions() as session:
        counts = stored.delivery_counts(session, cid)
        assert set(counts) <= {"sent", "interrupted"}
        assert counts.get("interrupted", 0) == interrupted
        assert sum(counts.values()) == 12
        # every sent delivery is in the outbox once; an interrupted one at most once
        assert counts["sent"] <= len(lines) <= counts["sent"] + interrupted
