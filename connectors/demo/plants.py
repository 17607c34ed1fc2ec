"""The situations planted in the demo company for the tools to handle (documented in docs/demo-company.md).

Stock figures are exact. Orders are described relative to the delivery day the demo is generated for
(`run_day`: today, or the next working day when today is a Sunday or holiday).
"""

from __future__ import annotations

from dataclasses import dataclass

# (sku, location) -> (on_hand, reserved). Available = on_hand - reserved.
PLANTED_STOCK: dict[tuple[str, str], tuple[int, int]] = {
    # The blue bottle: 12 available at the Cheung Sha Wan hub, none at Yuen Long or the store, 200 in Shenzhen.
    ("WB-BL-500", "YL"): (0, 0),
    ("WB-BL-500", "CSW"): (15, 3),
    ("WB-BL-500", "MK"): (4, 4),
    ("WB-BL-500", "SZ"): (200, 0),
    # The black iPhone 15 case: short locally (2 at Yuen Long), its substitutes in stock.
    ("PC-IP15-BK", "YL"): (3, 1),
    ("PC-IP15-BK", "CSW"): (0, 0),
    ("PC-IP15-BK", "MK"): (1, 1),
    ("PC-IP15-BK", "SZ"): (60, 0),
    ("PC-IP15-CL", "YL"): (85, 5),
    ("PC-IP15-CL", "CSW"): (24, 0),
    ("PC-IP15-CL", "MK"): (6, 0),
    ("PC-IP15-CL", "SZ"): (150, 0),
    ("PC-IP15-BL", "YL"): (40, 0),
    ("PC-IP15-BL", "CSW"): (18, 2),
    ("PC-IP15-BL", "MK"): (3, 0),
    ("PC-IP15-BL", "SZ"): (90, 0),
    # The 10000mAh power bank: out of stock everywhere; only a supplier can bring more.
    ("PB-10K", "YL"): (0, 0),
    ("PB-10K", "CSW"): (0, 0),
    ("PB-10K", "MK"): (0, 0),
    ("PB-10K", "SZ"): (0, 0),
    # The travel adapter: only in Shenzhen.
    ("TRV-ADPT", "YL"): (0, 0),
    ("TRV-ADPT", "CSW"): (0, 0),
    ("TRV-ADPT", "MK"): (0, 0),
    ("TRV-ADPT", "SZ"): (350, 0),
}

PLANTED_SKUS: frozenset[str] = frozenset(sku for sku, _ in PLANTED_STOCK)

# The order every example asks about ("SO-10231 去咗邊?").
TRACKED_ORDER_ID = "SO-10231"
FIRST_ORDER_NUMBER = 10001


@dataclass(frozen=True)
class PlantedOrder:
    """An order line planted for a documented situation.

    `due` is the delivery day: "run" (the demo's delivery day), "next" (the working day after),
    "second" (two working days after) or "sunday" (the first Sunday after the run day).
    `created` is minutes after 09:00 on the run day (negative: before). Windows and promises are
    clock times on the due day; blank means none.
    """

    key: str
    customer_id: str
    area: str
    lines: tuple[tuple[str, int], ...]
    status: str
    due: str
    created: int
    window: tuple[str, str] | None
    promised: str | None
    location: str = ""
    vehicle: str = ""
    eta: str = ""
    situation: str = ""


PLANTED_ORDERS: tuple[PlantedOrder, ...] = (
    PlantedOrder("tracked", "C0001", "KT", (("WB-BL-500", 24), ("PC-IP15-CL", 10)), "out_for_delivery", "run",
                 -70, ("14:00", "18:00"), "18:00", "CSW", "V01", "14:40",
                 "on van V01 (Chan Tai Man / 陳大文) from the Cheung Sha Wan hub, ETA 14:40, promise kept"),
    PlantedOrder("bottles_today", "C0002", "KB", (("WB-BL-500", 60),), "new", "run", 5, ("14:00", "18:00"), "18:00",
                 situation="60 blue bottles promised today; only 12 available locally, 200 in Shenzhen: at risk"),
    PlantedOrder("adapter_tomorrow", "C0003", "TC", (("TRV-ADPT", 20),), "new", "next", 20, ("10:00", "18:00"),
                 "18:00", situation="travel adapters to Tung Chung promised next working day; stock only in "
                 "Shenzhen (2-3 working days): at risk"),
    PlantedOrder("power_bank", "C0004", "CWB", (("PB-10K", 30),), "new", "second", 35, None, "18:00",
                 situation="power banks promised in two working days; out of stock everywhere, the next supplier "
                 "arrival is 10 days away: at risk"),
    PlantedOrder("black_case", "C0005", "ST", (("PC-IP15-BK", 20),), "new", "run", 50, ("10:00", "13:00"), "13:00",
                 situation="20 black iPhone 15 cases promised today; 2 available locally: at risk, clear and blue "
                 "cases are in stock"),
    PlantedOrder("sunday_island", "C0006", "CC", (("SN-CKE", 12),), "new", "sunday", 65, ("10:00", "12:00"),
                 "12:00", situation="cookies to Cheung Chau with a window on Sunday, when nothing is delivered"),
    PlantedOrder("bottles_allocated", "C0007", "SSP", (("WB-BL-500", 3),), "allocated", "run", -120,
                 ("12:00", "15:00"), "15:00", "CSW",
                 situation="the 3 blue bottles reserved at the Cheung Sha Wan hub"),
    PlantedOrder("case_allocated", "C0008", "TM", (("PC-IP15-BK", 1),), "allocated", "run", -100,
                 ("14:00", "18:00"), "18:00", "YL", situation="the 1 black case reserved at Yuen Long"),
)
