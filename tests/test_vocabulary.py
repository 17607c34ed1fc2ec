"""Vocabulary from the loaded data, on a company built here (not the demo): product variants told apart by
colour, size, measure and model; categories by their names, by the Chinese word their products share and by
general retail words; districts, regions and English-only area aliases; a location's distinctive part; order
ids of another shape (known or not); quantities as staff type them; and an ask-back listing the variants
when the question does not tell them apart."""

from __future__ import annotations

import pytest

from bot.assistant import Assistant
from bot.messages import IncomingMessage, Reply
from bot.understanding.fuzzy import best_product_match
from core.config import Settings
from core.db import Database
from tests.company_files import load_company

FILES = {
    "shipping_rates.csv": """zone,base_fee,per_kg,free_over,consolidated_day,consolidated_discount_pct
CITY,40,1.0,900,,
FAR,150,3,,Wed,20
""",
    "areas.csv": """code,name_en,name_zh,district,region,zone,lat,lon,aliases
NPT,North Point,北角,Eastern,HKI,CITY,22.2913,114.2006,北角;North Point
SKG,Sai Kung Town,西貢市,Sai Kung,NT,CITY,22.3814,114.2705,Sai Kung Town
KBY,Kowloon Bay,九龍灣,Kwun Tong,KLN,CITY,22.3236,114.2140,九龍灣;Kowloon Bay
PCH,Peng Chau,坪洲,Islands,ISL,FAR,22.2860,114.0390,Peng Chau;Ping Chau Island
""",
    "locations.csv": """code,name_en,name_zh,area,kind,lead_days_min,lead_days_max,cutoff
KB1,Kowloon Bay Transit Point,九龍灣轉運站,KBY,transit,0,0,15:00
ZSW,Zhongshan Xiaolan Warehouse,中山小欖倉,,crossborder,2,4,11:00
""",
    "products.csv": """sku,name_en,name_zh,category,unit_price,unit_cost,weight_kg,volume_l,substitutes,aliases
ST/PEN/01,Gel pen red 0.5mm (12 pcs),紅色啫喱筆 0.5mm (12支),stationery,30,11.10,0.1,0.1,,紅筆;red pen
ST/PEN/02,Gel pen blue 0.5mm (12 pcs),藍色啫喱筆 0.5mm (12支),stationery,30,11.10,0.1,0.1,,藍筆;blue pen
ST/PEN/03,Gel pen black 0.5mm (12 pcs),黑色啫喱筆 0.5mm (12支),stationery,30,11.10,0.1,0.1,,黑筆;black pen
AP/S,Kitchen apron S,廚房圍裙 細碼,aprons,55,20.30,0.2,0.5,,細碼圍裙;small apron
AP/M,Kitchen apron M,廚房圍裙 中碼,aprons,55,20.30,0.2,0.5,,中碼圍裙;medium apron
AP/L,Kitchen apron L,廚房圍裙 大碼,aprons,58,21.70,0.2,0.5,,大碼圍裙;large apron
KW/TR30,Baking tray 30cm,焗盤 30cm,kitchenware,80,30.90,0.8,2,,焗盤;baking tray
KW/TR40,Baking tray 40cm,焗盤 40cm,kitchenware,110,41.50,1.1,3,,大焗盤;big baking tray
KW/JG1,Water jug 1L,水壺 1公升,kitchenware,60,22.20,0.4,1.2,,水壺;water jug
KW/JG2,Water jug 2L,水壺 2公升,kitchenware,75,28.80,0.6,2.3,,大水壺;big jug
""",
    "stock.csv": """sku,location,on_hand,reserved,updated_at
ST/PEN/01,KB1,40,0,2026-11-25T09:00
ST/PEN/01,ZSW,900,0,2026-11-25T08:00
ST/PEN/02,KB1,50,0,2026-11-25T09:00
ST/PEN/03,KB1,60,0,2026-11-25T09:00
AP/S,KB1,10,0,2026-11-25T09:00
AP/M,KB1,11,0,2026-11-25T09:00
AP/L,KB1,12,0,2026-11-25T09:00
KW/TR30,KB1,20,0,2026-11-25T09:00
KW/TR40,ZSW,70,0,2026-11-25T08:00
KW/JG1,KB1,30,0,2026-11-25T09:00
KW/JG2,KB1,31,0,2026-11-25T09:00
""",
    "sales.csv": """date,sku,area,qty,revenue,channel
2026-10-20,ST/PEN/01,NPT,8,240,b2b
2026-10-21,AP/M,KBY,3,165,store
2026-10-22,KW/JG2,SKG,2,150,online
""",
    "orders.csv": """order_id,line,created_at,customer_id,sku,qty,area,window_start,window_end,status,location,vehicle,eta,promised_by
PO/2026/00123,1,2026-11-25T08:00,,ST/PEN/01,5,NPT,,,allocated,KB1,,,2026-11-26T18:00
PO/2026/00124,1,2026-11-25T08:10,,AP/M,2,KBY,,,cancelled,,,,
""",
    "vehicles.csv": """vehicle_id,plate,driver,driver_zh,depot,capacity_kg,capacity_l,shift_start,shift_end,workdays
V1,AB123,Lee Siu Ming,李小明,KB1,600,3000,09:00,18:00,Mon-Sat
""",
}
NOW = "2026-11-25T10:30"


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Database]:
    return load_company(tmp_path_factory.mktemp("vocabulary"), FILES)


