"""Record kinds, their fields, and how input columns map onto them.

Each kind (``calls``, ``transfers``, ``cards``, ``devices``) has a fixed set of fields.
A field is found in the input by an explicit mapping (``caller=主叫号码``) or else by the
first of its default names present in the header (English and common Chinese headers,
compared case-insensitively after trimming spaces).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from fanzha.errors import InvalidInput

__all__ = [
    "KINDS",
    "RECORD_FIELDS",
    "FieldSpec",
    "parse_mapping",
    "resolve_columns",
]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a record kind: its name, whether it is required, its default headers."""

    name: str
    required: bool
    aliases: tuple[str, ...]
    help: str


def _field(name: str, required: bool, help: str, *aliases: str) -> FieldSpec:
    return FieldSpec(name, required, (name, *aliases), help)


RECORD_FIELDS: Mapping[str, tuple[FieldSpec, ...]] = MappingProxyType(
    {
        "calls": (
            _field("caller", True, "calling number", "calling_number", "主叫", "主叫号码"),
            _field("callee", True, "called number", "called_number", "被叫", "被叫号码"),
            _field(
                "started_at",
                True,
                "start time",
                "start_time",
                "time",
                "通话时间",
                "开始时间",
                "呼叫时间",
                "通话开始时间",
            ),
            _field(
                "duration_s",
                False,
                "seconds, or h:mm:ss (default 0)",
                "duration",
                "通话时长",
                "时长",
            ),
            _field("kind", False, "call or sms (default call)", "type", "类型", "通话类型"),
        ),
        "transfers": (
            _field("txn_id", True, "transaction id", "transaction_id", "交易流水号", "流水号"),
            _field(
                "src",
                True,
                "paying account",
                "src_account",
                "from_account",
                "付款账号",
                "转出账号",
                "付款卡号",
                "转出卡号",
            ),
            _field(
                "dst",
                True,
                "receiving account",
                "dst_account",
                "to_account",
                "收款账号",
                "转入账号",
                "收款卡号",
                "转入卡号",
            ),
            _field("amount", True, "yuan (or fen with --amount-unit fen)", "金额", "交易金额"),
            _field("time", True, "transaction time", "at", "txn_time", "交易时间"),
            _field("currency", False, "CNY only (default CNY)", "币种"),
            _field("channel", False, "channel (default bank)", "渠道", "交易渠道"),
            _field("case_no", False, "case number already in the store", "案件编号", "案件号"),
        ),
        "cards": (
            _field(
                "number",
                True,
                "phone number or bank account number",
                "account_no",
                "card_no",
                "号码",
                "卡号",
                "手机号码",
                "银行卡号",
            ),
            _field("kind", False, "phone or bank (default: by length)", "类型", "卡类型"),
            _field("id_number", False, "holder's ID number", "身份证号", "身份证号码", "证件号码"),
            _field("name", False, "holder's name", "holder", "姓名", "户名", "机主姓名"),
            _field("outlet", False, "outlet name", "营业网点", "网点", "开户网点", "营业厅"),
            _field(
                "opened_at",
                False,
                "registration time",
                "registered_at",
                "开户时间",
                "入网时间",
                "办理时间",
            ),
            _field(
                "issuer", False, "carrier or bank", "carrier", "bank", "运营商", "开户行", "银行"
            ),
        ),
        "devices": (
            _field("imei", True, "IMEI (or MEID)", "设备号", "串号"),
            _field(
                "number",
                True,
                "phone number of the SIM",
                "phone",
                "msisdn",
                "手机号码",
                "号码",
            ),
            _field("seen_at", True, "time of the log", "time", "时间", "采集时间", "上报时间"),
            _field("cell_id", False, "cell id", "cell", "基站", "小区", "基站号", "小区号"),
            _field("imsi", False, "IMSI of the SIM", "IMSI"),
            _field("kind", False, "handset or goip (default handset)", "设备类型", "类型"),
        ),
    }
)
KINDS = tuple(RECORD_FIELDS)


def parse_mapping(items: Iterable[str]) -> dict[str, str]:
    """``["caller=主叫号码,callee=被叫号码"]`` → ``{"caller": "主叫号码", "callee": "被叫号码"}``.

    Raises:
        InvalidInput: an item without ``=`` or a field mapped twice.
    """
    mapping: dict[str, str] = {}
    for item in items:
        for part in item.split(","):
            if not part.strip():
                continue
            target, sep, source = part.partition("=")
            target, source = target.strip(), source.strip()
            if not sep or not target or not source:
                raise InvalidInput(
                    f"{part!r} is not field=column; e.g. caller=主叫号码", field="--map", value=part
                )
            if target in mapping:
                raise InvalidInput(f"{target!r} is mapped twice", field="--map", value=part)
            mapping[target] = source
    return mapping


def resolve_columns(
    kind: str, header: Sequence[str], mapping: Mapping[str, str], *, source: str
) -> dict[str, str]:
    """The input column of each field present: explicit mapping first, then default names.

    Raises:
        InvalidInput: an unknown kind or field, a mapped column the file lacks, or a required
            field that no column provides.
    """
    if kind not in RECORD_FIELDS:
        raise InvalidInput(f"{kind!r} is not a record kind; use {', '.join(KINDS)}", field="kind")
    fields = RECORD_FIELDS[kind]
    names = [spec.name for spec in fields]
    unknown = sorted(set(mapping) - set(names))
    if unknown:
        raise InvalidInput(
            f"{', '.join(unknown)} is not a field of {kind}; the fields are {', '.join(names)}",
            field="--map",
            value=unknown[0],
        )
    by_folded: dict[str, str] = {}
    for name in header:
        by_folded.setdefault(name.strip().casefold(), name)
    resolved: dict[str, str] = {}
    for spec in fields:
        if spec.name in mapping:
            wanted = mapping[spec.name]
            column: str | None = (
                wanted if wanted in header else by_folded.get(wanted.strip().casefold())
            )
            if column is None:
                raise InvalidInput(
                    f"no column {wanted!r} (mapped to {spec.name}); the file has "
                    f"{', '.join(header)}",
                    field=spec.name,
                    source=source,
                )
            resolved[spec.name] = column
            continue
        found = next(
            (by_folded[a.casefold()] for a in spec.aliases if a.casefold() in by_folded), None
        )
        if found is not None:
            resolved[spec.name] = found
        elif spec.required:
            raise InvalidInput(
                f"no column for {spec.name} ({spec.help}); looked for "
                f"{', '.join(spec.aliases)}; the file has {', '.join(header)}. "
                f"Map it with --map {spec.name}=<column>",
                field=spec.name,
                source=source,
            )
    return resolved
