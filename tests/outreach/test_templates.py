"""Templates: the default library covers every fraud type, texts come from the taxonomy,
variables render, bad templates are refused."""

from __future__ import annotations

import pytest

from fanzha.errors import InvalidInput
from fanzha.outreach._audience import (
    AUDIENCE_GROUPS,
)
from fanzha.outreach._templates import (
    Template,
    default_library,
    outreach_fraud_types,
    render,
    sample_values,
    validate_template,
)
from fanzha.taxonomy import fraud_types


def test_library_covers_every_fraud_type_group_and_kind() -> None:
    library = default_library()
    keys = {(t.fraud_type, t.group, t.kind) for t in library}
    fraud = [t.code for t in fraud_types() if t.category == "fraud"]
    assert len(fraud) >= 12
    assert keys == {(f, g, k) for f in fraud for g in AUDIENCE_GROUPS for k in ("sms", "post")}
    assert len({t.code for t in library}) == len(library)


def test_library_is_valid_and_sms_fit_two_segments() -> None:
    for template in default_library():
        validate_template(template)
        text = render(template, sample_values(template.group))
        assert "{" not in text, template.code
        if template.kind == "sms":
            assert template.sms_count().segments <= 2, template.code
            assert "退订" in text


def test_texts_come_from_the_taxonomy_advice() -> None:
    by_code = {t.code: t for t in default_library()}
    for kind in outreach_fraud_types():
        post = by_code[f"{kind.code}.elderly.post"]
        assert kind.advice in post.body
        sms = render(by_code[f"{kind.code}.students.sms"], sample_values("students"))
        assert kind.advice.split("；")[0].split("。")[0] in sms
        assert sms.startswith("【市反诈中心】同学们")


def test_preview_with_a_sample_person() -> None:
    post = next(t for t in default_library() if t.code == "brushing_rebate.mothers.post")
    text = render(post, sample_values("mothers", district="兴宁区"))
    assert "各位宝妈" in text and "近期兴宁区" in text and "96110" in text


@pytest.mark.parametrize(
    ("body", "kind", "field"),
    [
        pytest.param("{name}您好，谨防诈骗。{optout}", "sms", "body", id="personal-variable"),
        pytest.param("谨防诈骗。", "sms", "body", id="sms-without-opt-out"),
        pytest.param("  ", "post", "body", id="empty"),
        pytest.param("谨防诈骗", "mms", "kind", id="unknown-kind"),
    ],
)
def test_bad_templates_are_refused(body: str, kind: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_template(Template("x", "brushing_rebate", "general", kind, "t", body))
    assert caught.value.field == field
