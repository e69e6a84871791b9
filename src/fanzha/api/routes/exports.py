"""导出 over HTTP: the queue, the cases, a case's transfers, its ledger and a return plan as
XLSX or CSV files (``GET /api/v1/export/….xlsx|.csv``).

Each export reads what the matching list or look-up reads, for the same officer: the same
permission, the same district scope, the same masking (roles without ``pii.view`` get the
masked bodies, and every number left in free text masked, as the JSON masking middleware
does), and is audited as ``export`` with the required reason. The files are written by
:mod:`fanzha.exports`; the response is never cached and names its file in Chinese
(RFC 6266 / RFC 5987 ``filename*``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Final, Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from fanzha.api._deps import DbSession, audit, permit
from fanzha.api._funds_service import case_ledger, plan_return
from fanzha.api._reasons import Reason
from fanzha.api.routes.funds import transfers_of
from fanzha.api.schemas.common import ApiTime, RecordId
from fanzha.api.schemas.records import CasePublic, CaseTransferPublic
from fanzha.api.schemas.warning import TaskPublic
from fanzha.errors import InvalidInput, NotFound
from fanzha.exports import (
    Sheet,
    case_sheets,
    csv_bytes,
    ledger_sheets,
    queue_sheets,
    return_plan_sheets,
    transfer_sheets,
    xlsx_bytes,
)
from fanzha.masking import mask_document
from fanzha.records import DEFAULT_TZ
from fanzha.roles import Actor, district_scope, is_allowed
from fanzha.store import records as stored_records
from fanzha.store import users as stored_users
from fanzha.store import warning as stored_warning
from fanzha.warning import TaskState

__all__ = ["EXPORT_ROWS_MAX", "router"]

router = APIRouter(prefix="/export", tags=["export"])

#: The most rows one export holds; a larger selection is refused (narrow the filters).
EXPORT_ROWS_MAX: Final = 20_000

Format = Literal["xlsx", "csv"]
_MEDIA: Final = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
_FILE_RESPONSES: Final[dict[int | str, dict[str, Any]]] = {
    200: {
        "description": "the file (XLSX workbook or UTF-8 CSV with a byte-order mark)",
        "content": {
            _MEDIA["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


def attachment(filename: str) -> str:
    """A Content-Disposition that downloads as ``filename`` (UTF-8, RFC 5987 ``filename*``),
    with an ASCII ``filename`` for old clients."""
    stem, _, extension = filename.rpartition(".")
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in stem)
    return (
        f'attachment; filename="fanzha-{fallback.strip("_") or "export"}.{extension}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def _file(sheets: Sequence[Sheet], fmt: Format, name: str) -> Response:
    """The sheets as a downloadable file, never cached."""
    stamp = datetime.now(ZoneInfo(DEFAULT_TZ)).strftime("%Y%m%d_%H%M")
    content = xlsx_bytes(sheets) if fmt == "xlsx" else csv_bytes(sheets[0])
    return Response(
        content=content,
        media_type=_MEDIA[fmt],
        headers={
            "Content-Disposition": attachment(f"{name}_{stamp}.{fmt}"),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _rows(bodies: Sequence[BaseModel], actor: Actor) -> list[dict[str, Any]]:
    """The bodies as rows; for a role without ``pii.view`` every number left in any text is
    masked too (the bodies' own fields already are)."""
    rows = [body.model_dump() for body in bodies]
    if is_allowed(actor.role, "pii.view"):
        return rows
    masked = mask_document(rows)
    assert isinstance(masked, list)
    return masked


def _check_size(count: int) -> None:
    if count > EXPORT_ROWS_MAX:
        raise InvalidInput(
            f"共 {count} 条，超过单次导出上限 {EXPORT_ROWS_MAX} 条，请缩小筛选范围后再导出 "
            f"(at most {EXPORT_ROWS_MAX} rows per export)",
            field="filters",
            value=count,
        )


@router.get("/queue.{fmt}", response_class=Response, responses=_FILE_RESPONSES)
def export_queue(
    fmt: Format,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("task.list"))],
    reason: Reason,
    state: Annotated[list[TaskState] | None, Query()] = None,
    district: str | None = None,
    assigned_to: RecordId | None = None,
    mine: bool = False,
    open_only: bool = False,
    sort: Literal["priority", "sla", "created"] = "priority",
) -> Response:
    """The warning queue (预警队列) with the queue's filters, every page, as a file."""
    states = state or (stored_warning.OPEN_STATE_VALUES if open_only else [])
    tasks, count = stored_warning.list_tasks(
        db,
        states=states,
        district=district,
        assigned_to=actor.user_id if mine else assigned_to,
        sort=sort,
        page=1,
        per_page=EXPORT_ROWS_MAX,
        scope=district_scope(actor),
    )
    _check_size(count)
    audit(
        request,
        actor,
        "export",
        "warning_task",
        "*",
        reason=reason,
        detail=(
            f"{fmt} rows={len(tasks)} state={','.join(states)} district={district} "
            f"assigned_to={assigned_to} mine={mine}"
        ),
    )
    names = stored_users.user_names(db, (int(t.assigned_to) for t in tasks if t.assigned_to))
    visible = is_allowed(actor.role, "pii.view")
    rows = _rows([TaskPublic.of(t, visible=visible, names=names) for t in tasks], actor)
    return _file(queue_sheets(rows), fmt, "预警队列")


