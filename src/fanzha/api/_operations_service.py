"""侦查打击 behind the routes: clues made from the graph or a fund trace with their evidence
snapshot, moved through their states, and operations with their live roll-up."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session

from fanzha.api._graph_service import loaded_graph
from fanzha.api.schemas.operations import (
    ClueCreate,
    ClueDetailPublic,
    CluePublic,
    ClueTransitionPublic,
    DenPublic,
    OperationPublic,
    RaidPublic,
    RollupPublic,
    SeizurePublic,
)
from fanzha.errors import InvalidInput, NotFound
from fanzha.graph import expand, gang_record, subgraph_json
from fanzha.operations import (
    CLUE_LABELS,
    CLUE_SOURCES,
    DEN_KINDS,
    DEN_STATES,
    OPERATION_STATES,
    ROLLUP_FIGURES,
    SEIZURE_KINDS,
    ClueRecord,
    DenRecord,
    OperationRecord,
    OperationRollup,
    RaidRecord,
    check_clue_fields,
    clue_due_at,
    clue_machine,
    move_clue,
    operation_state,
)
from fanzha.roles import Actor, district_scope
from fanzha.store import clues as stored_clues
from fanzha.store import operations as stored_ops

__all__ = [
    "clue_detail",
    "clue_public",
    "create_clue",
    "den_public",
    "operation_publics",
    "raid_public",
    "scoped_district",
    "transition_clue",
]


def scoped_district(actor: Actor, district: str | None) -> str | None:
    """The district a record of ``actor`` gets: a district team's own (another is refused),
    the city team's choice."""
    scope = district_scope(actor)
    if scope is None:
        return district
    if district not in (None, scope):
        raise InvalidInput(f"不能登记{district}的记录 (not your district)", field="district")
    return scope


def clue_public(clue: ClueRecord, now: datetime) -> CluePublic:
    """A clue as lists show it."""
    return CluePublic(
        id=clue.id,
        source=clue.source,
        source_name=CLUE_SOURCES.get(clue.source, clue.source),
        source_ref=clue.source_ref,
        title=clue.title,
        summary=clue.summary,
        owner_level=clue.owner_level,
        district=clue.district,
        state=clue.state,
        state_name=CLUE_LABELS.get(clue.state, clue.state),
        urgent=clue.urgent,
        operation_id=clue.operation_id,
        created_at=clue.created_at,
        sla_due_at=clue.sla_due_at,
        closed_at=clue.closed_at,
        overdue=clue.is_open and clue.sla_due_at < now,
        outcome=clue.outcome,
        version=clue.version,
    )


def clue_detail(db: Session, clue: ClueRecord, now: datetime) -> ClueDetailPublic:
    """A clue with its evidence, the states it may move to and its recorded changes."""
    changes = [
        ClueTransitionPublic(
            from_state=c.from_state, to_state=c.to_state, at=c.at, user_id=c.user_id, note=c.note
        )
        for c in stored_clues.clue_transitions(db, clue.id)
    ]
    return ClueDetailPublic(
        **clue_public(clue, now).model_dump(),
        evidence=json.dumps(dict(clue.evidence), ensure_ascii=False, default=str),
        allowed=sorted(clue_machine.allowed(clue.state)),
        transitions=changes,
    )


def _evidence(request: Request, db: Session, body: ClueCreate) -> dict[str, Any]:
    """The snapshot of what the clue is about, taken now (the graph's, or the body's)."""
    if not body.source.startswith("graph_"):
        return dict(body.evidence or {})
    loaded = loaded_graph(request, db)
    ref = body.source_ref
    if body.source == "graph_gang":
        for gang in loaded.gangs():
            if str(gang.id) == ref:
                return {"gang": gang_record(loaded.graph, gang, max_members=200)}
        raise InvalidInput(f"图谱中没有团伙 {ref} (no such gang in the graph)", field="source_ref")
    try:
        ref = str(loaded.graph.ids[loaded.graph.index_of(ref)])
    except (InvalidInput, NotFound) as exc:
        raise InvalidInput(f"图谱中没有节点 {ref} ({exc})", field="source_ref") from exc
    if body.source == "graph_role":
        roles = loaded.roles()
        return {"node": ref, "roles": roles.filter(roles["id"] == ref).to_dicts()}
    sub = expand(loaded.graph, ref, hops=1, cap=30)
    return {"node": ref, "subgraph": subgraph_json(loaded.graph, sub, roles=loaded.roles())}


