"""Reminder templates per fraud type × audience group, and the default library.

A template's text may hold the variables of :data:`TEMPLATE_VARIABLES`, written
``{district}``. None of them identifies a person: names, numbers and addresses never go
into a message, so a channel, a log or a gateway sees no more than the address it delivers
to. Every default text is built from the taxonomy's advice (``taxonomy/data``), so the
reminders say what the screening and the warning officers say.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from fanzha.errors import InvalidInput
from fanzha.outreach._audience import AUDIENCE_GROUPS, GROUP_LABELS, GROUP_SALUTATIONS
from fanzha.outreach._segments import SmsCount, sms_segments
from fanzha.taxonomy import FraudType, fraud_types

__all__ = [
    "TEMPLATE_KINDS",
    "TEMPLATE_KIND_LABELS",
    "TEMPLATE_VARIABLES",
    "Template",
    "default_library",
    "outreach_fraud_types",
    "render",
    "sample_values",
    "template_code",
    "validate_template",
]

TEMPLATE_KINDS = ("sms", "post")
TEMPLATE_KIND_LABELS: Mapping[str, str] = MappingProxyType({"sms": "短信", "post": "群发帖文"})
TEMPLATE_VARIABLES: Mapping[str, str] = MappingProxyType(
    {
        "salutation": "称呼（按受众，如“叔叔阿姨们”）",
        "district": "收件人所在辖区",
        "center": "发送单位",
        "hotline": "反诈专线",
        "optout": "退订提示",
    }
)
DEFAULT_CENTER = "市反诈中心"
DEFAULT_HOTLINE = "96110"
OPT_OUT_TEXT = "回T退订"
_FIELD = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class Template:
    """A reminder text for one fraud type and audience group, as SMS or as a group post."""

    code: str
    fraud_type: str
    group: str
    kind: str
    title: str
    body: str

    def sms_count(self, values: Mapping[str, str] | None = None) -> SmsCount:
        """Segments of the text rendered with ``values`` (default: :func:`sample_values`)."""
        return sms_segments(render(self, values or sample_values(self.group)))


def template_code(fraud_type: str, group: str, kind: str) -> str:
    """The stable code of the default template for this fraud type, group and kind."""
    return f"{fraud_type}.{group}.{kind}"


def validate_template(template: Template) -> Template:
    """``template`` if its kind, group and variables are known; raises InvalidInput."""
    if template.kind not in TEMPLATE_KINDS:
        raise InvalidInput(
            f"kind must be one of {', '.join(TEMPLATE_KINDS)}", field="kind", value=template.kind
        )
    if template.group not in AUDIENCE_GROUPS:
        raise InvalidInput(
            f"unknown audience group; known: {', '.join(AUDIENCE_GROUPS)}",
            field="group",
            value=template.group,
        )
    if not template.body.strip():
        raise InvalidInput("the text is empty", field="body")
    for _, name, _, _ in string.Formatter().parse(
        template.body.replace("}}", "").replace("{{", "")
    ):
        if name is not None and name not in TEMPLATE_VARIABLES:
            raise InvalidInput(
                f"unknown variable {{{name}}}; use {', '.join(TEMPLATE_VARIABLES)}",
                field="body",
                value=name,
            )
    if template.kind == "sms" and "{optout}" not in template.body and "退订" not in template.body:
        raise InvalidInput("an SMS must tell how to opt out: add {optout}", field="body")
    return template


def sample_values(group: str, district: str = "青秀区") -> dict[str, str]:
    """The variables for a sample recipient of ``group`` in ``district`` (for previews)."""
    return {
        "salutation": GROUP_SALUTATIONS.get(group, "广大市民朋友"),
        "district": district,
        "center": DEFAULT_CENTER,
        "hotline": DEFAULT_HOTLINE,
        "optout": OPT_OUT_TEXT,
    }


def render(template: Template, values: Mapping[str, str]) -> str:
    """The text of ``template`` with its variables filled from ``values`` (unknown: left)."""
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), template.body)


def outreach_fraud_types() -> tuple[FraudType, ...]:
    """The fraud types reminders are written for (category ``fraud``)."""
    return tuple(t for t in fraud_types() if t.category == "fraud")


def _first_sentence(advice: str) -> str:
    """The advice's first clause: up to the first ；or 。 (what fits one SMS segment)."""
    head = re.split(r"[；。]", advice, maxsplit=1)[0]
    return head.rstrip("，、 ")


def _short_name(name: str) -> str:
    return re.sub(r"（.*?）|\(.*?\)", "", name)


def _sms(kind: FraudType, group: str) -> str:
    advice = _first_sentence(kind.advice)
    return f"【{{center}}】{{salutation}}，谨防{_short_name(kind.name)}：{advice}。{{optout}}"


def _post(kind: FraudType, group: str) -> str:
    return (
        f"【反诈提醒·{kind.name}】\n{{salutation}}：\n"
        f"近期{{district}}{_short_name(kind.name)}类诈骗多发。{kind.description}\n"
        f"防范要点：{kind.advice}\n"
        "牢记“三不一多”：未知链接不点击，陌生来电不轻信，个人信息不透露，转账汇款多核实。"
        "如遇可疑情况，请拨打 {hotline} 咨询或 110 报警。"
    )


def default_library() -> tuple[Template, ...]:
    """An SMS and a group post for every fraud type × audience group, from the taxonomy."""
    library = []
    for kind in outreach_fraud_types():
        for group in AUDIENCE_GROUPS:
            label = f"{_short_name(kind.name)}·{GROUP_LABELS[group]}"
            library.append(
                Template(
                    template_code(kind.code, group, "sms"),
                    kind.code,
                    group,
                    "sms",
                    f"{label}·短信",
                    _sms(kind, group),
                )
            )
            library.append(
                Template(
                    template_code(kind.code, group, "post"),
                    kind.code,
                    group,
                    "post",
                    f"{label}·群发帖文",
                    _post(kind, group),
                )
            )
    return tuple(library)
