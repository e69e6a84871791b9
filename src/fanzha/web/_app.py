"""Serve the single-page UI: ``/static`` files, ``index.html`` for every page, UI labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from fanzha.funds import ACTION_NAMES, ENTRY_KINDS, KIND_NAMES, METHODS, RETURN_RULES, STATUS_NAMES
from fanzha.graph import EDGE_TYPES, NODE_TYPES, ROLE_LABELS
from fanzha.records import CASE_STATUS_NAMES
from fanzha.roles import PERMISSIONS, ROLE_NAMES
from fanzha.taxonomy import fraud_types
from fanzha.warning import (
    BAND_LABELS,
    CHANNEL_LABELS,
    CHANNEL_RESULTS,
    CHANNELS,
    RESULT_LABELS,
    STATE_LABELS,
    TRANSITIONS,
)

__all__ = ["PAGE_ROUTES", "STATIC_DIR", "install_web", "ui_meta"]

STATIC_DIR = Path(__file__).parent / "static"
PAGE_ROUTES = (
    "/",
    "/login",
    "/queue",
    "/tasks/{task_id}",
    "/screen",
    "/cases",
    "/cases/{case_id}",
    "/cases/{case_id}/funds",
    "/graph",
    "/kpi",
    "/stats",
    "/search",
    "/reports",
    "/clues",
    "/clues/{clue_id}",
    "/operations",
    "/operations/{operation_id}",
    "/dens",
    "/suspects",
    "/fugitives",
    "/key-persons",
    "/rectifications",
    "/outreach/campaigns",
    "/outreach/audiences",
    "/outreach/suggestions",
    "/outreach/templates",
    "/outreach/deliveries",
    "/outreach/events",
    "/admin/users",
    "/admin/sessions",
    "/admin/audit",
)
# The pages load only what the server itself serves; no inline script, no framing.
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

# How a trace splits an outgoing transfer between the lots of money in an account.
_METHOD_LABELS = {"fifo": "先进先出", "lifo": "后进先出", "pro_rata": "按比例"}
_RETURN_RULE_NAMES = {
    "single_deposit": "单笔直接返还",
    "traced": "溯源返还",
    "pro_rata": "按比例返还",
}
# Chinese names of the node properties the graph view shows (others are shown by key).
_GRAPH_PROPS = {
    "name": "姓名",
    "gender": "性别",
    "birth_date": "出生日期",
    "district": "辖区",
    "town": "乡镇",
    "village": "村",
    "occupation": "职业",
    "kind": "类别",
    "id_number": "身份证号",
    "phone_number": "电话",
    "operator": "经营者",
    "imei": "IMEI",
    "slots": "卡槽数",
    "cell_id": "基站",
    "number": "号码",
    "imsi": "IMSI",
    "carrier": "运营商",
    "registered_at": "登记时间",
    "flag_reason": "标记原因",
    "account_no": "账号",
    "bank": "开户行",
    "status": "状态",
    "opened_at": "开户时间",
    "platform": "平台",
    "handle": "账号名",
    "url": "网址",
    "domain": "域名",
    "first_seen": "首次发现",
    "case_no": "案件编号",
    "fraud_type": "诈骗类型",
    "amount_lost_fen": "损失金额",
    "occurred_at": "发案时间",
    "reported_at": "报案时间",
    "store_id": "库内编号",
}

# Chinese names of the coded values of those properties (the API keeps the codes).
_GRAPH_VALUES: dict[str, dict[str, str]] = {
    "gender": {"M": "男", "F": "女"},
    "kind": {
        "citizen": "群众",
        "victim": "受害人",
        "suspect": "嫌疑人",
        "handset": "手机",
        "goip": "GOIP 设备",
        "mobile": "移动电话",
        "landline": "固定电话",
        "personal": "个人账户",
        "corporate": "对公账户",
        "cash_out": "取现出口",
        "crypto_exit": "数字货币出口",
        "merchant": "商户账户",
        "bank": "银行网点",
        "phone": "通信营业厅",
    },
    "status": {"normal": "正常", "frozen": "已冻结", "stop_paid": "已止付", **CASE_STATUS_NAMES},
    "platform": {
        "wechat": "微信",
        "qq": "QQ",
        "telegram": "电报",
        "alipay": "支付宝",
        "douyin": "抖音",
        "weibo": "微博",
    },
}

# What the audit log records: the actions and the kinds of object (codes kept by the API).
_AUDIT_ACTIONS = {
    "login": "登录",
    "read": "查看",
    "list": "查询列表",
    "search": "搜索",
    "export": "导出",
    "create": "新建",
    "update": "修改",
    "disable": "停用账号",
    "enable": "启用账号",
    "revoke": "注销会话",
    "trace": "资金追踪",
    "restore": "恢复数据",
    "hit": "在逃比中",
}
_AUDIT_OBJECTS = {
    "user": "用户",
    "session": "登录会话",
    "person": "人员",
    "phone": "电话号码",
    "account": "银行账户",
    "case": "案件",
    "warning_task": "预警任务",
    "event": "预警事件",
    "report": "举报",
    "ledger": "止付冻结台账",
    "path": "关联路径",
    "gang": "团伙",
    "outlet": "网点",
    "role": "角色",
    "suspect": "犯罪嫌疑人",
    "fugitive": "在逃人员",
    "key_area": "重点地区",
    "key_person": "重点人员",
    "sweep": "清查",
    "rectification": "行业整改",
}


def _audit_meta() -> dict[str, Any]:
    objects = {t.key: t.label for t in NODE_TYPES}
    objects.update(_AUDIT_OBJECTS)
    return {"audit_actions": dict(_AUDIT_ACTIONS), "audit_objects": objects}


def _funds_meta() -> dict[str, Any]:
    return {
        "trace_methods": [{"method": m, "label": _METHOD_LABELS[m]} for m in METHODS],
        "trace_statuses": dict(STATUS_NAMES),
        "trace_actions": dict(ACTION_NAMES),
        "ledger_kinds": [{"kind": k, "label": KIND_NAMES[k]} for k in ENTRY_KINDS],
        "return_rules": {
            rule: {"name": _RETURN_RULE_NAMES[rule], "text": text}
            for rule, text in RETURN_RULES.items()
        },
    }


def _graph_meta() -> dict[str, Any]:
    return {
        "graph_node_types": [
            {"type": t.key, "label": t.label, "example": t.example} for t in NODE_TYPES
        ],
        "graph_edge_types": [
            {"type": t.key, "label": t.label, "timed": t.timed} for t in EDGE_TYPES
        ],
        "graph_roles": dict(ROLE_LABELS),
        "graph_props": _GRAPH_PROPS,
        "graph_values": {
            **_GRAPH_VALUES,
            "fraud_type": {t.code: t.name for t in fraud_types()},
        },
    }


def ui_meta() -> dict[str, Any]:
    """The labels and tables the pages need: states, moves, channels, results, fraud types,
    fund-control kinds and statuses, graph node and edge types."""
    return {
        "states": [{"state": str(s), "label": label} for s, label in STATE_LABELS.items()],
        "transitions": {str(s): sorted(str(t) for t in to) for s, to in TRANSITIONS.items()},
        "channels": [{"channel": c, "label": CHANNEL_LABELS[c]} for c in CHANNELS],
        "channel_results": {c: sorted(CHANNEL_RESULTS[c]) for c in CHANNELS},
        "result_labels": dict(RESULT_LABELS),
        "band_labels": dict(BAND_LABELS),
        "role_names": dict(ROLE_NAMES),
        "permissions": {action: sorted(roles) for action, roles in PERMISSIONS.items()},
        "fraud_types": [
            {"code": t.code, "name": t.name, "category": t.category} for t in fraud_types()
        ],
        "case_statuses": dict(CASE_STATUS_NAMES),
        **_funds_meta(),
        **_graph_meta(),
        **_audit_meta(),
    }


def install_web(app: FastAPI) -> None:
    """Mount the UI on ``app``: static files, the page routes and ``/ui/meta.json``."""
    index = STATIC_DIR / "index.html"
    meta = ui_meta()

    async def page() -> FileResponse:
        return FileResponse(index, media_type="text/html; charset=utf-8", headers=_HEADERS)

    async def labels() -> JSONResponse:
        return JSONResponse(meta, headers={"Cache-Control": "no-cache"})

    def not_found() -> FileResponse:
        return FileResponse(
            index, status_code=404, media_type="text/html; charset=utf-8", headers=_HEADERS
        )

    # A browser that opens an unknown address gets the UI, which says 页面不存在 in Chinese.
    app.state.page_not_found = not_found
    for path in PAGE_ROUTES:
        app.add_api_route(path, page, methods=["GET"], include_in_schema=False)
    app.add_api_route("/ui/meta.json", labels, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
