"""The demo company's catalogue: about 60 SKUs in 7 categories, with how each one sells.

Every product has English and Traditional Chinese names, the aliases staff actually type
(Cantonese and English), substitutes to offer when it is short, a price above its cost, and a
packed weight and volume. The demand profile (`daily_units`, seasonality, gift seasons, trend,
launch) drives the generated sales history and the stock levels.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoProduct:
    """One row of products.csv plus its demand profile.

    `daily_units` is the typical number of units sold per day across Hong Kong; `season_peak_doy`
    and `season_amplitude` shape a yearly cycle; `gift` is the gift season that lifts sales
    (`xmas`, `lny`, `both`, `xmas-only` for a seasonal line, or blank); `trend` is the yearly growth rate; `launched_days_ago`
    marks a new product with no history before then.
    """

    sku: str
    name_en: str
    name_zh: str
    category: str
    unit_price: float
    unit_cost: float
    weight_kg: float
    volume_l: float
    substitutes: str
    aliases: str
    daily_units: float
    season_peak_doy: int = 1
    season_amplitude: float = 0.0
    gift: str = ""
    trend: float = 0.0
    launched_days_ago: int | None = None


SUMMER, RAINY, SCHOOL, WINTER, XMAS = 196, 165, 240, 15, 354

P = DemoProduct
PRODUCTS: tuple[DemoProduct, ...] = (
    # --- drinkware ---
    P("WB-BL-500", "Water bottle blue 500ml", "藍色水樽 500ml", "drinkware", 89, 32, 0.35, 0.9,
      "WB-BL-750;WB-BK-500;WB-WH-500", "藍色水樽;藍樽;藍色水壺;blue bottle;blue water bottle", 30,
      SUMMER, 0.35, "xmas", 0.15),
    P("WB-BK-500", "Water bottle black 500ml", "黑色水樽 500ml", "drinkware", 89, 32, 0.35, 0.9,
      "WB-BL-500;WB-WH-500;WB-RD-500", "黑色水樽;黑樽;black bottle;black water bottle", 18, SUMMER, 0.35, "xmas"),
    P("WB-RD-500", "Water bottle red 500ml", "紅色水樽 500ml", "drinkware", 89, 32, 0.35, 0.9,
      "WB-BK-500;WB-WH-500", "紅色水樽;紅樽;red bottle;red water bottle", 10, SUMMER, 0.35, "both"),
    P("WB-WH-500", "Water bottle white 500ml", "白色水樽 500ml", "drinkware", 89, 32, 0.35, 0.9,
      "WB-BK-500;WB-BL-500", "白色水樽;白樽;white bottle;white water bottle", 8, SUMMER, 0.35, "xmas"),
    P("WB-BL-750", "Water bottle blue 750ml", "藍色水樽 750ml", "drinkware", 109, 40, 0.45, 1.3,
      "WB-BL-500", "藍色大水樽;大藍樽;big blue bottle;blue bottle 750", 9, SUMMER, 0.4, "", 0.1),
    P("WB-PK-500", "Water bottle pink 500ml", "粉紅色水樽 500ml", "drinkware", 89, 32, 0.35, 0.9,
      "WB-RD-500;WB-WH-500", "粉紅色水樽;粉紅水樽;粉紅樽;pink bottle;pink water bottle", 14, SUMMER, 0.35, "xmas",
      0.0, 20),
    P("TM-SS-350", "Vacuum flask 350ml", "不鏽鋼保溫杯 350ml", "drinkware", 129, 45, 0.40, 0.8,
      "TM-SS-500", "保溫杯;保暖杯;thermos;vacuum flask;thermal mug", 12, WINTER, 0.4, "xmas"),
    P("TM-SS-500", "Vacuum flask 500ml", "不鏽鋼保溫壺 500ml", "drinkware", 159, 55, 0.55, 1.1,
      "TM-SS-350", "保溫壺;大保溫杯;big thermos;vacuum flask 500", 7, WINTER, 0.4, "xmas"),
    P("GL-CUP-300", "Glass cup 300ml (set of 2)", "玻璃杯 300ml (2隻裝)", "drinkware", 59, 18, 0.60, 1.2,
      "", "玻璃杯;glass cup;glasses", 5, XMAS, 0.15),
    P("KB-BTL-400", "Kids water bottle 400ml", "兒童水樽 400ml", "drinkware", 79, 26, 0.30, 0.8,
      "WB-PK-500", "兒童水樽;小朋友水樽;細路水樽;kids bottle;kids water bottle", 6, SCHOOL, 0.3),
    # --- phone accessories ---
    P("PC-IP15-BK", "iPhone 15 case black", "黑色 iPhone 15 手機殼", "phone accessories", 129, 35, 0.08, 0.3,
      "PC-IP15-CL;PC-IP15-BL", "黑色手機殼;黑色iPhone殼;iphone殼;iphone 15殼;black iphone case;iphone 15 case", 14,
      260, 0.15, "", -0.3),
    P("PC-IP15-CL", "iPhone 15 case clear", "透明 iPhone 15 手機殼", "phone accessories", 119, 30, 0.08, 0.3,
      "PC-IP15-BK;PC-IP15-BL", "透明手機殼;透明iPhone殼;透明殼;clear iphone case;clear case", 10, 260, 0.15, "", -0.3),
    P("PC-IP15-BL", "iPhone 15 case blue", "藍色 iPhone 15 手機殼", "phone accessories", 129, 35, 0.08, 0.3,
      "PC-IP15-BK;PC-IP15-CL", "藍色手機殼;藍色iPhone殼;blue iphone case", 6, 260, 0.15, "", -0.3),
    P("PC-IP16-BK", "iPhone 16 case black", "黑色 iPhone 16 手機殼", "phone accessories", 139, 38, 0.08, 0.3,
      "PC-IP16-CL", "黑色iPhone 16殼;iphone 16殼;16殼;black iphone 16 case;iphone 16 case", 12, 260, 0.15, "", 0.3),
    P("PC-IP16-CL", "iPhone 16 case clear", "透明 iPhone 16 手機殼", "phone accessories", 129, 33, 0.08, 0.3,
      "PC-IP16-BK", "透明iPhone 16殼;clear iphone 16 case", 8, 260, 0.15, "", 0.3),
    P("SP-IP15", "iPhone 15 screen protector", "iPhone 15 玻璃貼", "phone accessories", 79, 12, 0.05, 0.1,
      "", "玻璃貼;mon貼;芒貼;保護貼;screen protector;glass protector", 12, 260, 0.1, "", -0.2),
    P("CB-USBC-1M", "USB-C cable 1m", "USB-C 充電線 1米", "phone accessories", 69, 15, 0.05, 0.1,
      "CB-USBC-2M", "充電線;叉電線;type c線;usb c線;usb-c cable;charging cable", 16),
    P("CB-USBC-2M", "USB-C cable 2m", "USB-C 充電線 2米", "phone accessories", 89, 20, 0.07, 0.1,
      "CB-USBC-1M", "長充電線;2米充電線;long usb-c cable;2m cable", 6),
    P("CH-20W", "20W USB-C charger", "20W USB-C 火牛", "phone accessories", 149, 45, 0.06, 0.1,
      "", "火牛;充電器;叉電器;charger;usb-c charger", 9),
    P("PB-10K", "Power bank 10000mAh", "10000mAh 尿袋", "phone accessories", 249, 95, 0.22, 0.2,
      "PB-MAG-5K", "尿袋;充電寶;流動電源;power bank;powerbank", 10, SUMMER, 0.2, "xmas"),
    P("PB-MAG-5K", "MagSafe power bank 5000mAh", "MagSafe 磁吸尿袋 5000mAh", "phone accessories", 299, 110, 0.15,
      0.2, "PB-10K", "磁吸尿袋;magsafe尿袋;magsafe power bank;magnetic power bank", 9, SUMMER, 0.2, "xmas", 0.0, 18),
    P("EB-BT5", "Bluetooth earbuds", "藍牙耳機", "phone accessories", 399, 150, 0.10, 0.3,
      "", "藍牙耳機;無線耳機;耳機;earbuds;wireless earbuds;earphones", 4, XMAS, 0.1, "xmas"),
    P("HD-CAR", "Car phone holder", "車用手機架", "phone accessories", 99, 28, 0.15, 0.5,
      "", "車架;手機架;car holder;car phone holder", 1.2),
    # --- home goods ---
    P("UMB-FLD-BK", "Folding umbrella black", "黑色摺遮", "home goods", 79, 22, 0.30, 0.6,
      "UMB-FLD-NV;UMB-LNG", "摺遮;縮骨遮;雨遮;folding umbrella;umbrella", 8, RAINY, 0.6),
    P("UMB-FLD-NV", "Folding umbrella navy", "深藍色摺遮", "home goods", 79, 22, 0.30, 0.6,
      "UMB-FLD-BK;UMB-LNG", "藍色摺遮;深藍色遮;navy umbrella;blue umbrella", 5, RAINY, 0.6),
    P("UMB-LNG", "Long umbrella", "長柄遮", "home goods", 119, 35, 0.60, 2.0,
      "UMB-FLD-BK", "長遮;長柄遮;long umbrella", 3, RAINY, 0.6),
    P("FAN-USB", "USB desk fan", "USB 枱面風扇", "home goods", 129, 40, 0.50, 2.5,
      "", "風扇;細風扇;手提風扇;usb fan;desk fan;mini fan", 5, SUMMER, 0.85),
    P("TWL-BATH", "Bath towel", "浴巾", "home goods", 99, 30, 0.50, 1.5,
      "", "浴巾;大毛巾;毛巾;bath towel;towel", 6),
    P("BOX-STG-30", "Storage box 30L", "30公升收納箱", "home goods", 89, 28, 1.60, 35,
      "", "收納箱;膠箱;儲物箱;storage box;plastic box", 5, WINTER, 0.2),
    P("HK-ADH", "Adhesive hooks (6 pcs)", "無痕掛鈎 (6個)", "home goods", 39, 9, 0.10, 0.2,
      "", "掛鈎;無痕鈎;黐牆鈎;hooks;adhesive hooks", 8),
    P("LMP-LED", "LED desk lamp", "LED 枱燈", "home goods", 259, 90, 1.20, 6,
      "", "枱燈;檯燈;desk lamp;lamp;led lamp", 1.5, SCHOOL, 0.2, "xmas"),
    P("SLP-HM", "Home slippers", "室內拖鞋", "home goods", 59, 15, 0.30, 1.5,
      "", "拖鞋;室內拖鞋;slippers;home slippers", 4, WINTER, 0.3),
    P("CSH-SQ", "Square cushion", "方形咕𠱸", "home goods", 89, 25, 0.60, 12,
      "", "咕𠱸;攬枕;cushion", 0.6),
    # --- stationery ---
    P("NB-A5", "A5 notebook", "A5 筆記簿", "stationery", 29, 7, 0.25, 0.4,
      "", "筆記簿;記事簿;notebook;a5 notebook", 12, SCHOOL, 0.35),
    P("PEN-GEL-BK", "Gel pen black (10 pack)", "黑色啫喱筆 (10支裝)", "stationery", 39, 10, 0.12, 0.2,
      "PEN-GEL-BL", "黑筆;黑色筆;啫喱筆;原子筆;gel pen;black pen", 14, SCHOOL, 0.3),
    P("PEN-GEL-BL", "Gel pen blue (10 pack)", "藍色啫喱筆 (10支裝)", "stationery", 39, 10, 0.12, 0.2,
      "PEN-GEL-BK", "藍筆;藍色筆;blue pen;blue gel pen", 8, SCHOOL, 0.3),
    P("HL-5C", "Highlighters (5 colours)", "螢光筆 (5色)", "stationery", 35, 9, 0.10, 0.2,
      "", "螢光筆;highlighter;highlighters", 6, SCHOOL, 0.3),
    P("NT-STK", "Sticky notes (6 pads)", "便利貼 (6本)", "stationery", 25, 6, 0.15, 0.2,
      "", "便利貼;memo紙;post-it;sticky notes", 9, SCHOOL, 0.2),
    P("FLD-A4", "A4 clear folders (10 pack)", "A4 文件夾 (10個)", "stationery", 29, 7, 0.30, 0.5,
      "", "文件夾;file夾;folder;a4 folder", 8, SCHOOL, 0.2),
    P("XMAS-CARD", "Christmas cards (10 pack)", "聖誕卡 (10張裝)", "stationery", 45, 11, 0.20, 0.3,
      "", "聖誕卡;christmas card;xmas card", 0.15, XMAS, 0.0, "xmas-only"),
    # --- personal care ---
    P("SAN-500", "Hand sanitiser 500ml", "搓手液 500ml", "personal care", 45, 12, 0.55, 0.6,
      "", "搓手液;消毒搓手液;酒精搓手液;hand sanitiser;hand sanitizer;sanitizer", 10, WINTER, 0.2),
    P("MSK-50", "Face masks (50 pcs)", "口罩 (50個)", "personal care", 59, 15, 0.30, 1.2,
      "", "口罩;mask;masks;face mask", 20, WINTER, 0.3),
    P("TB-SOFT", "Toothbrush soft (4 pack)", "軟毛牙刷 (4支裝)", "personal care", 39, 10, 0.10, 0.3,
      "", "牙刷;軟毛牙刷;toothbrush", 7),
    P("LIP-BLM", "Lip balm", "潤唇膏", "personal care", 35, 8, 0.02, 0.05,
      "HC-75", "潤唇膏;lip balm", 6, WINTER, 0.5),
    P("SUN-50", "Sunscreen SPF50", "SPF50 防曬霜", "personal care", 119, 40, 0.12, 0.15,
      "", "防曬;防曬霜;太陽油;sunscreen;sunblock", 5, SUMMER, 0.8),
    P("HC-75", "Hand cream 75ml", "護手霜 75ml", "personal care", 59, 16, 0.10, 0.1,
      "LIP-BLM", "護手霜;hand cream", 4, WINTER, 0.5, "xmas"),
    P("WIPE-80", "Wet wipes (80 sheets)", "濕紙巾 (80張)", "personal care", 19, 5, 0.45, 0.6,
      "", "濕紙巾;wet wipes;wipes", 14),
    # --- snacks ---
    P("SN-EGG", "Egg rolls gift tin", "蛋卷禮盒", "snacks", 128, 48, 0.60, 2.2,
      "SN-CKE", "蛋卷;雞蛋卷;蛋卷禮盒;egg rolls;egg roll", 8, WINTER, 0.2, "lny"),
    P("SN-CKE", "Butter cookies tin", "牛油曲奇罐", "snacks", 98, 35, 0.55, 2.0,
      "SN-EGG", "曲奇;牛油曲奇;曲奇餅;cookies;butter cookies", 9, WINTER, 0.2, "both"),
    P("SN-CHC", "Chocolate gift box", "朱古力禮盒", "snacks", 168, 60, 0.40, 1.0,
      "SN-CKE", "朱古力;巧克力;朱古力禮盒;chocolate;chocolates", 5, WINTER, 0.3, "xmas"),
    P("SN-ALM", "Roasted almonds 200g", "烘焙杏仁 200g", "snacks", 49, 18, 0.22, 0.5,
      "SN-MGO", "杏仁;almonds;nuts", 8),
    P("SN-MGO", "Dried mango 150g", "芒果乾 150g", "snacks", 39, 14, 0.17, 0.4,
      "SN-ALM", "芒果乾;dried mango;mango", 7),
    P("SN-SWD", "Seaweed snack (12 pack)", "紫菜小食 (12包)", "snacks", 45, 16, 0.15, 1.0,
      "", "紫菜;海苔;seaweed;seaweed snack", 9),
    P("SN-NGT", "Nougat candy 250g", "牛軋糖 250g", "snacks", 58, 20, 0.27, 0.5,
      "SN-EGG", "牛軋糖;鳥結糖;nougat", 4, WINTER, 0.2, "lny"),
    P("SN-TEA", "Lemon tea (24 pack)", "檸檬茶 (24包裝)", "snacks", 96, 60, 6.50, 7.0,
      "", "檸檬茶;檸茶;lemon tea", 7, SUMMER, 0.4),
    # --- travel ---
    P("TRV-ADPT", "Universal travel adapter", "萬用旅行插頭", "travel", 129, 42, 0.15, 0.3,
      "", "旅行插頭;萬能插頭;萬用插頭;轉插;travel adapter;adapter;travel plug", 5, SUMMER, 0.3, "xmas"),
    P("TRV-PLW", "Neck pillow", "頸枕", "travel", 99, 30, 0.30, 3.0,
      "", "頸枕;U形枕;u型枕;neck pillow;travel pillow", 3, SUMMER, 0.3),
    P("BAG-TOTE", "Canvas tote bag", "帆布袋", "travel", 49, 12, 0.20, 0.5,
      "", "帆布袋;環保袋;tote bag;canvas bag", 6),
    P("BAG-BKPK", "Laptop backpack", "電腦背囊", "travel", 399, 140, 0.90, 18,
      "", "背囊;電腦袋;書包;backpack;laptop backpack", 1.2, SCHOOL, 0.4),
    P("LUG-TAG", "Luggage tag (2 pack)", "行李牌 (2個裝)", "travel", 39, 9, 0.04, 0.1,
      "", "行李牌;luggage tag", 0.4, SUMMER, 0.3),
)


@dataclass(frozen=True)
class DemoSupplier:
    """A supplier and the categories it sells; `deliver_to` is the location its goods arrive at."""

    supplier_id: str
    name: str
    categories: tuple[str, ...]
    deliver_to: str
    lead_days: int
    cost_factor: float


SUPPLIERS: tuple[DemoSupplier, ...] = (
    DemoSupplier("SUP-SZDW", "Shenzhen Hydro Drinkware Co.", ("drinkware",), "SZ", 18, 1.0),
    DemoSupplier("SUP-HKHW", "Harbour Homeware Distribution Ltd", ("drinkware", "home goods"), "YL", 8, 1.12),
    DemoSupplier("SUP-DGMP", "Dongguan Mobile Parts Ltd", ("phone accessories",), "SZ", 21, 1.0),
    DemoSupplier("SUP-TLHK", "TechLink Hong Kong Ltd", ("phone accessories",), "YL", 10, 1.15),
    DemoSupplier("SUP-GZHL", "Guangzhou Homeliving Co.", ("home goods", "travel"), "SZ", 25, 1.0),
    DemoSupplier("SUP-KFST", "Kwong Fat Stationery Ltd", ("stationery",), "YL", 7, 1.0),
    DemoSupplier("SUP-SLPC", "Sunlight Personal Care Trading", ("personal care",), "YL", 12, 1.0),
    DemoSupplier("SUP-THFD", "Tai Hing Food Trading Co.", ("snacks",), "YL", 9, 1.0),
    DemoSupplier("SUP-XMSN", "Xiamen Seaside Snack Foods", ("snacks",), "SZ", 28, 0.92),
    DemoSupplier("SUP-NBTG", "Ningbo Travel Goods Co.", ("travel",), "SZ", 30, 0.95),
)