@router.get("/cases.{fmt}", response_class=Response, responses=_FILE_RESPONSES)
def export_cases(
    fmt: Format,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("case.list"))],
    reason: Reason,
    fraud_type: str | None = None,
    district: str | None = None,
    status: str | None = None,
    since: ApiTime | None = None,
    until: ApiTime | None = None,
) -> Response:
    """The cases (案件列表) with the list's filters, every page, as a file."""
    which = stored_records.CaseFilter(fraud_type, district, status, since, until)
    found, count = stored_records.list_cases(
        db, which, 1, EXPORT_ROWS_MAX, scope=district_scope(actor)
    )
    _check_size(count)
    audit(
        request,
        actor,
        "export",
        "case",
        "*",
        reason=reason,
        detail=f"{fmt} rows={len(found)} fraud_type={fraud_type} district={district} "
        f"status={status}",
    )
    visible = is_allowed(actor.role, "pii.view")
    rows = _rows([CasePublic.of(case, victim, visible=visible) for case, victim in found], actor)
    return _file(case_sheets(rows), fmt, "案件列表")


@router.get("/cases/{case_id}/transfers.{fmt}", response_class=Response, responses=_FILE_RESPONSES)
def export_case_transfers(
    case_id: RecordId,
    fmt: Format,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("case.read"))],
    reason: Reason,
) -> Response:
    """A case's transfers (资金流水) as a file."""
    case = stored_records.get_case(db, case_id, district_scope(actor))
    if case is None:
        raise NotFound(f"case {case_id} does not exist")
    transfers = stored_records.case_transfers(db, case_id)
    audit(
        request,
        actor,
        "export",
        "case",
        case_id,
        reason=reason,
        detail=f"{fmt} transfers rows={len(transfers)}",
    )
    visible = is_allowed(actor.role, "pii.view")
    rows = _rows([CaseTransferPublic.of(t, visible=visible) for t in transfers], actor)
    return _file(
        transfer_sheets({"case_no": case.case_no}, rows), fmt, f"案件{case.case_no}_资金流水"
    )


@router.get("/cases/{case_id}/ledger.{fmt}", response_class=Response, responses=_FILE_RESPONSES)
def export_ledger(
    case_id: RecordId,
    fmt: Format,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("funds.ledger.read"))],
    reason: Reason,
) -> Response:
    """A case's stop-pay / freeze / return ledger (止付冻结台账) as a file: entries, balances
    per account and totals in XLSX; the entries in CSV."""
    ledger = case_ledger(db, case_id)
    audit(
        request,
        actor,
        "export",
        "ledger",
        case_id,
        reason=reason,
        detail=f"{fmt} rows={len(ledger.entries)}",
    )
    (body,) = _rows([ledger], actor)
    return _file(ledger_sheets(body), fmt, f"案件{ledger.case_no}_止付冻结台账")


@router.get(
    "/cases/{case_id}/return-plan.{fmt}", response_class=Response, responses=_FILE_RESPONSES
)
def export_return_plan(
    case_id: RecordId,
    fmt: Format,
    request: Request,
    db: DbSession,
    actor: Annotated[Actor, Depends(permit("funds.ledger.read"))],
    account: Annotated[str, Query(min_length=4, max_length=40)],
    reason: Reason,
    authority: str = "南宁市公安局反诈中心",
    contact: str = "0771-96110",
) -> Response:
    """A return plan (返还方案) for the money frozen on ``account`` as a file: lines, basis
    and notice in XLSX; the lines in CSV."""
    loaded = transfers_of(request, db)
    plan = plan_return(db, loaded, case_id, account, authority=authority, contact=contact)
    audit(
        request,
        actor,
        "export",
        "ledger",
        case_id,
        reason=reason,
        detail=f"{fmt} return plan {account} rows={len(plan.lines)}",
    )
    (body,) = _rows([plan], actor)
    return _file(return_plan_sheets(body), fmt, f"案件{plan.case_id}_返还方案")
