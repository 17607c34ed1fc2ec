"""Where the demo company works: delivery areas, stock locations, shipping zones and its vans.

Coordinates are approximate representative points (town centres), good enough for a travel-time
model. Areas cover all 18 districts of Hong Kong; remote ones (islands, Ma Wan) form the REMOTE zone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoArea:
    """One row of areas.csv, plus how many customers and sales it draws (`weight`)."""

    code: str
    name_en: str
    name_zh: str
    district: str
    region: str
    zone: str
    lat: float
    lon: float
    aliases: str
    weight: float


@dataclass(frozen=True)
class DemoLocation:
    """One row of locations.csv, plus the time its stock figures were last synced this morning."""

    code: str
    name_en: str
    name_zh: str
    area: str
    kind: str
    lead_days_min: int
    lead_days_max: int
    cutoff: str
    stock_synced_at: str


@dataclass(frozen=True)
class DemoShippingRate:
    """One row of shipping_rates.csv."""

    zone: str
    base_fee: float
    per_kg: float
    free_over: float | None
    consolidated_day: str
    consolidated_discount_pct: float | None


@dataclass(frozen=True)
class DemoVehicle:
    """One row of vehicles.csv."""

    vehicle_id: str
    plate: str
    driver: str
    driver_zh: str
    depot: str
    capacity_kg: float
    capacity_l: float
    shift_start: str
    shift_end: str
    workdays: str


A = DemoArea
AREAS: tuple[DemoArea, ...] = (
    # Hong Kong Island
    A("CEN", "Central", "中環", "Central and Western", "HKI", "URBAN", 22.2819, 114.1580, "中環;Central;CEN", 1.6),
    A("SHW", "Sheung Wan", "上環", "Central and Western", "HKI", "URBAN", 22.2868, 114.1503, "上環;Sheung Wan", 1.0),
    A("KTN", "Kennedy Town", "堅尼地城", "Central and Western", "HKI", "URBAN", 22.2812, 114.1289,
      "堅尼地城;堅城;Kennedy Town", 0.7),
    A("WC", "Wan Chai", "灣仔", "Wan Chai", "HKI", "URBAN", 22.2776, 114.1722, "灣仔;Wan Chai;WC", 1.3),
    A("CWB", "Causeway Bay", "銅鑼灣", "Wan Chai", "HKI", "URBAN", 22.2802, 114.1838,
      "銅鑼灣;銅鑼;CWB;Causeway Bay", 1.4),
    A("NP", "North Point", "北角", "Eastern", "HKI", "URBAN", 22.2913, 114.2006, "北角;North Point;NP", 1.1),
    A("QB", "Quarry Bay", "鰂魚涌", "Eastern", "HKI", "URBAN", 22.2877, 114.2140, "鰂魚涌;Quarry Bay;QB", 0.9),
    A("CHW", "Chai Wan", "柴灣", "Eastern", "HKI", "URBAN", 22.2646, 114.2371, "柴灣;Chai Wan", 0.9),
    A("ABD", "Aberdeen", "香港仔", "Southern", "HKI", "URBAN", 22.2480, 114.1550, "香港仔;Aberdeen;ABD", 0.7),
    A("STL", "Stanley", "赤柱", "Southern", "HKI", "URBAN", 22.2186, 114.2113, "赤柱;Stanley", 0.3),
    # Kowloon
    A("TST", "Tsim Sha Tsui", "尖沙咀", "Yau Tsim Mong", "KLN", "URBAN", 22.2988, 114.1722,
      "尖沙咀;TST;尖咀;Tsim Sha Tsui", 1.6),
    A("MK", "Mong Kok", "旺角", "Yau Tsim Mong", "KLN", "URBAN", 22.3193, 114.1694, "旺角;Mong Kok;Mongkok;MK", 1.8),
    A("YMT", "Yau Ma Tei", "油麻地", "Yau Tsim Mong", "KLN", "URBAN", 22.3127, 114.1707,
      "油麻地;Yau Ma Tei;YMT", 0.9),
    A("SSP", "Sham Shui Po", "深水埗", "Sham Shui Po", "KLN", "URBAN", 22.3303, 114.1622,
      "深水埗;深水步;SSP;Sham Shui Po", 1.3),
    A("CSW", "Cheung Sha Wan", "長沙灣", "Sham Shui Po", "KLN", "URBAN", 22.3353, 114.1567,
      "長沙灣;CSW;Cheung Sha Wan", 1.2),
    A("MF", "Mei Foo", "美孚", "Sham Shui Po", "KLN", "URBAN", 22.3375, 114.1392, "美孚;Mei Foo", 0.8),
    A("HH", "Hung Hom", "紅磡", "Kowloon City", "KLN", "URBAN", 22.3049, 114.1823, "紅磡;Hung Hom;HH", 1.0),
    A("KLC", "Kowloon City", "九龍城", "Kowloon City", "KLN", "URBAN", 22.3282, 114.1916,
      "九龍城;Kowloon City", 0.9),
    A("TKW", "To Kwa Wan", "土瓜灣", "Kowloon City", "KLN", "URBAN", 22.3155, 114.1877, "土瓜灣;To Kwa Wan;TKW", 0.8),
    A("WTS", "Wong Tai Sin", "黃大仙", "Wong Tai Sin", "KLN", "URBAN", 22.3420, 114.1938,
      "黃大仙;Wong Tai Sin;WTS", 1.1),
    A("DH", "Diamond Hill", "鑽石山", "Wong Tai Sin", "KLN", "URBAN", 22.3400, 114.2015, "鑽石山;Diamond Hill", 0.7),
    A("KT", "Kwun Tong", "觀塘", "Kwun Tong", "KLN", "URBAN", 22.3104, 114.2252, "官塘;Kwun Tong;KT", 1.9),
    A("KB", "Kowloon Bay", "九龍灣", "Kwun Tong", "KLN", "URBAN", 22.3236, 114.2140, "九龍灣;Kowloon Bay;KB", 1.4),
    A("LTN", "Lam Tin", "藍田", "Kwun Tong", "KLN", "URBAN", 22.3068, 114.2335, "藍田;Lam Tin", 0.8),
    # New Territories
    A("TW", "Tsuen Wan", "荃灣", "Tsuen Wan", "NT", "URBAN", 22.3707, 114.1149, "荃灣;Tsuen Wan;TW", 1.3),
    A("MW", "Ma Wan", "馬灣", "Tsuen Wan", "NT", "REMOTE", 22.3494, 114.0590, "馬灣;Ma Wan;珀麗灣;Park Island", 0.3),
    A("KWC", "Kwai Chung", "葵涌", "Kwai Tsing", "NT", "URBAN", 22.3593, 114.1296, "葵涌;葵芳;Kwai Chung;Kwai Fong", 1.4),
    A("TY", "Tsing Yi", "青衣", "Kwai Tsing", "NT", "URBAN", 22.3585, 114.1076, "青衣;Tsing Yi;TY", 0.8),
    A("ST", "Sha Tin", "沙田", "Sha Tin", "NT", "NT", 22.3817, 114.1880, "沙田;Sha Tin;ST", 1.6),
    A("MOS", "Ma On Shan", "馬鞍山", "Sha Tin", "NT", "NT", 22.4247, 114.2316, "馬鞍山;Ma On Shan;MOS", 0.9),
    A("TP", "Tai Po", "大埔", "Tai Po", "NT", "NT", 22.4508, 114.1644, "大埔;Tai Po;TP", 1.0),
    A("SSH", "Sheung Shui", "上水", "North", "NT", "NT", 22.5016, 114.1280, "上水;Sheung Shui", 0.8),
    A("FL", "Fanling", "粉嶺", "North", "NT", "NT", 22.4920, 114.1386, "粉嶺;Fanling", 0.6),
    A("YL", "Yuen Long", "元朗", "Yuen Long", "NT", "NT", 22.4445, 114.0222, "元朗;Yuen Long;YL", 1.2),
    A("TSW", "Tin Shui Wai", "天水圍", "Yuen Long", "NT", "NT", 22.4600, 114.0030, "天水圍;Tin Shui Wai;TSW", 1.0),
    A("TM", "Tuen Mun", "屯門", "Tuen Mun", "NT", "NT", 22.3916, 113.9770, "屯門;Tuen Mun;TM", 1.3),
    A("TKO", "Tseung Kwan O", "將軍澳", "Sai Kung", "NT", "NT", 22.3076, 114.2600, "將軍澳;Tseung Kwan O;TKO", 1.4),
    A("SK", "Sai Kung", "西貢", "Sai Kung", "NT", "NT", 22.3814, 114.2705, "西貢;Sai Kung;SK", 0.4),
    # Lantau and the outlying islands
    A("TC", "Tung Chung", "東涌", "Islands", "ISL", "REMOTE", 22.2890, 113.9415, "東涌;Tung Chung;TC", 1.0),
    A("DB", "Discovery Bay", "愉景灣", "Islands", "ISL", "REMOTE", 22.2960, 114.0160,
      "愉景灣;愉景;Discovery Bay;Disco Bay;DB", 0.5),
    A("MWO", "Mui Wo", "梅窩", "Islands", "ISL", "REMOTE", 22.2650, 113.9960, "梅窩;Mui Wo;Silvermine Bay", 0.2),
    A("CC", "Cheung Chau", "長洲", "Islands", "ISL", "REMOTE", 22.2090, 114.0290, "長洲;Cheung Chau;CC", 0.3),
)

LOCATIONS: tuple[DemoLocation, ...] = (
    DemoLocation("YL", "Yuen Long Warehouse", "元朗貨倉", "YL", "warehouse", 0, 0, "14:00", "10:12"),
    DemoLocation("CSW", "Cheung Sha Wan Transit Hub", "長沙灣中轉倉", "CSW", "transit", 0, 0, "14:00", "10:18"),
    DemoLocation("MK", "Mong Kok Store", "旺角門市", "MK", "store", 0, 0, "16:00", "10:05"),
    DemoLocation("SZ", "Shenzhen Warehouse", "深圳倉", "", "crossborder", 2, 3, "12:00", "09:45"),
)

SHIPPING_RATES: tuple[DemoShippingRate, ...] = (
    DemoShippingRate("URBAN", 60.0, 2.0, 800.0, "", None),
    DemoShippingRate("NT", 80.0, 2.5, 1200.0, "", None),
    DemoShippingRate("REMOTE", 150.0, 4.0, None, "Sat", 30.0),
)

V = DemoVehicle
VEHICLES: tuple[DemoVehicle, ...] = (
    V("V01", "LV 4827", "Chan Tai Man", "陳大文", "CSW", 800, 5000, "08:00", "18:00", "Mon-Sat"),
    V("V02", "MK 3390", "Wong Siu Ming", "黃小明", "CSW", 800, 5000, "08:00", "18:00", "Mon-Sat"),
    V("V03", "RH 1562", "Lee Ka Fai", "李家輝", "CSW", 1200, 7000, "08:30", "18:30", "Mon-Sat"),
    V("V04", "TX 7218", "Cheung Chi Keung", "張志強", "CSW", 800, 5000, "09:00", "19:00", "Mon-Sat"),
    V("V05", "NY 2046", "Lau Wing Kin", "劉永健", "YL", 1200, 7000, "08:00", "18:00", "Mon-Sat"),
    V("V06", "PK 8831", "Ho Kwok Wai", "何國偉", "YL", 800, 5000, "08:00", "18:00", "Mon-Sat"),
    V("V07", "JS 5170", "Ng Chun Yip", "吳俊業", "YL", 800, 5000, "08:00", "17:00", "Mon;Tue;Wed;Thu;Fri"),
    V("V08", "UE 6604", "Leung Ka Lok", "梁嘉樂", "YL", 800, 5000, "10:00", "19:00", "Mon-Sat"),
)

# Share of delivered sales per region: Kowloon is the busiest, the islands the quietest.
REGION_SHARE: dict[str, float] = {"KLN": 0.40, "NT": 0.32, "HKI": 0.21, "ISL": 0.07}
REGIONS: tuple[str, ...] = ("HKI", "KLN", "NT", "ISL")


def area_by_code() -> dict[str, DemoArea]:
    """The demo areas keyed by code."""
    return {area.code: area for area in AREAS}
