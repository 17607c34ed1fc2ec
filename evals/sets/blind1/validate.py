#!/usr/bin/env python3
"""Validate a company folder against data-format.md. usage: validate.py FOLDER"""
import csv, sys, os, re, datetime as dt
F = sys.argv[1]
errs = []
def rd(n, req=True):
    p = os.path.join(F, n)
    if not os.path.exists(p):
        if req: errs.append(f"missing {n}")
        return [], []
    with open(p, encoding="utf-8-sig") as f:
        r = csv.DictReader(f); rows = list(r); return r.fieldnames, rows
COLS = {
 "areas.csv": "code,name_en,name_zh,district,region,zone,lat,lon,aliases",
 "locations.csv": "code,name_en,name_zh,area,kind,lead_days_min,lead_days_max,cutoff",
 "products.csv": "sku,name_en,name_zh,category,unit_price,unit_cost,weight_kg,volume_l,substitutes,aliases",
 "stock.csv": "sku,location,on_hand,reserved,updated_at",
 "sales.csv": "date,sku,area,qty,revenue,channel",
 "orders.csv": "order_id,line,created_at,customer_id,sku,qty,area,window_start,window_end,status,location,vehicle,eta,promised_by",
 "vehicles.csv": "vehicle_id,plate,driver,driver_zh,depot,capacity_kg,capacity_l,shift_start,shift_end,workdays",
 "shipping_rates.csv": "zone,base_fee,per_kg,free_over,consolidated_day,consolidated_discount_pct",
 "suppliers.csv": "supplier_id,name,sku,lead_days,moq,unit_cost,deliver_to",
 "promotions.csv": "promo_id,name,sku,region,start,end,discount_pct",
 "customers.csv": "customer_id,name,area,tier,salesperson",
 "staff.csv": "staff_id,name,role,handles,region",
}
T = {}
for n, c in COLS.items():
    h, rows = rd(n)
    for col in c.split(","):
        if h is not None and col not in h: errs.append(f"{n}: missing column {col}")
    T[n] = rows
def isdate(s): 
    try: dt.date.fromisoformat(s); return True
    except Exception: return False
def isdt(s):
    try: dt.datetime.fromisoformat(s); return True
    except Exception: return False
def isnum(s):
    try: float(s); return True
    except Exception: return False
def isint(s, nonneg=True):
    return re.fullmatch(r"\d+" if nonneg else r"-?\d+", s or "") is not None
def hhmm(s): return re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", s or "") is not None
def uniq(n, keyf):
    seen = set()
    for i, r in enumerate(T[n], 2):
        k = keyf(r)
        if k in seen: errs.append(f"{n}:{i} duplicate key {k}")
        seen.add(k)
    return seen
DISTRICTS = {"Central and Western","Wan Chai","Eastern","Southern","Yau Tsim Mong","Sham Shui Po","Kowloon City","Wong Tai Sin","Kwun Tong","Tsuen Wan","Kwai Tsing","Sha Tin","Tai Po","North","Yuen Long","Tuen Mun","Sai Kung","Islands"}
zones = uniq("shipping_rates.csv", lambda r: r["zone"])
for i, r in enumerate(T["shipping_rates.csv"], 2):
    for c in ("base_fee", "per_kg"):
        if not isnum(r[c]): errs.append(f"shipping_rates:{i} {c}")
    if r["free_over"] and not isnum(r["free_over"]): errs.append(f"shipping_rates:{i} free_over")
    if r["consolidated_day"] and r["consolidated_day"] not in ("Mon","Tue","Wed","Thu","Fri","Sat","Sun"): errs.append(f"shipping_rates:{i} day")
areas = uniq("areas.csv", lambda r: r["code"])
for i, r in enumerate(T["areas.csv"], 2):
    if r["district"] not in DISTRICTS: errs.append(f"areas:{i} district {r['district']}")
    if r["region"] not in ("HKI","KLN","NT","ISL"): errs.append(f"areas:{i} region")
    if r["zone"] not in zones: errs.append(f"areas:{i} zone")
    if not (isnum(r["lat"]) and isnum(r["lon"])): errs.append(f"areas:{i} latlon")
locs = uniq("locations.csv", lambda r: r["code"])
for i, r in enumerate(T["locations.csv"], 2):
    if r["area"] and r["area"] not in areas: errs.append(f"locations:{i} area")
    if r["kind"] not in ("warehouse","transit","store","crossborder"): errs.append(f"locations:{i} kind")
    if not (isint(r["lead_days_min"]) and isint(r["lead_days_max"])): errs.append(f"locations:{i} lead")
    if not hhmm(r["cutoff"]): errs.append(f"locations:{i} cutoff")
