#!/usr/bin/env python3
"""Company B for the blind eval: 港灣清潔餐飲用品 Harbour Clean & Catering Supplies Ltd.
A distributor of cleaning / janitorial / paper / catering-disposable supplies.
Deterministic (seed 20261202). Writes CSVs in data-format.md into ./data/.
Today = Wednesday 2026-12-02; sales history 2025-08-01 .. 2026-12-01."""
import csv, os, datetime as dt
import numpy as np

SEED = 20261202
rng = np.random.default_rng(SEED)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
TODAY = dt.date(2026, 12, 2)
HIST_START = dt.date(2025, 8, 1)
HIST_END = dt.date(2026, 12, 1)

def w(name, header, rows):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w", newline="", encoding="utf-8") as f:
        wr = csv.writer(f)
        wr.writerow(header)
        wr.writerows(rows)

# ---------------------------------------------------------------- areas / zones
# code, en, zh, district, region, zone, lat, lon, aliases
AREAS = [
    ("CEN", "Central", "中環", "Central and Western", "HKI", "CORE", 22.2820, 114.1588, "中環;Central;中区"),
    ("SYP", "Sai Ying Pun", "西營盤", "Central and Western", "HKI", "CORE", 22.2866, 114.1428, "西營盤;西營;Sai Ying Pun;SYP"),
    ("WCH", "Wan Chai", "灣仔", "Wan Chai", "HKI", "CORE", 22.2776, 114.1730, "灣仔;Wanchai;Wan Chai"),
    ("CWB", "Causeway Bay", "銅鑼灣", "Wan Chai", "HKI", "CORE", 22.2803, 114.1840, "銅鑼灣;銅鑼;CWB;Causeway Bay"),
    ("NPT", "North Point", "北角", "Eastern", "HKI", "CORE", 22.2913, 114.2006, "北角;North Point"),
    ("CWN", "Chai Wan", "柴灣", "Eastern", "HKI", "CORE", 22.2646, 114.2371, "柴灣;Chai Wan;Chaiwan"),
    ("ABD", "Aberdeen", "香港仔", "Southern", "HKI", "CORE", 22.2480, 114.1550, "香港仔;Aberdeen;ABD"),
    ("WCK", "Wong Chuk Hang", "黃竹坑", "Southern", "HKI", "CORE", 22.2480, 114.1680, "Wong Chuk Hang;WCK"),
    ("TST", "Tsim Sha Tsui", "尖沙咀", "Yau Tsim Mong", "KLN", "CORE", 22.2988, 114.1722, "尖沙咀;尖咀;TST;Tsim Sha Tsui"),
    ("JOR", "Jordan", "佐敦", "Yau Tsim Mong", "KLN", "CORE", 22.3049, 114.1716, "佐敦;Jordan"),
    ("MKK", "Mong Kok", "旺角", "Yau Tsim Mong", "KLN", "CORE", 22.3193, 114.1694, "旺角;Mong Kok;Mongkok;MK"),
    ("SSP", "Sham Shui Po", "深水埗", "Sham Shui Po", "KLN", "CORE", 22.3303, 114.1622, "深水埗;深水步;SSP;Sham Shui Po"),
    ("LCK", "Lai Chi Kok", "荔枝角", "Sham Shui Po", "KLN", "CORE", 22.3370, 114.1480, "荔枝角;Lai Chi Kok;LCK"),
    ("KLC", "Kowloon City", "九龍城", "Kowloon City", "KLN", "CORE", 22.3282, 114.1916, "九龍城;Kowloon City"),
    ("HHM", "Hung Hom", "紅磡", "Kowloon City", "KLN", "CORE", 22.3049, 114.1823, "紅磡;Hung Hom;HH"),
    ("SPK", "San Po Kong", "新蒲崗", "Wong Tai Sin", "KLN", "CORE", 22.3356, 114.1970, "新蒲崗;San Po Kong;SPK"),
    ("KBY", "Kowloon Bay", "九龍灣", "Kwun Tong", "KLN", "CORE", 22.3236, 114.2140, "九龍灣;Kowloon Bay;KB"),
    ("KTG", "Kwun Tong", "觀塘", "Kwun Tong", "KLN", "CORE", 22.3104, 114.2252, "觀塘;官塘;Kwun Tong;KT"),
    ("TWN", "Tsuen Wan", "荃灣", "Tsuen Wan", "NT", "NTW", 22.3707, 114.1149, "荃灣;Tsuen Wan;TW"),
    ("KWC", "Kwai Chung", "葵涌", "Kwai Tsing", "NT", "NTW", 22.3593, 114.1296, "葵涌;葵芳;Kwai Chung;Kwai Fong"),
    ("TSY", "Tsing Yi", "青衣", "Kwai Tsing", "NT", "NTW", 22.3585, 114.1076, "青衣;Tsing Yi;TY"),
    ("STN", "Sha Tin", "沙田", "Sha Tin", "NT", "NTW", 22.3817, 114.1880, "沙田;Sha Tin;Shatin;ST"),
    ("TPO", "Tai Po", "大埔", "Tai Po", "NT", "NTW", 22.4508, 114.1644, "大埔;Tai Po;TP"),
    ("SSW", "Sheung Shui", "上水", "North", "NT", "NTW", 22.5016, 114.1280, "上水;Sheung Shui;SS"),
    ("YLG", "Yuen Long", "元朗", "Yuen Long", "NT", "NTW", 22.4445, 114.0222, "元朗;Yuen Long;YL"),
    ("TMN", "Tuen Mun", "屯門", "Tuen Mun", "NT", "NTW", 22.3916, 113.9770, "屯門;Tuen Mun;TM"),
    ("TKO", "Tseung Kwan O", "將軍澳", "Sai Kung", "NT", "NTW", 22.3076, 114.2600, "將軍澳;Tseung Kwan O;TKO"),
    ("TCH", "Tung Chung", "東涌", "Islands", "ISL", "LANTAU", 22.2890, 113.9415, "東涌;Tung Chung;TC"),
    ("SHO", "Siu Ho Wan", "小蠔灣", "Islands", "ISL", "LANTAU", 22.3010, 113.9920, "Siu Ho Wan;SHW depot;Siu Ho Wan depot"),
    ("DBY", "Discovery Bay", "愉景灣", "Islands", "ISL", "OUTLYING", 22.2960, 114.0160, "愉景灣;愉景;Discovery Bay;Disco Bay;DB"),
    ("CCH", "Cheung Chau", "長洲", "Islands", "ISL", "OUTLYING", 22.2090, 114.0290, "長洲;Cheung Chau"),
    ("LMA", "Lamma Island", "南丫島", "Islands", "ISL", "OUTLYING", 22.2260, 114.1090, "Lamma;Lamma Island;Yung Shue Wan;Sok Kwu Wan"),
]
RATES = [  # zone, base_fee, per_kg, free_over, consolidated_day, consolidated_discount_pct
    ("CORE", "55.00", "1.20", "1000.00", "", ""),
    ("NTW", "75.00", "1.80", "1500.00", "", ""),
    ("LANTAU", "110.00", "2.60", "2500.00", "", ""),
    ("OUTLYING", "180.00", "3.50", "", "Thu", "25"),
]
# ---------------------------------------------------------------- locations
LOCS = [  # code, en, zh, area, kind, lmin, lmax, cutoff
    ("TYW", "Tsing Yi Warehouse", "青衣貨倉", "TSY", "warehouse", 0, 0, "15:30"),
    ("KBH", "Kowloon Bay Hub", "九龍灣轉運站", "KBY", "transit", 0, 0, "13:00"),
    ("SPK", "San Po Kong Store", "新蒲崗門市", "SPK", "store", 0, 0, "17:00"),
    ("SHO", "Siu Ho Wan Depot", "小蠔灣倉", "SHO", "warehouse", 0, 0, "11:00"),
    ("SZP", "Shenzhen Pinghu Warehouse", "深圳平湖倉", "", "crossborder", 2, 3, "11:00"),
    ("DGF", "Dongguan Factory Store", "東莞廠倉", "", "crossborder", 3, 5, "10:00"),
]
# ---------------------------------------------------------------- products
# sku, en, zh, category, price, cost, kg, litres, substitutes, aliases, base demand (orders/day), mean units/order
P = [
 ("HK.CLN.0042","Bleach 5L","漂白水 5公升","chemicals",58,23.45,5.6,5.5,"HK.CLN.0043","漂白水;大桶漂白水;漂白水5L;bleach;bleach 5L;clorox",4.0,6),
 ("HK.CLN.0043","Bleach 1L","漂白水 1公升","chemicals",16,6.35,1.15,1.1,"HK.CLN.0042","細支漂白水;漂白水1L;small bleach;bleach 1L",3.0,10),
 ("HK.CLN.0051","Dishwashing liquid 5L","洗潔精 5公升","chemicals",72,29.85,5.3,5.4,"","洗潔精;洗碗水;dish soap;dishwashing liquid",3.5,5),
 ("HK.CLN.0061","Floor cleaner lemon 4L","地板清潔劑 檸檬味 4公升","chemicals",88,35.15,4.3,4.4,"HK.CLN.0062;HK.CLN.0063","檸檬地板水;檸檬味地板清潔劑;lemon floor cleaner",2.0,4),
 ("HK.CLN.0062","Floor cleaner lavender 4L","地板清潔劑 薰衣草味 4公升","chemicals",88,35.15,4.3,4.4,"HK.CLN.0061;HK.CLN.0063","薰衣草地板水;薰衣草味地板清潔劑;lavender floor cleaner",1.6,4),
 ("HK.CLN.0063","Floor cleaner pine 4L","地板清潔劑 松木味 4公升","chemicals",88,35.15,4.3,4.4,"HK.CLN.0061","松木地板水;松木味地板清潔劑;pine floor cleaner",0.8,4),
 ("HK.CLN.0071","Hand soap refill 5L","洗手液補充裝 5公升","chemicals",96,38.65,5.2,5.3,"","洗手液;梘液;洗手梘液;hand soap;hand wash",2.2,3),
 ("HK.CLN.0081","Glass cleaner 500ml","玻璃清潔劑 500ml","chemicals",28,10.55,0.6,0.6,"","玻璃水;抹窗水;glass cleaner;windex",1.8,6),
 ("HK.CLN.0091","Kitchen degreaser 1L","廚房除油劑 1公升","chemicals",45,17.85,1.1,1.1,"","除油劑;強力除油;廚房除油;degreaser;oil remover",2.5,6),
 ("HK.CLN.0095","Alcohol 75% 500ml","75%消毒酒精 500ml","chemicals",32,12.15,0.5,0.55,"","火酒;酒精;消毒酒精;alcohol;rubbing alcohol",2.0,8),
 ("HK.PPR.0201","Toilet roll 3-ply (10 rolls)","三層廁紙 (10卷裝)","paper",42,17.35,1.2,9.0,"HK.PPR.0202","廁紙;卷紙;toilet paper;toilet roll;loo roll",6.0,8),
 ("HK.PPR.0202","Jumbo toilet roll (12 rolls)","大卷廁紙 (12卷裝)","paper",168,71.25,8.4,28.0,"HK.PPR.0201","大卷廁紙;大卷紙;jumbo roll;jumbo toilet roll",2.0,3),
 ("HK.PPR.0211","Hand towel paper (20 packs)","抹手紙 (20包)","paper",138,56.45,7.5,30.0,"","抹手紙;擦手紙;hand towel;paper towel",2.5,3),
 ("HK.PPR.0221","Kitchen towel (6 rolls)","廚房紙 (6卷裝)","paper",36,14.65,1.0,8.0,"","廚房紙;廚紙;kitchen towel;kitchen roll",3.0,6),
 ("HK.PPR.0231","Paper napkins (1000 pcs)","餐紙 (1000張)","paper",65,26.35,2.4,6.0,"","餐紙;餐巾紙;napkins;serviettes",2.5,4),
 ("HK.CAT.0301","Food container 650ml (500 pcs)","外賣飯盒 650ml (500個)","disposables",245,103.65,6.8,60.0,"HK.CAT.0302","飯盒;外賣盒;細飯盒;650飯盒;takeaway box;food container",3.0,2),
 ("HK.CAT.0302","Food container 750ml (500 pcs)","外賣飯盒 750ml (500個)","disposables",265,112.35,7.4,66.0,"HK.CAT.0301;HK.CAT.0303","中飯盒;750飯盒;medium takeaway box",2.2,2),
 ("HK.CAT.0303","Food container 1000ml (500 pcs)","外賣飯盒 1000ml (500個)","disposables",298,126.85,8.6,78.0,"HK.CAT.0302","大飯盒;1000飯盒;big takeaway box;large food container",1.5,2),
 ("HK.CAT.0311","Paper cup 8oz (1000 pcs)","8安士紙杯 (1000隻)","disposables",188,79.45,7.0,45.0,"HK.CAT.0312","紙杯;細紙杯;8oz紙杯;8oz cup;paper cup",2.0,2),
 ("HK.CAT.0312","Paper cup 12oz (1000 pcs)","12安士紙杯 (1000隻)","disposables",228,96.15,9.0,58.0,"HK.CAT.0311","大紙杯;12oz紙杯;12oz cup;large paper cup",1.6,2),
 ("HK.CAT.0321","Wooden chopsticks (2000 pairs)","即棄木筷子 (2000對)","disposables",210,88.35,9.5,25.0,"","木筷子;即棄筷子;筷子;chopsticks;disposable chopsticks",1.8,2),
 ("HK.CAT.0322","Plastic spoons (1000 pcs)","即棄膠匙羹 (1000隻)","disposables",95,39.15,2.8,12.0,"","膠匙羹;匙羹;即棄匙羹;spoons;plastic spoon",1.8,3),
 ("HK.CAT.0331","Paper straws (2500 pcs)","紙飲管 (2500支)","disposables",175,72.65,4.2,15.0,"","紙飲管;飲管;straws;paper straw",1.2,2),
 ("HK.CAT.0341","Cling film 30cm","保鮮紙 30cm","disposables",48,19.35,1.5,2.0,"HK.CAT.0342","保鮮紙;細保鮮紙;30cm保鮮紙;cling film;cling wrap",2.5,5),
 ("HK.CAT.0342","Cling film 45cm","保鮮紙 45cm","disposables",78,31.45,2.6,3.5,"HK.CAT.0341","大保鮮紙;45cm保鮮紙;big cling film;cling film 45",1.5,4),
 ("HK.CAT.0351","Aluminium foil 30cm","錫紙 30cm","disposables",52,21.15,1.4,1.8,"","錫紙;鋁箔紙;foil;aluminium foil;tin foil",1.8,5),
 ("HK.GLV.0111","Nitrile gloves blue S (100 pcs)","藍色丁腈手套 細碼 (100隻)","gloves",68,27.35,0.6,1.5,"HK.GLV.0112;HK.GLV.0131","細碼手套;S碼手套;細碼丁腈手套;small gloves;nitrile gloves S",1.6,6),
 ("HK.GLV.0112","Nitrile gloves blue M (100 pcs)","藍色丁腈手套 中碼 (100隻)","gloves",68,27.35,0.6,1.5,"HK.GLV.0111;HK.GLV.0113;HK.GLV.0131","中碼手套;M碼手套;中碼丁腈手套;medium gloves;nitrile gloves M",3.0,8),
 ("HK.GLV.0113","Nitrile gloves blue L (100 pcs)","藍色丁腈手套 大碼 (100隻)","gloves",68,27.35,0.6,1.5,"HK.GLV.0112;HK.GLV.0114;HK.GLV.0131","大碼手套;L碼手套;大碼丁腈手套;large gloves;nitrile gloves L",2.6,8),
 ("HK.GLV.0114","Nitrile gloves blue XL (100 pcs)","藍色丁腈手套 加大碼 (100隻)","gloves",72,28.95,0.65,1.6,"HK.GLV.0113","加大碼手套;XL碼手套;XL手套;xl gloves;nitrile gloves XL",0.9,5),
 ("HK.GLV.0121","Rubber gloves yellow","黃色家用膠手套","gloves",18,6.85,0.12,0.3,"HK.GLV.0122","黃色膠手套;黃膠手套;洗碗手套;yellow rubber gloves",2.0,10),
 ("HK.GLV.0122","Rubber gloves pink","粉紅色家用膠手套","gloves",18,6.85,0.12,0.3,"HK.GLV.0121","粉紅色膠手套;粉紅膠手套;pink rubber gloves",1.4,10),
 ("HK.GLV.0131","Disposable PE gloves (100 pcs)","即棄PE手套 (100隻)","gloves",15,5.45,0.15,0.4,"","即棄手套;PE手套;透明手套;clear gloves;PE gloves",2.0,12),
 ("HK.BAG.0401","Garbage bag black small 24x30 (50 pcs)","黑色垃圾袋 細 24x30吋 (50個)","bags",32,12.75,1.1,1.5,"HK.BAG.0402","細垃圾袋;細黑袋;細碼垃圾袋;small bin bag;small garbage bag",2.6,8),
 ("HK.BAG.0402","Garbage bag black medium 30x40 (50 pcs)","黑色垃圾袋 中 30x40吋 (50個)","bags",45,17.95,1.8,2.3,"HK.BAG.0401;HK.BAG.0403","中垃圾袋;中碼垃圾袋;垃圾袋;黑袋;bin bag;garbage bag",4.0,8),
 ("HK.BAG.0403","Garbage bag black large 36x48 (50 pcs)","黑色垃圾袋 大 36x48吋 (50個)","bags",62,24.85,2.7,3.2,"HK.BAG.0402","大垃圾袋;大黑袋;大碼垃圾袋;large bin bag;large garbage bag",2.5,6),
 ("HK.BAG.0411","Clear recycling bag (50 pcs)","透明垃圾袋 (50個)","bags",48,19.15,1.6,2.0,"","透明垃圾袋;透明袋;回收袋;clear bin bag;recycling bag",1.2,5),
 ("HK.BAG.0421","T-shirt carrier bag (1000 pcs)","背心袋 (1000個)","bags",118,48.75,6.0,10.0,"","背心袋;膠袋;plastic bag;carrier bag;t-shirt bag",1.5,2),
 ("HK.JAN.0501","Cotton mop head","棉地拖頭","janitorial",38,14.95,0.45,1.5,"HK.JAN.0502","地拖頭;棉地拖頭;棉地拖;mop head;cotton mop",1.5,6),
 ("HK.JAN.0502","Microfibre mop head","超細纖維地拖頭","janitorial",46,18.35,0.35,1.2,"HK.JAN.0501","纖維地拖頭;超細纖維地拖;microfibre mop;microfiber mop",1.0,6),
 ("HK.JAN.0511","Mop bucket with wringer 20L","地拖桶連榨水器 20公升","janitorial",268,113.75,4.8,40.0,"","地拖桶;拖把桶;榨水桶;mop bucket",0.12,1),
 ("HK.JAN.0521","Microfibre cloth blue (10 pcs)","超細纖維抹布 藍色 (10條)","janitorial",55,21.65,0.45,1.0,"HK.JAN.0522;HK.JAN.0523","藍色抹布;藍抹布;blue cloth;blue microfibre cloth",1.6,5),
 ("HK.JAN.0522","Microfibre cloth red (10 pcs)","超細纖維抹布 紅色 (10條)","janitorial",55,21.65,0.45,1.0,"HK.JAN.0521","紅色抹布;紅抹布;red cloth;red microfibre cloth",1.0,5),
 ("HK.JAN.0523","Microfibre cloth green (10 pcs)","超細纖維抹布 綠色 (10條)","janitorial",55,21.65,0.45,1.0,"HK.JAN.0521","綠色抹布;綠抹布;green cloth;green microfibre cloth",0.9,5),
 ("HK.JAN.0524","Microfibre cloth yellow (10 pcs)","超細纖維抹布 黃色 (10條)","janitorial",55,21.65,0.45,1.0,"HK.JAN.0521","黃色抹布;黃抹布;yellow cloth;yellow microfibre cloth",0.7,5),
 ("HK.JAN.0531","Scouring pads (10 pcs)","百潔布 (10塊)","janitorial",24,8.95,0.2,0.6,"","百潔布;菜瓜布;洗碗布;scouring pad;scrubber",2.2,8),
 ("HK.JAN.0541","Wet floor sign","小心地滑警告牌","janitorial",88,34.75,1.1,6.0,"","小心地滑;地滑牌;警告牌;wet floor sign;caution sign",0.08,1),
 ("HK.JAN.0551","Broom and dustpan set","掃把連垃圾鏟","janitorial",78,30.55,1.3,12.0,"","掃把;垃圾鏟;掃把垃圾鏟;broom;dustpan",0.25,2),
]
SKUS = [p[0] for p in P]
PRICE = {p[0]: p[4] for p in P}