def create_clue(
    request: Request, db: Session, actor: Actor, body: ClueCreate, sla_hours: float
) -> ClueRecord:
    """Make a clue in the actor's scope with its evidence snapshot and SLA."""
    district = scoped_district(actor, body.district)
    level = body.owner_level if district_scope(actor) is None else "district"
    check_clue_fields(body.source, level, district)
    if body.source != "manual" and not body.source_ref:
        raise InvalidInput("须注明线索来源编号 (source_ref is required)", field="source_ref")
    if body.operation_id is not None:
        stored_ops.get_operation(db, body.operation_id, scope=district_scope(actor))
    now = datetime.now(UTC)
    return stored_clues.add_clue(
        db,
        stored_clues.NewClue(
            source=body.source,
            source_ref=body.source_ref,
            title=body.title,
            summary=body.summary,
            evidence=_evidence(request, db, body),
            owner_level=level,
            district=district,
            created_at=now,
            sla_due_at=clue_due_at(now, hours=sla_hours),
            operation_id=body.operation_id,
            gang_id=body.gang_id,
            created_by=actor.user_id,
        ),
    )


def transition_clue(
    db: Session, actor: Actor, clue_id: int, to_state: str, *, version: int, note: str
) -> ClueRecord:
    """Move a clue of the actor's scope (the state machine decides; 409 names both states)."""
    clue = stored_clues.get_clue(db, clue_id, scope=district_scope(actor), version=version)
    moved, change = move_clue(clue, to_state, at=datetime.now(UTC), note=note)
    return stored_clues.save_clue_move(db, clue, moved, change, actor.user_id)


def _rollup(rollup: OperationRollup) -> RollupPublic:
    labels = dict(ROLLUP_FIGURES) | {f"seized:{k}": v for k, v in SEIZURE_KINDS.items()}
    return RollupPublic(
        officers=rollup.officers,
        arrests=rollup.arrests,
        caught_in_raids=rollup.caught_in_raids,
        raids=rollup.raids,
        dens_raided=rollup.dens_raided,
        rectifications=rollup.rectifications,
        outreach_sites=rollup.outreach_sites,
        sweeps=rollup.sweeps,
        clues=rollup.clues,
        clues_landed=rollup.clues_landed,
        cash_fen=rollup.cash_fen,
        seizures={k: rollup.seizures[k] for k in SEIZURE_KINDS if k in rollup.seizures},
        labels=labels,
    )


def operation_publics(
    db: Session, operations: list[OperationRecord], scope: str | None, today: date
) -> list[OperationPublic]:
    """The operations with their live figures (of ``scope``'s records)."""
    rollups = stored_ops.operation_rollups(db, [op.id for op in operations], scope=scope)
    out = []
    for op in operations:
        state = operation_state(op, today)
        out.append(
            OperationPublic(
                id=op.id,
                name=op.name,
                starts_on=op.starts_on,
                ends_on=op.ends_on,
                districts=list(op.districts),
                lead_unit=op.lead_unit,
                officers=op.officers,
                outreach_sites=op.outreach_sites,
                description=op.description,
                state=state,
                state_name=OPERATION_STATES[state],
                rollup=_rollup(rollups[op.id]),
            )
        )
    return out


def den_public(den: DenRecord) -> DenPublic:
    """A den with the Chinese names of its kind and state."""
    return DenPublic(
        id=den.id,
        name=den.name,
        kind=den.kind,
        kind_name=DEN_KINDS.get(den.kind, den.kind),
        district=den.district,
        town=den.town,
        village=den.village,
        address=den.address,
        state=den.state,
        state_name=DEN_STATES.get(den.state, den.state),
        source=den.source,
        operation_id=den.operation_id,
        gang_id=den.gang_id,
        clue_id=den.clue_id,
        raids=den.raids,
    )


def raid_public(raid: RaidRecord) -> RaidPublic:
    """A raid with its seizures by kind."""
    return RaidPublic(
        id=raid.id,
        raided_at=raid.raided_at,
        district=raid.district,
        den_id=raid.den_id,
        operation_id=raid.operation_id,
        clue_id=raid.clue_id,
        officers=raid.officers,
        suspects_caught=raid.suspects_caught,
        note=raid.note,
        seizures=[
            SeizurePublic(
                id=s.id,
                raid_id=s.raid_id,
                operation_id=s.operation_id,
                kind=s.kind,
                kind_name=SEIZURE_KINDS.get(s.kind, s.kind),
                count=s.count,
                amount_fen=s.amount_fen,
                case_id=s.case_id,
                note=s.note,
            )
            for s in raid.seizures
        ],
    )