skus = uniq("products.csv", lambda r: r["sku"])
for i, r in enumerate(T["products.csv"], 2):
    for c in ("unit_price","unit_cost","weight_kg","volume_l"):
        if not isnum(r[c]): errs.append(f"products:{i} {c}")
    for s in filter(None, r["substitutes"].split(";")):
        if s not in skus: errs.append(f"products:{i} substitute {s}")
uniq("stock.csv", lambda r: (r["sku"], r["location"]))
for i, r in enumerate(T["stock.csv"], 2):
    if r["sku"] not in skus or r["location"] not in locs: errs.append(f"stock:{i} ref")
    if not (isint(r["on_hand"]) and isint(r["reserved"])): errs.append(f"stock:{i} int")
    if not isdt(r["updated_at"]): errs.append(f"stock:{i} updated_at")
for i, r in enumerate(T["sales.csv"], 2):
    if r["sku"] not in skus or r["area"] not in areas: errs.append(f"sales:{i} ref")
    if not isdate(r["date"]) or not isint(r["qty"]) or not isnum(r["revenue"]): errs.append(f"sales:{i} type")
    if r["channel"] not in ("online","store","b2b","phone"): errs.append(f"sales:{i} channel")
custs = uniq("customers.csv", lambda r: r["customer_id"])
staff = uniq("staff.csv", lambda r: r["staff_id"])
vehs = uniq("vehicles.csv", lambda r: r["vehicle_id"])
for i, r in enumerate(T["vehicles.csv"], 2):
    if r["depot"] not in locs: errs.append(f"vehicles:{i} depot")
    if not (hhmm(r["shift_start"]) and hhmm(r["shift_end"])): errs.append(f"vehicles:{i} shift")
    if not (isnum(r["capacity_kg"]) and isnum(r["capacity_l"])): errs.append(f"vehicles:{i} cap")
uniq("orders.csv", lambda r: (r["order_id"], r["line"]))
for i, r in enumerate(T["orders.csv"], 2):
    if r["sku"] not in skus or r["area"] not in areas: errs.append(f"orders:{i} ref")
    if r["customer_id"] and r["customer_id"] not in custs: errs.append(f"orders:{i} customer")
    if r["location"] and r["location"] not in locs: errs.append(f"orders:{i} location")
    if r["vehicle"] and r["vehicle"] not in vehs: errs.append(f"orders:{i} vehicle")
    if r["status"] not in ("new","allocated","picked","out_for_delivery","delivered","cancelled"): errs.append(f"orders:{i} status")
    if not isint(r["qty"]) or not isint(r["line"]): errs.append(f"orders:{i} int")
    for c in ("created_at","window_start","window_end","eta","promised_by"):
        if (r[c] or c == "created_at") and not isdt(r[c]): errs.append(f"orders:{i} {c}")
for i, r in enumerate(T["suppliers.csv"], 2):
    if r["sku"] not in skus or r["deliver_to"] not in locs: errs.append(f"suppliers:{i} ref")
    if not (isint(r["lead_days"]) and isint(r["moq"]) and isnum(r["unit_cost"])): errs.append(f"suppliers:{i} type")
uniq("suppliers.csv", lambda r: (r["supplier_id"], r["sku"]))
for i, r in enumerate(T["promotions.csv"], 2):
    if r["sku"] not in skus or r["region"] not in ("HKI","KLN","NT","ISL","ALL"): errs.append(f"promotions:{i} ref")
    if not (isdate(r["start"]) and isdate(r["end"]) and isnum(r["discount_pct"])): errs.append(f"promotions:{i} type")
for i, r in enumerate(T["customers.csv"], 2):
    if r["area"] not in areas or r["tier"] not in "ABC" or (r["salesperson"] and r["salesperson"] not in staff): errs.append(f"customers:{i} ref")
for i, r in enumerate(T["staff.csv"], 2):
    if r["role"] not in ("sales","logistics","manager","finance","admin"): errs.append(f"staff:{i} role")
    for h in r["handles"].split(";"):
        if not re.fullmatch(r"(slack|telegram|whatsapp):\S+", h): errs.append(f"staff:{i} handle {h}")
    if r["region"] and r["region"] not in ("HKI","KLN","NT","ISL"): errs.append(f"staff:{i} region")
d = sorted(r["date"] for r in T["sales.csv"])
print(F, "sales", d[0], "..", d[-1], len(T["sales.csv"]), "rows;", "errors:", len(errs))
for e in errs[:50]: print(" ", e)
