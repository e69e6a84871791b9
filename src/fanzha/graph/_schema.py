"""The entity graph's schema as data: node types (with their id forms) and edge types.

Every node has a typed, normalised id ``type:key`` (``phone:13800138000``,
``account:6222020200112233445``, ``person:123``, ``device:861325220391378``,
``case:A4501002024000001``, ``outlet:7``, ``url:https://shop.example/pay``,
``domain:shop.example``, ``im:wechat:wxid_abc``, ``ip:10.1.2.3``, ``wallet:TXyz…``).
The store keeps one SIM per number, so ``sim:IMSI`` is an alias that resolves to the
phone node holding that SIM. Edge types are either *timed* events (a call, a transfer),
which time windows and minimum weights filter, or *static* facts (who registered a card,
where it was opened), which every window keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from fanzha.errors import InvalidInput

__all__ = [
    "EDGE_TYPES",
    "NODE_TYPES",
    "EdgeType",
    "NodeType",
    "edge_type_code",
    "node_type_code",
]


@dataclass(frozen=True, slots=True)
class NodeType:
    """A kind of entity: key, Chinese label, the id form and an example id."""

    key: str
    label: str
    form: str
    example: str


@dataclass(frozen=True, slots=True)
class EdgeType:
    """A kind of link: key, Chinese label, whether it is a timed event, what ``value`` sums."""

    key: str
    label: str
    timed: bool
    value: str | None = None


NODE_TYPES = (
    NodeType("person", "人员", "person:<store id>", "person:123"),
    NodeType("phone", "手机号", "phone:<digits, no +86>", "phone:13800138000"),
    NodeType("device", "设备", "device:<IMEI digits>", "device:861325220391378"),
    NodeType("account", "银行卡/账户", "account:<account number>", "account:6222020200112233445"),
    NodeType("wallet", "数字钱包", "wallet:<address, case kept>", "wallet:TQ5x7Hn2aBc"),
    NodeType("im", "社交账号", "im:<platform>:<handle>", "im:wechat:wxid_abc123"),
    NodeType("url", "网址", "url:<url, host lower-cased>", "url:https://shop.example/pay"),
    NodeType("domain", "域名", "domain:<host, lower-cased>", "domain:shop.example"),
    NodeType("ip", "IP地址", "ip:<address>", "ip:10.1.2.3"),
    NodeType("case", "案件", "case:<case number, upper-cased>", "case:A4501002024000001"),
    NodeType("outlet", "营业网点", "outlet:<store id>", "outlet:7"),
)

EDGE_TYPES = (
    EdgeType("called", "通话", timed=True, value="duration_s"),
    EdgeType("texted", "短信", timed=True),
    EdgeType("transferred", "转账", timed=True, value="amount_fen"),
    EdgeType("registered-by", "实名登记", timed=False),
    EdgeType("used-SIM", "插卡使用", timed=False),
    EdgeType("logged-in-from", "登录", timed=True),
    EdgeType("reported-in", "涉案", timed=True),
    EdgeType("opened-at", "开户网点", timed=False),
    EdgeType("contacted", "联系被害人", timed=True),
    EdgeType("hosted-on", "所属域名", timed=False),
    EdgeType("SIM-seen", "插卡记录", timed=True),
)

_NODE_CODES = MappingProxyType({t.key: i for i, t in enumerate(NODE_TYPES)})
_EDGE_CODES = MappingProxyType({t.key: i for i, t in enumerate(EDGE_TYPES)})


def node_type_code(key: str) -> int:
    """The code of node type ``key``; raises ``InvalidInput`` naming the known types."""
    if key not in _NODE_CODES:
        raise InvalidInput(f"unknown node type {key!r}; known: {', '.join(_NODE_CODES)}", value=key)
    return _NODE_CODES[key]


def edge_type_code(key: str) -> int:
    """The code of edge type ``key``; raises ``InvalidInput`` naming the known types."""
    if key not in _EDGE_CODES:
        raise InvalidInput(
            f"unknown edge type {key!r}; known: {', '.join(_EDGE_CODES)}", field="types", value=key
        )
    return _EDGE_CODES[key]