# ---------------------------------------------------------------- stock
UPD = {"TYW": "2026-12-02T10:05", "KBH": "2026-12-02T10:12", "SPK": "2026-12-02T09:58",
       "SHO": "2026-12-02T09:40", "SZP": "2026-12-02T08:30", "DGF": "2026-12-01T18:00"}
# designed scenarios (sku -> {loc: (on_hand, reserved)}); others are random
DESIGN = {
 "HK.CLN.0042": {"TYW": (420, 60), "KBH": (85, 10), "SPK": (12, 0), "SHO": (30, 6), "SZP": (900, 0), "DGF": (0, 0)},
 "HK.GLV.0112": {"TYW": (0, 0), "KBH": (18, 18), "SPK": (6, 2), "SHO": (0, 0), "SZP": (1500, 0), "DGF": (3000, 200)},
 "HK.CAT.0342": {"TYW": (0, 0), "KBH": (0, 0), "SPK": (0, 0), "SHO": (0, 0), "SZP": (0, 0), "DGF": (800, 0)},
 "HK.JAN.0522": {"TYW": (0, 0), "KBH": (0, 0), "SPK": (40, 0), "SHO": (0, 0), "SZP": (0, 0), "DGF": (0, 0)},
 "HK.CAT.0301": {"TYW": (62, 12), "KBH": (0, 0), "SPK": (3, 0), "SHO": (8, 8), "SZP": (2000, 150), "DGF": (0, 0)},
 "HK.JAN.0511": {"TYW": (3, 0), "KBH": (0, 0), "SPK": (0, 0), "SHO": (0, 0), "SZP": (0, 0), "DGF": (0, 0)},
 "HK.PPR.0201": {"TYW": (1800, 240), "KBH": (640, 80), "SPK": (96, 0), "SHO": (300, 20), "SZP": (0, 0), "DGF": (0, 0)},
 "HK.BAG.0402": {"TYW": (0, 0), "KBH": (350, 50), "SPK": (25, 5), "SHO": (0, 0), "SZP": (5000, 0), "DGF": (0, 0)},
 "HK.GLV.0113": {"TYW": (900, 100), "KBH": (260, 60), "SPK": (30, 0), "SHO": (120, 0), "SZP": (2000, 0), "DGF": (0, 0)},
 "HK.CLN.0071": {"TYW": (150, 30), "KBH": (0, 0), "SPK": (0, 0), "SHO": (0, 0), "SZP": (600, 0), "DGF": (0, 0)},
 "HK.JAN.0521": {"TYW": (200, 0), "KBH": (60, 0), "SPK": (15, 0), "SHO": (40, 0), "SZP": (0, 0), "DGF": (900, 0)},
 "HK.GLV.0111": {"TYW": (0, 0), "KBH": (0, 0), "SPK": (0, 0), "SHO": (0, 0), "SZP": (500, 0), "DGF": (0, 0)},
}
stock_rows = []
for p in P:
    sku = p[0]
    for loc in ["TYW", "KBH", "SPK", "SHO", "SZP", "DGF"]:
        if sku in DESIGN:
            oh, rs = DESIGN[sku][loc]
        else:
            scale = {"TYW": 600, "KBH": 220, "SPK": 30, "SHO": 90, "SZP": 1500, "DGF": 1200}[loc]
            if rng.random() < 0.12:
                oh = 0
            else:
                oh = int(rng.integers(scale // 5, scale + 1))
            rs = int(min(oh, rng.integers(0, max(1, oh // 5) + 1))) if loc not in ("SZP", "DGF") and rng.random() < 0.5 else 0
        stock_rows.append((sku, loc, oh, rs, UPD[loc]))

# ---------------------------------------------------------------- suppliers
SUPS = {
 "chemicals": [("SUP-GZCH", "Guangzhou Bright Chemical Co.", 21, 300, 1.00, "SZP"), ("SUP-HKCL", "Kwai Chung Clean Chem Ltd", 6, 60, 1.14, "TYW")],
 "paper": [("SUP-DGPP", "Dongguan Soft Paper Mill", 14, 500, 1.00, "DGF"), ("SUP-HKPP", "Victoria Paper Trading", 5, 100, 1.12, "TYW")],
 "disposables": [("SUP-SZPK", "Shenzhen Greenpack Manufacturing", 18, 200, 1.00, "SZP"), ("SUP-HKCT", "Lee Kee Catering Supply", 4, 40, 1.16, "KBH")],
 "gloves": [("SUP-MYGL", "Penang Glove Industries Sdn Bhd", 28, 1000, 1.00, "TYW"), ("SUP-SZGL", "Shenzhen Safehand Gloves", 12, 300, 1.08, "SZP")],
 "bags": [("SUP-DGBG", "Dongguan Evergreen Plastics", 16, 400, 1.00, "DGF"), ("SUP-HKBG", "Tsuen Wan Poly Bags Co.", 5, 80, 1.15, "TYW")],
 "janitorial": [("SUP-NBJT", "Ningbo Sunway Cleaning Tools", 30, 100, 1.00, "SZP"), ("SUP-HKJT", "Sam Kee Janitorial Supplies", 7, 10, 1.18, "KBH")],
}
sup_rows = []
for p in P:
    for sid, nm, lead, moq, f, dto in SUPS[p[3]]:
        sup_rows.append((sid, nm, p[0], lead, moq, f"{p[5]*f:.2f}", dto))

# ---------------------------------------------------------------- promotions
PROMOS = [
 ("SUMMER-2025", "Summer catering deal", ["HK.CAT.0311", "HK.CAT.0312", "HK.CAT.0331"], "ALL", "2025-08-04", "2025-08-17", 12),
 ("CNY-CLEAN-2026", "新年大掃除 CNY spring cleaning", ["HK.CLN.0042", "HK.CLN.0061", "HK.CLN.0062", "HK.JAN.0501", "HK.BAG.0402"], "ALL", "2026-01-26", "2026-02-14", 15),
 ("KLN-GLOVE-2026", "Kowloon glove week", ["HK.GLV.0112", "HK.GLV.0113"], "KLN", "2026-06-08", "2026-06-14", 10),
 ("NT-PAPER-2026", "NT paper sale", ["HK.PPR.0201", "HK.PPR.0221"], "NT", "2026-09-14", "2026-09-27", 10),
 ("XMAS-CATER-2026", "Christmas party catering", ["HK.CAT.0301", "HK.CAT.0302", "HK.CAT.0311", "HK.PPR.0231", "HK.CAT.0351"], "ALL", "2026-12-14", "2026-12-24", 15),
 ("CNY-CLEAN-2027", "新年大掃除 2027", ["HK.CLN.0042", "HK.CLN.0061", "HK.BAG.0402", "HK.BAG.0403", "HK.JAN.0531"], "ALL", "2027-01-18", "2027-02-05", 15),
 ("HKI-BLEACH-2026", "Island bleach week", ["HK.CLN.0042"], "HKI", "2026-12-07", "2026-12-13", 20),
]
promo_rows = []
for pid, nm, skus, reg, s, e, d in PROMOS:
    for sku in skus:
        promo_rows.append((pid, nm, sku, reg, s, e, d))

def promo_disc(sku, region, day):
    ds = day.isoformat()
    for pid, nm, skus, reg, s, e, d in PROMOS:
        if sku in skus and (reg == "ALL" or reg == region) and s <= ds <= e:
            return d
    return 0

# ---------------------------------------------------------------- staff / customers / vehicles
STAFF = [
 ("S101", "Carmen Lau", "sales", "slack:U1SALES01;whatsapp:85261230001;telegram:200000101", "HKI"),
 ("S102", "Derek Chow", "sales", "whatsapp:85261230002;telegram:200000102", "KLN"),
 ("S103", "Yvonne Kwok", "sales", "slack:U1SALES03;whatsapp:85261230003", "NT"),
 ("S104", "Ho Ka Yan", "sales", "whatsapp:85261230004", "ISL"),
 ("L201", "Tony Fung", "logistics", "slack:U1LOGI01;whatsapp:85262340001;telegram:200000201", ""),
 ("L202", "Sharon Tse", "logistics", "whatsapp:85262340002", "NT"),
 ("M301", "Raymond Yeung", "manager", "slack:U1MNGR01;whatsapp:85263450001", ""),
 ("F401", "Queenie Mak", "finance", "slack:U1FIN001;telegram:200000401", ""),
 ("A501", "Kenneth Siu", "admin", "slack:U1ADMN01;whatsapp:85265670001", ""),
]
VEH = [  # id, plate, driver, driver_zh, depot, kg, l, start, end, workdays
 ("VN-01", "RX 1288", "Chan Chi Ming", "陳志明", "TYW", 1500, 9000, "08:00", "18:00", "Mon-Sat"),
 ("VN-02", "SK 5521", "Lam Kwok Keung", "林國強", "TYW", 1500, 9000, "08:00", "18:00", "Mon-Sat"),
 ("VN-03", "PT 903", "Yip Wai Lun", "葉偉倫", "TYW", 1000, 6500, "09:00", "19:00", "Mon-Sat"),
 ("VN-04", "LH 7730", "Tang Siu Fai", "鄧少輝", "KBH", 1000, 6500, "08:30", "18:30", "Mon-Sat"),
 ("VN-05", "KA 4416", "Mok Ka Ho", "莫家豪", "KBH", 800, 5000, "07:30", "16:30", "Mon-Fri"),
 ("VN-06", "UN 2610", "Cheng Yuk Lam", "鄭玉霖", "SHO", 800, 5000, "08:00", "17:00", "Tue;Thu;Sat"),
]
CUST_NAMES = ["Golden Dragon Restaurant", "Kam Kee Cafe", "Harbour View Hotel", "Sunrise Property Management", "Lucky Tea House",
 "Oriental Cleaning Services", "Fook Lam Moon Canteen", "Tin Hau Primary School", "Metro Office Tower Mgmt", "Happy Valley Noodles",
 "Ocean Park Kiosk Co.", "Lantau Seaside Cafe", "Mui Wo Guesthouse", "Disco Bay Deli", "Cheung Chau Seafood House",
 "Lamma Vegan Kitchen", "Tung Chung Elderly Centre", "Tsing Yi Logistics Canteen", "Sha Tin Clinic", "Tai Po Market Stall 23",
 "Yuen Long Poon Choi Kitchen", "Tuen Mun Church Hall", "TKO Fitness Club", "Kwai Chung Container Canteen", "Sham Shui Po Dim Sum",
 "Mong Kok Milk Tea", "Jordan Herbal Tea Shop", "Kowloon City Thai Kitchen", "Hung Hom Hostel", "Kwun Tong Co-working Space",
 "Lai Chi Kok Bakery", "San Po Kong Factory Canteen", "Kowloon Bay Offices Ltd", "Central Sushi Bar", "Wan Chai Burger Joint",
 "Causeway Bay Hotpot", "North Point Kindergarten", "Chai Wan Industrial Mgmt", "Aberdeen Fish Market Canteen", "Wong Chuk Hang Studios",
 "Sai Ying Pun Coffee", "TST Shopping Arcade Mgmt", "Sheung Shui Pharmacy", "Tsuen Wan Plaza Foodcourt", "Sha Tin Racecourse Catering"]
CUST_AREA = ["CEN", "WCH", "TST", "NPT", "CWB", "KWC", "MKK", "NPT", "CEN", "WCH", "ABD", "TCH", "CCH", "DBY", "CCH",
 "LMA", "TCH", "TSY", "STN", "TPO", "YLG", "TMN", "TKO", "KWC", "SSP", "MKK", "JOR", "KLC", "HHM", "KTG",
 "LCK", "SPK", "KBY", "CEN", "WCH", "CWB", "NPT", "CWN", "ABD", "WCK", "SYP", "TST", "SSW", "TWN", "STN"]
REG = {a[0]: a[4] for a in AREAS}
SALES_BY_REG = {"HKI": "S101", "KLN": "S102", "NT": "S103", "ISL": "S104"}
cust_rows = []
for i, (nm, ar) in enumerate(zip(CUST_NAMES, CUST_AREA)):
    tier = "ABC"[int(rng.choice(3, p=[0.3, 0.45, 0.25]))]
    cust_rows.append((f"CU-{i+1:04d}", nm, ar, tier, SALES_BY_REG[REG[ar]]))
CUST_IDS = [c[0] for c in cust_rows]
CUST_AREA_OF = {c[0]: c[2] for c in cust_rows}

# ---------------------------------------------------------------- sales history
area_codes = [a[0] for a in AREAS]
area_w = np.array([{"HKI": 1.0, "KLN": 1.3, "NT": 1.1, "ISL": 0.35}[a[4]] for a in AREAS])
area_w = area_w / area_w.sum()
sales = {}
ndays = (HIST_END - HIST_START).days + 1
for di in range(ndays):
    day = HIST_START + dt.timedelta(days=di)
    wd = day.weekday()  # Mon=0
    week_f = [1.15, 1.1, 1.05, 1.1, 1.2, 0.9, 0.35][wd]
    doy = day.timetuple().tm_yday
    for p in P:
        sku, cat, base, mean_q = p[0], p[3], p[10], p[11]
        seas = 1.0
        if cat in ("chemicals", "janitorial", "bags") and (day.month == 1 or (day.month == 2 and day.day <= 14)):
            seas = 1.5  # pre-CNY cleaning
        if cat == "disposables" and day.month in (6, 7, 8, 12):
            seas = 1.25
        if cat == "gloves" and day.month in (1, 2, 3):
            seas = 1.2
        trend = 1.0 + 0.10 * di / ndays
        lam = base * week_f * seas * trend
        n = rng.poisson(lam)
        for _ in range(n):
            ai = int(rng.choice(len(area_codes), p=area_w))
            area = area_codes[ai]
            if wd == 6:
                ch = ["online", "store", "phone"][int(rng.choice(3, p=[0.5, 0.4, 0.1]))]
            elif wd == 5:
                ch = ["online", "store", "b2b", "phone"][int(rng.choice(4, p=[0.3, 0.35, 0.2, 0.15]))]
            else:
                ch = ["online", "store", "b2b", "phone"][int(rng.choice(4, p=[0.25, 0.15, 0.45, 0.15]))]
            if ch == "b2b":
                q = int(rng.geometric(1.0 / (mean_q * 2.5)))
            else:
                q = int(rng.geometric(1.0 / max(1.0, mean_q * 0.5)))
            d = promo_disc(sku, REG[area], day)
            fac = (0.92 if ch == "b2b" else 1.0) * (1 - d / 100.0)
            price = int(round(PRICE[sku] * fac))
            k = (day.isoformat(), sku, area, ch)
            if k in sales:
                sales[k][0] += q
                sales[k][1] += q * price
            else:
                sales[k] = [q, q * price]
sales_rows = [(k[0], k[1], k[2], v[0], f"{v[1]:.2f}", k[3]) for k, v in sorted(sales.items())]

# ---------------------------------------------------------------- orders
orders = []
def add_order(oid, created, cust, lines, area, ws, we, status, loc, veh, eta, promised):
    for i, (sku, qty) in enumerate(lines, 1):
        orders.append((oid, i, created, cust, sku, qty, area, ws, we, status, loc, veh, eta, promised))

# designed orders first (ids 00201-00216)
add_order("PO/2026/00201", "2026-12-01T15:20", "CU-0034", [("HK.PPR.0201", 20), ("HK.CLN.0042", 6)], "CEN",
          "2026-12-02T10:00", "2026-12-02T13:00", "out_for_delivery", "KBH", "VN-04", "2026-12-02T11:40", "2026-12-02T13:00")
add_order("PO/2026/00202", "2026-12-01T16:05", "CU-0017", [("HK.GLV.0111", 30)], "TCH",
          "", "", "allocated", "SZP", "", "", "2026-12-02T18:00")
add_order("PO/2026/00203", "2026-12-01T17:10", "CU-0025", [("HK.CAT.0342", 24)], "SSP",
          "2026-12-03T09:00", "2026-12-03T13:00", "allocated", "DGF", "", "", "2026-12-03T13:00")
add_order("PO/2026/00204", "2026-12-01T17:45", "CU-0030", [("HK.BAG.0402", 40), ("HK.GLV.0113", 10)], "KTG",
          "2026-12-02T14:00", "2026-12-02T18:00", "allocated", "KBH", "VN-05", "2026-12-03T10:30", "2026-12-02T18:00")
add_order("PO/2026/00205", "2026-12-01T18:30", "CU-0021", [("HK.CAT.0301", 10), ("HK.PPR.0231", 8)], "YLG",
          "2026-12-02T13:00", "2026-12-02T18:00", "picked", "TYW", "VN-02", "2026-12-02T15:10", "2026-12-02T18:00")
add_order("PO/2026/00206", "2026-12-02T08:50", "", [("HK.JAN.0522", 4)], "SPK",
          "", "", "new", "", "", "", "")
add_order("PO/2026/00207", "2026-11-30T11:00", "CU-0012", [("HK.CLN.0051", 6), ("HK.GLV.0121", 20)], "TCH",
          "2026-12-01T09:00", "2026-12-01T13:00", "delivered", "SHO", "VN-06", "2026-12-01T11:15", "2026-12-01T13:00")
add_order("PO/2026/00208", "2026-11-30T14:30", "CU-0041", [("HK.CAT.0303", 5)], "ABD",
          "2026-12-01T14:00", "2026-12-01T18:00", "cancelled", "", "", "", "")
add_order("PO/2026/00209", "2026-12-01T10:15", "CU-0014", [("HK.PPR.0202", 6), ("HK.BAG.0403", 10)], "DBY",
          "2026-12-03T09:00", "2026-12-03T13:00", "allocated", "SHO", "VN-06", "2026-12-03T11:20", "2026-12-03T13:00")
add_order("PO/2026/00210", "2026-12-02T09:10", "CU-0003", [("HK.CLN.0071", 12)], "TST",
          "2026-12-04T09:00", "2026-12-04T13:00", "new", "", "", "", "2026-12-04T13:00")
add_order("PO/2026/00211", "2026-12-01T12:40", "CU-0044", [("HK.CAT.0311", 8), ("HK.CAT.0322", 6)], "TWN",
          "2026-12-02T09:00", "2026-12-02T12:00", "out_for_delivery", "TYW", "VN-01", "2026-12-02T10:50", "2026-12-02T12:00")

# filler: history Nov 23 .. Dec 2
oid = 101
t = dt.datetime(2026, 11, 23, 8, 30)
filler = []
while oid <= 200:
    t += dt.timedelta(minutes=int(rng.integers(40, 130)))
    if t.hour >= 20:
        t = (t + dt.timedelta(days=1)).replace(hour=8, minute=int(rng.integers(0, 50)))
    if t.weekday() == 6:
        t = (t + dt.timedelta(days=1)).replace(hour=8, minute=int(rng.integers(0, 50)))
    if t >= dt.datetime(2026, 12, 2, 8, 0):
        break
    filler.append((oid, t))
    oid += 1

def next_wd(d):
    d = d + dt.timedelta(days=1)
    while d.weekday() == 6:
        d += dt.timedelta(days=1)
    return d

for n, created in filler:
    if rng.random() < 0.7:
        cust = CUST_IDS[int(rng.integers(len(CUST_IDS)))]
        area = CUST_AREA_OF[cust]
    else:
        cust = ""
        area = area_codes[int(rng.integers(len(area_codes)))]
    nl = int(rng.integers(1, 4))
    skus = rng.choice(SKUS, size=nl, replace=False)
    lines = [(str(s), int(rng.integers(1, 13)) * (2 if cust else 1)) for s in skus]
    dday = next_wd(created.date())
    h = int(rng.choice([9, 13]))
    ws = dt.datetime.combine(dday, dt.time(h, 0))
    we = ws + dt.timedelta(hours=4 if h == 9 else 5)
    reg = REG[area]
    loc = {"HKI": "KBH", "KLN": "KBH", "NT": "TYW", "ISL": "SHO"}[reg]
    vehs = {"KBH": ["VN-04", "VN-05"], "TYW": ["VN-01", "VN-02", "VN-03"], "SHO": ["VN-06"]}[loc]
    veh = vehs[int(rng.integers(len(vehs)))]
    eta = ws + dt.timedelta(minutes=int(rng.integers(30, 200)))
    prom = we if rng.random() < 0.7 else None
    fmt = lambda x: x.strftime("%Y-%m-%dT%H:%M") if x else ""
    if dday < TODAY:
        status = "cancelled" if rng.random() < 0.07 else "delivered"
        if status == "cancelled":
            add_order(f"PO/2026/{n:05d}", fmt(created), cust, lines, area, fmt(ws), fmt(we), status, "", "", "", "")
        else:
            add_order(f"PO/2026/{n:05d}", fmt(created), cust, lines, area, fmt(ws), fmt(we), status, loc, veh, fmt(eta), fmt(prom))
    else:
        status = str(rng.choice(["new", "allocated", "picked"], p=[0.3, 0.5, 0.2]))
        if status == "new":
            add_order(f"PO/2026/{n:05d}", fmt(created), cust, lines, area, fmt(ws), fmt(we), status, "", "", "", fmt(prom))
        else:
            add_order(f"PO/2026/{n:05d}", fmt(created), cust, lines, area, fmt(ws), fmt(we), status, loc, "", "", fmt(prom))

orders.sort(key=lambda r: (r[0], r[1]))

# ---------------------------------------------------------------- write
w("areas.csv", ["code", "name_en", "name_zh", "district", "region", "zone", "lat", "lon", "aliases"],
  [(a[0], a[1], a[2], a[3], a[4], a[5], f"{a[6]:.4f}", f"{a[7]:.4f}", a[8]) for a in AREAS])
w("shipping_rates.csv", ["zone", "base_fee", "per_kg", "free_over", "consolidated_day", "consolidated_discount_pct"], RATES)
w("locations.csv", ["code", "name_en", "name_zh", "area", "kind", "lead_days_min", "lead_days_max", "cutoff"], LOCS)
w("products.csv", ["sku", "name_en", "name_zh", "category", "unit_price", "unit_cost", "weight_kg", "volume_l", "substitutes", "aliases"],
  [(p[0], p[1], p[2], p[3], f"{p[4]:.2f}", f"{p[5]:.2f}", p[6], p[7], p[8], p[9]) for p in P])
w("stock.csv", ["sku", "location", "on_hand", "reserved", "updated_at"], stock_rows)
w("suppliers.csv", ["supplier_id", "name", "sku", "lead_days", "moq", "unit_cost", "deliver_to"], sup_rows)
w("promotions.csv", ["promo_id", "name", "sku", "region", "start", "end", "discount_pct"], promo_rows)
w("staff.csv", ["staff_id", "name", "role", "handles", "region"], STAFF)
w("customers.csv", ["customer_id", "name", "area", "tier", "salesperson"], cust_rows)
w("vehicles.csv", ["vehicle_id", "plate", "driver", "driver_zh", "depot", "capacity_kg", "capacity_l", "shift_start", "shift_end", "workdays"], VEH)
w("orders.csv", ["order_id", "line", "created_at", "customer_id", "sku", "qty", "area", "window_start", "window_end", "status", "location", "vehicle", "eta", "promised_by"], orders)
w("sales.csv", ["date", "sku", "area", "qty", "revenue", "channel"], sales_rows)
print("products", len(P), "areas", len(AREAS), "stock", len(stock_rows), "orders", len(orders), "sales", len(sales_rows))
