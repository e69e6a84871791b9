"""The Chinese message of an error: what an officer reads in a banner.

Core functions raise errors whose text is often English (for logs and developers) or
Chinese followed by an English gloss. The API keeps the stable English ``code`` and
``field``, puts the original text in ``detail`` and answers with a ``message`` that is
Chinese only: the Chinese part of the text when it has one, else a sentence made from the
code and the field's Chinese label.
"""

from __future__ import annotations

import re
from types import MappingProxyType

__all__ = ["FIELD_LABELS", "chinese_message", "validation_message"]

_CJK = re.compile(r"[\u3400-\u9fff]")
# Chinese text and the punctuation that may end a Chinese sentence or clause.
_CHINESE_END = re.compile(r"[\u3400-\u9fff。，；：！？」』）》、％]")
_ASCII_GLOSS = re.compile(r"\s*[（(][\x00-\x7f]*[）)]")

FIELD_LABELS = MappingProxyType(
    {
        "reason": "查询事由",
        "version": "版本号",
        "body": "请求内容",
        "page": "页码",
        "page_size": "每页条数",
        "since": "开始时间",
        "until": "结束时间",
        "state": "状态",
        "to_state": "目标状态",
        "district": "辖区",
        "assigned_to": "经办人",
        "channel": "联系方式",
        "result": "处置结果",
        "note": "备注",
        "money_saved_fen": "挽回金额",
        "paid_fen": "已被骗金额",
        "amount_fen": "金额",
        "amount_at_risk_fen": "涉险金额",
        "person_id": "人员编号",
        "case_id": "案件编号",
        "case_no": "案件编号",
        "text": "文本",
        "items": "批量内容",
        "number": "号码",
        "phone": "手机号码",
        "account": "银行账号",
        "url": "网址",
        "kind": "类型",
        "fraud_type": "诈骗类型",
        "username": "用户名",
        "password": "密码",
        "role": "角色",
        "hops": "扩线层数",
        "clue": "线索",
        "q": "查询内容",
    }
)

_BY_CODE = MappingProxyType(
    {
        "not_found": "未找到该记录或页面",
        "permission_denied": "当前角色无权执行此操作",
        "not_authenticated": "请先登录（登录已失效或未登录）",
        "conflict": "与已有记录冲突，请刷新后重试",
        "illegal_transition": "当前状态下不能进行该操作，请刷新后重试",
        "ledger_conflict": "与资金台账的现有记录冲突，请核对后重试",
        "not_fitted": "模型尚未训练或加载",
        "too_large": "请求内容过大",
        "method_not_allowed": "不支持该请求方式",
        "unavailable": "服务繁忙，请稍后重试",
        "rate_limited": "请求过于频繁，请稍后重试",
        "internal": "服务器内部错误",
        "audit_key": "审计密钥配置有误",
    }
)


def _label(field: str | None) -> str:
    if not field:
        return "输入"
    leaf = field.split(".")[0]
    return FIELD_LABELS.get(field) or FIELD_LABELS.get(leaf) or f"字段 {field}"


def _chinese_part(text: str) -> str:
    """The Chinese sentence(s) of ``text``: English glosses in brackets, a leading
    ``field: `` prefix and a trailing English sentence removed."""
    text = _ASCII_GLOSS.sub("", text)
    first = _CJK.search(text)
    assert first is not None
    head = text[: first.start()]
    if ": " in head:
        text = text[head.rindex(": ") + 2 :]
    ends = list(_CHINESE_END.finditer(text))
    return text[: ends[-1].end()].strip()


def chinese_message(code: str, text: str, field: str | None = None) -> str:
    """The Chinese message for an error of ``code`` whose original text is ``text`` (a ledger
    refusal names entries in English: its message is the code's sentence; pages read the
    figures from ``detail``)."""
    if code == "ledger_conflict":
        return _BY_CODE[code]
    if _CJK.search(text):
        return _chinese_part(text)
    if code == "invalid_input":
        return f"{_label(field)}的值不合法，请检查后重试"
    return _BY_CODE.get(code, "请求无法处理，请检查后重试")


_BY_TYPE = MappingProxyType(
    {
        "missing": "缺少必填项：{label}",
        "greater_than_equal": "{label}不能小于 {ge}",
        "greater_than": "{label}必须大于 {gt}",
        "less_than_equal": "{label}不能大于 {le}",
        "less_than": "{label}必须小于 {lt}",
        "string_too_long": "{label}最多 {max_length} 个字符",
        "string_too_short": "{label}至少 {min_length} 个字符",
        "too_long": "{label}最多 {max_length} 项",
        "too_short": "{label}至少 {min_length} 项",
        "int_parsing": "{label}应为整数",
        "int_type": "{label}应为整数",
        "int_from_float": "{label}应为整数",
        "float_parsing": "{label}应为数字",
        "float_type": "{label}应为数字",
        "bool_parsing": "{label}应为是或否（true/false）",
        "bool_type": "{label}应为是或否（true/false）",
        "string_type": "{label}应为文本",
        "datetime_parsing": "{label}应为日期时间，例如 2026-12-07T10:00:00+08:00",
        "datetime_from_date_parsing": "{label}应为日期时间，例如 2026-12-07T10:00:00+08:00",
        "datetime_type": "{label}应为日期时间，例如 2026-12-07T10:00:00+08:00",
        "timezone_aware": "{label}须带时区，例如 +08:00",
        "literal_error": "{label}的取值不在允许范围内",
        "enum": "{label}的取值不在允许范围内",
        "extra_forbidden": "不接受的字段：{field}",
        "dict_type": "{label}应为 JSON 对象",
        "model_type": "{label}应为 JSON 对象",
        "list_type": "{label}应为列表",
    }
)


def validation_message(field: str, error_type: str, text: str, context: object) -> str:
    """The Chinese message of one request validation error (pydantic's ``type`` and ``ctx``)."""
    if _CJK.search(text):
        return _chinese_part(text)
    template = _BY_TYPE.get(error_type)
    if template is None:
        return f"{_label(field)}的值不合法，请检查后重试"
    values = {str(k): v for k, v in context.items()} if isinstance(context, dict) else {}
    try:
        return template.format(label=_label(field), field=field, **values)
    except (KeyError, IndexError):
        return f"{_label(field)}的值不合法，请检查后重试"
