"""Bodies of the search: what the query was read as, and the results grouped by kind.

Each hit names the page that shows it (``link``) and, for the entities of the relation
graph, its node id (``node``); names, ID, phone and account numbers are masked for roles
without ``pii.view`` (as the record look-ups mask them).
"""

from __future__ import annotations

from typing import Final, Self
from urllib.parse import quote

from pydantic import BaseModel

from fanzha.api.schemas.common import fraud_type_name
from fanzha.masking import mask_value
from fanzha.store import BankAccount, Case, IMAccount, Person, Phone, Url

__all__ = [
    "CLUE_LABELS",
    "HIT_LABELS",
    "DistrictListPublic",
    "SearchGroupPublic",
    "SearchHitPublic",
    "SearchPublic",
]

#: The Chinese name of each reading of a query (:data:`fanzha.records.CLUE_KINDS`).
CLUE_LABELS: Final = {
    "case": "案件编号",
    "id_number": "身份证号",
    "name": "姓名",
    "phone": "电话号码",
    "account": "银行账号",
    "im": "即时通讯账号",
    "url": "网址",
    "domain": "域名",
}
#: The Chinese name of each group of results.
HIT_LABELS: Final = {
    "case": "案件",
    "person": "人员",
    "phone": "电话号码",
    "account": "银行账户",
    "im": "即时通讯账号",
    "url": "网址",
}
_PLATFORMS: Final = {"wechat": "微信", "qq": "QQ", "telegram": "Telegram"}
_ACCOUNT_STATUS: Final = {
    "normal": "正常",
    "stopped": "已止付",
    "frozen": "已冻结",
    "closed": "已销户",
}
_PERSON_KINDS: Final = {"citizen": "群众", "victim": "受害人", "suspect": "嫌疑人"}


def _graph_link(node: str, graph: bool) -> str | None:
    return f"/graph?from={quote(node, safe=':')}" if graph else None


class SearchHitPublic(BaseModel):
    """One record found: its kind, store id, a title and a line of detail in Chinese, the web
    page that shows it (None when the role has none) and its node in the relation graph."""

    kind: str
    id: int
    title: str
    detail: str
    district: str | None
    flagged: bool
    link: str | None
    node: str | None

    @classmethod
    def of_case(cls, case: Case) -> Self:
        """A case: its number, fraud type and loss; linked to the case page."""
        loss = f"{case.amount_lost_fen / 100:,.2f} 元"
        return cls(
            kind="case",
            id=case.id,
            title=case.case_no,
            detail=f"{fraud_type_name(case.fraud_type)} · 损失 {loss}",
            district=case.district,
            flagged=False,
            link=f"/cases/{case.id}",
            node=f"case:{case.case_no}",
        )

    @classmethod
    def of_person(cls, person: Person, *, visible: bool, graph: bool) -> Self:
        """A person: name (masked unless ``visible``), ID number, kind and place."""
        id_number = mask_value("id_number", person.id_number, visible=visible)
        place = " ".join(p for p in (person.district, person.town) if p)
        parts = [
            f"身份证号 {id_number}" if id_number else "",
            _PERSON_KINDS.get(person.kind, person.kind),
            place,
        ]
        node = f"person:{person.id}"
        return cls(
            kind="person",
            id=person.id,
            title=mask_value("name", person.name, visible=visible) or "",
            detail=" · ".join(p for p in parts if p),
            district=person.district,
            flagged=person.kind == "suspect",
            link=_graph_link(node, graph),
            node=node,
        )

    @classmethod
    def of_phone(cls, phone: Phone, *, visible: bool, graph: bool) -> Self:
        """A phone number (masked unless ``visible``), its carrier and flag."""
        parts = [phone.carrier or "", "已标记涉诈" if phone.flagged else "", phone.flag_reason]
        node = f"phone:{phone.number}"
        return cls(
            kind="phone",
            id=phone.id,
            title=mask_value("phone", phone.number, visible=visible) or "",
            detail=" · ".join(p for p in parts if p) or "未标记",
            district=None,
            flagged=phone.flagged,
            link=_graph_link(node, graph and visible),
            node=node if visible else None,
        )

    @classmethod
    def of_account(cls, account: BankAccount, *, visible: bool, graph: bool) -> Self:
        """A bank account (masked unless ``visible``), its bank and status."""
        status = _ACCOUNT_STATUS.get(account.status, account.status)
        parts = [account.bank, status, "已标记涉诈" if account.flagged else ""]
        node = f"account:{account.account_no}"
        return cls(
            kind="account",
            id=account.id,
            title=mask_value("account", account.account_no, visible=visible) or "",
            detail=" · ".join(p for p in parts if p),
            district=None,
            flagged=account.flagged,
            link=_graph_link(node, graph and visible),
            node=node if visible else None,
        )

    @classmethod
    def of_im(cls, im: IMAccount, *, graph: bool) -> Self:
        """An IM account: platform and handle."""
        node = f"im:{im.platform}:{im.handle.lower()}"
        return cls(
            kind="im",
            id=im.id,
            title=im.handle,
            detail=_PLATFORMS.get(im.platform, im.platform)
            + (" · 已标记涉诈" if im.flagged else ""),
            district=None,
            flagged=im.flagged,
            link=_graph_link(node, graph),
            node=node,
        )

    @classmethod
    def of_url(cls, url: Url, *, graph: bool) -> Self:
        """A URL: the address and its domain."""
        node = f"url:{url.url}"
        return cls(
            kind="url",
            id=url.id,
            title=url.url,
            detail=f"域名 {url.domain}" + (" · 已标记涉诈" if url.flagged else ""),
            district=None,
            flagged=url.flagged,
            link=_graph_link(node, graph),
            node=node,
        )


class SearchGroupPublic(BaseModel):
    """The hits of one kind, at most ``limit`` of them (``more``: there may be others)."""

    kind: str
    label: str
    hits: list[SearchHitPublic]
    more: bool


class SearchPublic(BaseModel):
    """What the query was read as (``kinds`` and their Chinese ``kind_labels``), the groups of
    hits (only kinds with hits), their total, and a Chinese ``message`` for the officer."""

    kinds: list[str]
    kind_labels: list[str]
    groups: list[SearchGroupPublic]
    total: int
    message: str


class DistrictListPublic(BaseModel):
    """The districts to choose from, and the caller's own (None: city-wide)."""

    data: list[str]
    own: str | None
