"""Generality: a company nobody designed the bot for, loaded through the same importer, is understood and
answered from its own names and aliases (nothing in the code knows the demo company)."""

from __future__ import annotations

import pytest

from bot.assistant import Assistant
from bot.messages import IncomingMessage
from core.config import Settings
from core.db import Database
from tests.company_files import load_company

FILES = {
    "shipping_rates.csv": """zone,base_fee,per_kg,free_over,consolidated_day,consolidated_discount_pct
CITY,45,1.5,600,,
FAR,120,3,,Fri,25
""",
    "areas.csv": """code,name_en,name_zh,district,region,zone,lat,lon,aliases
ST,Sha Tin,沙田,Sha Tin,NT,CITY,22.3823,114.1880,沙田市中心;Shatin
WC,Wan Chai,灣仔,Wan Chai,HKI,CITY,22.2776,114.1751,灣仔區
MW,Mui Wo,梅窩,Islands,ISL,FAR,22.2655,114.0016,梅窩碼頭
""",
    "locations.csv": """code,name_en,name_zh,area,kind,lead_days_min,lead_days_max,cutoff
FT,Fo Tan Depot,火炭倉,ST,warehouse,0,0,15:00
DG,Dongguan Warehouse,東莞倉,,crossborder,3,4,11:00
""",
    "products.csv": """sku,name_en,name_zh,category,unit_price,unit_cost,weight_kg,volume_l,substitutes,aliases
TEA-GR-100,Green tea 100g,綠茶 100克,tea,68,21.30,0.12,0.3,TEA-OL-100,綠茶;greentea
TEA-OL-100,Oolong tea 100g,烏龍茶 100克,tea,72,23.10,0.12,0.3,TEA-GR-100,烏龍;oolong
""",
    "stock.csv": """sku,location,on_hand,reserved,updated_at
TEA-GR-100,FT,37,4,2026-11-25T09:05
TEA-GR-100,DG,500,0,2026-11-25T08:40
TEA-OL-100,FT,0,0,2026-11-25T09:05
TEA-OL-100,DG,120,0,2026-11-25T08:40
""",
    "sales.csv": """date,sku,area,qty,revenue,channel
2026-11-23,TEA-GR-100,ST,8,544,online
2026-11-24,TEA-OL-100,WC,3,216,store
""",
    "orders.csv": """order_id,line,created_at,customer_id,sku,qty,area,window_start,window_end,status,location,vehicle,eta,promised_by
PO88-0001,1,2026-11-25T08:00,,TEA-GR-100,5,WC,,,allocated,FT,,,2026-11-25T18:00
""",
    "vehicles.csv": """vehicle_id,plate,driver,driver_zh,depot,capacity_kg,capacity_l,shift_start,shift_end,workdays
T1,XY123,Wong Ka Ho,王家豪,FT,600,3000,09:00,18:00,Mon-Sat
""",
}
NOW = "2026-11-25T10:30"


@pytest.fixture(scope="module")
def tea_company(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Database]:
    return load_company(tmp_path_factory.mktemp("tea"), FILES)


def ask(setup: tuple[Settings, Database], text: str, session: str | None = None):  # type: ignore[no-untyped-def]
    settings, db = setup
    return Assistant(settings, db).handle(IncomingMessage(text=text, role="sales", channel="api", now=NOW,
                                                          session=session))


@pytest.mark.parametrize(("question", "tool", "args", "facts"), [
    ("綠茶仲有幾多貨?", "stock_lookup", {"product": "TEA-GR-100"}, ["33", "火炭倉", "500", "東莞倉"]),
    ("how much oolong do we have?", "stock_lookup", {"product": "TEA-OL-100"}, ["120", "Dongguan"]),
    ("TEA-GR-100 送灣仔幾時到?", "delivery_eta", {"product": "TEA-GR-100", "area": "WC"}, ["火炭倉", "今日"]),
    ("送梅窩 10 件綠茶運費幾錢?", "shipping_cost", {"area": "MW"}, ["$124"]),
    ("PO88-0001 去咗邊?", "order_status", {"order_id": "PO88-0001"}, ["PO88-0001"]),
])
def test_a_tea_company_is_answered_from_its_own_names(tea_company, question, tool, args, facts) -> None:  # type: ignore[no-untyped-def]
    reply = ask(tea_company, question)
    assert reply.tool_calls and reply.tool_calls[0].name == tool, reply.answer
    for key, value in args.items():
        assert reply.tool_calls[0].args[key] == value
    for fact in facts:
        assert fact in reply.answer, (fact, reply.answer)
    assert "21.3" not in reply.answer and "23.1" not in reply.answer  # costs stay hidden from sales


def test_follow_up_and_ask_back_use_the_companys_names(tea_company) -> None:  # type: ignore[no-untyped-def]
    ask(tea_company, "TEA-GR-100 送灣仔幾時到?", session="tea")
    follow = ask(tea_company, "咁東莞倉呢?", session="tea")
    assert follow.tool_calls[0].args.get("location") == "DG" and "東莞倉" in follow.answer
    unclear = ask(tea_company, "嗯嗯?")
    assert "TEA-" in unclear.answer and "WB-BL-500" not in unclear.answer
