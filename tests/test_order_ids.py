"""Order ids of any shape come from the loaded orders: found whatever the case or separators, and an id that
matches no order is told so, with the closest ids (no fixed pattern like LETTERS-DIGITS)."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.config import Settings
from core.db import Database
from tests.company_files import load_company
from tests.test_other_company import FILES
from tools.registry import Role, ToolContext, ToolInputError, build_registry

ORDERS = """order_id,line,created_at,customer_id,sku,qty,area,window_start,window_end,status,location,vehicle,eta,promised_by
PO/2026/00123,1,2026-11-25T08:00,,TEA-GR-100,5,WC,,,allocated,FT,,,2026-11-26T18:00
PO/2026/00124,1,2026-11-25T08:10,,TEA-OL-100,2,ST,,,cancelled,,,,
7731-A,1,2026-11-25T08:20,,TEA-GR-100,1,ST,,,delivered,FT,T1,2026-11-25T10:00,
"""


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Database]:
    return load_company(tmp_path_factory.mktemp("order-ids"), {**FILES, "orders.csv": ORDERS})


def status(company: tuple[Settings, Database], order_id: str):  # type: ignore[no-untyped-def]
    settings, db = company
    ctx = ToolContext(db=db, settings=settings, now=datetime(2026, 11, 25, 10, 30), role=Role.sales)
    return build_registry().call("order_status", {"order_id": order_id}, ctx)


@pytest.mark.parametrize(("typed", "order_id"), [
    ("PO/2026/00123", "PO/2026/00123"), ("po/2026/00123", "PO/2026/00123"), ("PO 2026 00123", "PO/2026/00123"),
    ("PO202600123", "PO/2026/00123"), ("7731-a", "7731-A"), ("7731A", "7731-A"),
])
def test_any_shape_case_or_separators(company, typed: str, order_id: str) -> None:  # type: ignore[no-untyped-def]
    outcome = status(company, typed)
    assert outcome.ok, outcome.error
    assert {line.order_id for line in outcome.result.lines} == {order_id}


def test_no_such_order_offers_the_closest_ids(company) -> None:  # type: ignore[no-untyped-def]
    outcome = status(company, "PO/2026/00129")
    assert not outcome.ok and isinstance(outcome.error, ToolInputError) and outcome.error.code == "unknown_order"
    assert "PO/2026/00129" in outcome.error.message("en")
    assert set(outcome.error.suggestions[:2]) == {"PO/2026/00123", "PO/2026/00124"}
