"""Plain views of stored records for the API and the web UI, masked by role."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fanzha.masking import mask_value
from fanzha.store import BankAccount, Case, Person, Phone
from fanzha.taxonomy import get_fraud_type

__all__ = ["account_view", "age_of", "case_view", "fraud_type_name", "person_view", "phone_view"]


def fraud_type_name(code: str | None) -> str:
    """The Chinese name of a fraud-type code (the code itself when unknown)."""
    if not code:
        return "未知"
    found = get_fraud_type(code)
    return found.name if found is not None else code


def age_of(birth_date: date | None, today: date | None = None) -> int | None:
    """Age in whole years."""
    if birth_date is None:
        return None
    today = today or datetime.now(UTC).date()
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def person_view(person: Person, *, visible: bool) -> dict[str, Any]:
    """A person with name, ID number and phone masked unless ``visible``."""
    return {
        "id": person.id,
        "name": mask_value("name", person.name, visible=visible),
        "id_number": mask_value("id_number", person.id_number, visible=visible),
        "phone_number": mask_value("phone", person.phone_number, visible=visible),
        "gender": person.gender,
        "age": age_of(person.birth_date),
        "district": person.district,
        "town": person.town,
        "village": person.village,
        "occupation": person.occupation,
        "kind": person.kind,
        "gang_id": person.gang_id,
        "gang_role": person.gang_role,
    }


def phone_view(phone: Phone, *, visible: bool) -> dict[str, Any]:
    """A phone number and its registration, the number masked unless ``visible``."""
    return {
        "id": phone.id,
        "number": mask_value("phone", phone.number, visible=visible),
        "carrier": phone.carrier,
        "kind": phone.kind,
        "owner_id": phone.owner_id,
        "outlet_id": phone.outlet_id,
        "device_id": phone.device_id,
        "registered_at": phone.registered_at,
        "flagged": phone.flagged,
        "flag_reason": phone.flag_reason,
    }


def account_view(account: BankAccount, *, visible: bool) -> dict[str, Any]:
    """A bank account, the number masked unless ``visible``."""
    return {
        "id": account.id,
        "account_no": mask_value("account", account.account_no, visible=visible),
        "bank": account.bank,
        "kind": account.kind,
        "holder_id": account.holder_id,
        "outlet_id": account.outlet_id,
        "opened_at": account.opened_at,
        "flagged": account.flagged,
        "status": account.status,
    }


def case_view(case: Case, victim: Person | None, *, visible: bool) -> dict[str, Any]:
    """A case with the fraud type's name and the victim's (masked) name."""
    return {
        "id": case.id,
        "case_no": case.case_no,
        "fraud_type": case.fraud_type,
        "fraud_type_name": fraud_type_name(case.fraud_type),
        "amount_lost_fen": case.amount_lost_fen,
        "district": case.district,
        "occurred_at": case.occurred_at,
        "reported_at": case.reported_at,
        "status": case.status,
        "victim_id": case.victim_id,
        "victim_name": mask_value("name", victim.name, visible=visible) if victim else None,
        "summary": _masked_summary(case.summary, victim, visible=visible),
    }


def _masked_summary(summary: str, victim: Person | None, *, visible: bool) -> str:
    """The case summary with the victim's name masked for roles that may not see it."""
    if visible or victim is None or not victim.name:
        return summary
    return summary.replace(victim.name, mask_value("name", victim.name, visible=False) or "")
