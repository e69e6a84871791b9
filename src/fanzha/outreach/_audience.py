"""Who an outreach message goes to: audience groups, age bands and the audience spec.

The spec is plain data; ``fanzha.store.outreach`` turns it into one query and hands
channels nothing but a delivery id and an address. 宝妈 is not an occupation in the records:
it is read as a woman aged 22–45 without a fixed job (无业, 自由职业, 家庭主妇, 宝妈), the
definition the 2022 center's parents' meetings used in practice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from fanzha.errors import InvalidInput

__all__ = [
    "AGE_BANDS",
    "AGE_BAND_LABELS",
    "AUDIENCE_GROUPS",
    "GROUP_LABELS",
    "GROUP_SALUTATIONS",
    "AudienceGroup",
    "AudienceSpec",
    "age_on",
    "birth_date_bounds",
    "group_of",
    "validate_spec",
]

#: age band → (lowest age, highest age) inclusive; None: open
AGE_BANDS: Mapping[str, tuple[int | None, int | None]] = MappingProxyType(
    {
        "under_18": (None, 17),
        "18_29": (18, 29),
        "30_44": (30, 44),
        "45_59": (45, 59),
        "60_plus": (60, None),
    }
)
AGE_BAND_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "under_18": "18岁以下",
        "18_29": "18–29岁",
        "30_44": "30–44岁",
        "45_59": "45–59岁",
        "60_plus": "60岁及以上",
    }
)


@dataclass(frozen=True, slots=True)
class AudienceGroup:
    """One audience group: occupations that count, and optional gender and age limits."""

    key: str
    label: str
    salutation: str
    occupations: tuple[str, ...] = ()
    gender: str | None = None
    min_age: int | None = None
    max_age: int | None = None


AUDIENCE_GROUPS: Mapping[str, AudienceGroup] = MappingProxyType(
    {
        "students": AudienceGroup("students", "学生", "同学们", ("学生",)),
        # the elderly: 60 and over, whatever the records say of their job
        "elderly": AudienceGroup("elderly", "老年人", "叔叔阿姨们", min_age=60),
        "mothers": AudienceGroup(
            "mothers",
            "宝妈",
            "各位宝妈",
            ("无业", "自由职业", "家庭主妇", "宝妈"),
            gender="F",
            min_age=22,
            max_age=45,
        ),
        "finance_staff": AudienceGroup(
            "finance_staff", "企业财务人员", "各位财务人员", ("财务人员", "会计", "出纳")
        ),
        "general": AudienceGroup("general", "全体群众", "广大市民朋友"),
    }
)
GROUP_LABELS: Mapping[str, str] = MappingProxyType(
    {key: group.label for key, group in AUDIENCE_GROUPS.items()}
)
GROUP_SALUTATIONS: Mapping[str, str] = MappingProxyType(
    {key: group.salutation for key, group in AUDIENCE_GROUPS.items()}
)


@dataclass(frozen=True, slots=True)
class AudienceSpec:
    """Whom to reach: every non-empty field narrows the audience (AND), values within a
    field widen it (OR).

    ``group``: a key of :data:`AUDIENCE_GROUPS`; ``past_victims``: people who were the
    victim of a recorded case; ``warned``: people who had a warning task; ``key_villages``:
    residents of villages on the key-area register (重点村, issue 17's ``key_areas``);
    ``victim_fraud_types``: with ``past_victims``, only victims of these fraud types.
    """

    districts: tuple[str, ...] = ()
    age_bands: tuple[str, ...] = ()
    group: str = "general"
    past_victims: bool = False
    warned: bool = False
    key_villages: bool = False
    victim_fraud_types: tuple[str, ...] = ()

    def describe(self) -> str:
        """The spec in Chinese, for lists and reasons."""
        parts = [GROUP_LABELS.get(self.group, self.group)]
        if self.districts:
            parts.append("、".join(self.districts))
        if self.age_bands:
            parts.append("、".join(AGE_BAND_LABELS.get(b, b) for b in self.age_bands))
        if self.past_victims:
            parts.append("曾受骗群众")
        if self.warned:
            parts.append("曾被预警群众")
        if self.key_villages:
            parts.append("重点村居民")
        return " · ".join(parts)


def validate_spec(spec: AudienceSpec) -> AudienceSpec:
    """``spec`` if its group and age bands are known; raises InvalidInput naming the field."""
    if spec.group not in AUDIENCE_GROUPS:
        raise InvalidInput(
            f"unknown audience group {spec.group!r}; known: {', '.join(AUDIENCE_GROUPS)}",
            field="group",
            value=spec.group,
        )
    for band in spec.age_bands:
        if band not in AGE_BANDS:
            raise InvalidInput(
                f"unknown age band {band!r}; known: {', '.join(AGE_BANDS)}",
                field="age_bands",
                value=band,
            )
    return spec


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def birth_date_bounds(
    min_age: int | None, max_age: int | None, *, today: date
) -> tuple[date | None, date | None]:
    """Birth dates (earliest, latest, inclusive) of people aged ``min_age``..``max_age`` on
    ``today``; None for an open end."""
    latest = _shift_years(today, min_age) if min_age is not None else None
    earliest = None
    if max_age is not None:
        before = _shift_years(today, max_age + 1)
        earliest = date.fromordinal(before.toordinal() + 1)
    return earliest, latest


def age_on(birth: date, today: date) -> int:
    """Age in whole years on ``today``."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def group_of(occupation: str | None, gender: str | None, age: int | None) -> str:
    """The first audience group a person falls in (``general`` if none), checked in the
    order of :data:`AUDIENCE_GROUPS`; used to profile victims for targeting."""
    for key, group in AUDIENCE_GROUPS.items():
        if key == "general":
            continue
        if group.occupations and occupation not in group.occupations:
            continue
        if group.gender and gender != group.gender:
            continue
        if group.min_age is not None and (age is None or age < group.min_age):
            continue
        if group.max_age is not None and (age is None or age > group.max_age):
            continue
        return key
    return "general"