def ask(company: tuple[Settings, Database], text: str, role: str = "manager") -> Reply:
    settings, db = company
    return Assistant(settings, db).handle(IncomingMessage(text=text, role=role, channel="api", now=NOW,
                                                          session=f"vocabulary:{text}"))


def args_of(reply: Reply, tool: str) -> dict[str, object]:
    assert reply.tool_calls, reply.answer
    assert reply.tool_calls[0].name == tool, (reply.tool_calls[0].name, reply.answer)
    return dict(reply.tool_calls[0].args)


@pytest.mark.parametrize(("question", "sku"), [
    ("L size 圍裙有冇貨?", "AP/L"),                     # a grade with the category's shared word
    ("medium kitchen apron stock?", "AP/M"),            # an English size word
    ("紅色嗰款啫喱筆仲有冇?", "ST/PEN/01"),               # a colour and the common noun
    ("black gel pens in stock?", "ST/PEN/03"),
    ("40cm 嗰款焗盤有冇貨?", "KW/TR40"),                  # a measure that changes the alias's variant
    ("2L 水壺仲有幾多?", "KW/JG2"),                       # 2L = 2公升
    ("how many 2 litre water jugs left?", "KW/JG2"),    # litre = L = 公升
    ("iphone 15 紅色", None),                            # nothing of the kind: no product
])
def test_variants_are_told_apart_by_their_attributes(company, question: str, sku: str | None) -> None:
    reply = ask(company, question)
    if sku is None:
        assert not reply.tool_calls
        return
    assert args_of(reply, "stock_lookup")["product"] == sku


@pytest.mark.parametrize("question", ["啫喱筆有冇貨?", "gel pen stock?"])
def test_variants_the_question_does_not_tell_apart_are_asked_about(company, question: str) -> None:
    reply = ask(company, question)
    assert not reply.tool_calls, reply.tool_calls
    for sku in ("ST/PEN/01", "ST/PEN/02", "ST/PEN/03"):
        assert sku in reply.answer


def test_weak_evidence_is_asked_about_rather_than_guessed(company) -> None:
    # "pen" fits three products and nothing tells them apart: ask, never the first one.
    reply = ask(company, "送北角 5 支 gel pen 幾時到?")
    assert not reply.tool_calls and "ST/PEN/02" in reply.answer


@pytest.mark.parametrize(("question", "tool", "category"), [
    ("下星期廚房用品要準備幾多?", "demand_forecast", "kitchenware"),   # general lexicon -> the loaded name
    ("forecast kitchen stuff next week", "demand_forecast", "kitchenware"),
    ("上個月文具賣咗幾多錢?", "sales_summary", "stationery"),
    ("上個月圍裙賣咗幾多錢?", "sales_summary", "aprons"),               # the word the category's products share
])
def test_categories_by_their_words(company, question: str, tool: str, category: str) -> None:
    assert args_of(ask(company, question), tool).get("category") == category


@pytest.mark.parametrize(("question", "tool", "key", "value"), [
    ("送 Ping Chau Island 3 個水壺運費幾錢?", "shipping_cost", "area", "PCH"),   # an English-only alias
    ("送西貢區 3 個水壺幾時到?", "delivery_eta", "area", "SKG"),                # a district's Chinese name
    ("下星期香港島要準備幾多水壺?", "demand_forecast", "region", "HKI"),         # a region's common name
    ("forecast water jugs next week HK Island", "demand_forecast", "region", "HKI"),
    ("九龍灣倉仲有幾多紅筆?", "stock_lookup", "location", "KB1"),               # a transit point's short form
    ("中山倉有幾多紅筆?", "stock_lookup", "location", "ZSW"),                   # the distinctive part (lead time)
])
def test_places_by_every_name(company, question: str, tool: str, key: str, value: str) -> None:
    assert args_of(ask(company, question), tool).get(key) == value


@pytest.mark.parametrize(("question", "order_id"), [
    ("po/2026/00123 去咗邊?", "PO/2026/00123"),      # a known id, lower case
    ("PO/2026/09999 去咗邊?", "PO/2026/09999"),      # the shape of the loaded ids, no such order
    ("where is XY-12345?", "XY-12345"),             # letters, a separator and a number
])
def test_order_ids_of_any_shape(company, question: str, order_id: str) -> None:
    assert args_of(ask(company, question), "order_status")["order_id"] == order_id


@pytest.mark.parametrize(("question", "qty"), [
    ("KW/JG1 x20 送北角幾時到?", 20),
    ("送 20 卷 KW/JG1 去北角幾時到?", 20),
    ("二十個水壺送北角幾時到?", 20),
    ("a dozen water jugs to North Point, when?", 12),
    ("兩打水壺送北角幾時到?", 24),
    ("3 boxes of water jugs to North Point, when?", 3),
])
def test_quantities_as_staff_type_them(company, question: str, qty: int) -> None:
    args = args_of(ask(company, question), "delivery_eta")
    assert args["qty"] == qty and args["product"] == "KW/JG1"


def test_a_sku_is_not_read_as_an_order_id(company) -> None:
    assert args_of(ask(company, "ST/PEN/02 仲有幾多?"), "stock_lookup")["product"] == "ST/PEN/02"



def test_two_equally_near_spellings_are_both_kept() -> None:
    """A typo as near to one name as to another is not decided by the order of the names: both are candidates
    (the mention then lists them and the bot asks which)."""
    found = best_product_match("jug blu stock", [], ["jug blue", "jug blur"], ["KW/A", "KW/B"], 80)
    assert found is not None and {found.code, *found.ties} == {"KW/A", "KW/B"}
