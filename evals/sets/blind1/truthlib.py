"""Ground-truth helpers: read a company folder (data-format.md) and compute the figures by product.md's rules."""
import csv, os, datetime as dt
from collections import defaultdict
try:
    import holidays as _h
    def _hol(years):
        return set(_h.HK(categories=("optional",), years=years).keys())
except ImportError:  # hand list of HK general holidays (late 2026 / early 2027)
    def _hol(years):
        return {dt.date(2026, 10, 1), dt.date(2026, 10, 19), dt.date(2026, 12, 25), dt.date(2026, 12, 26), dt.date(2027, 1, 1),
                dt.date(2027, 2, 6), dt.date(2027, 2, 8), dt.date(2027, 2, 9)}
HOL = _hol([2024, 2025, 2026, 2027])

def is_wd(d):
    return d.weekday() < 6 and d not in HOL

def next_wd(d):
    d += dt.timedelta(days=1)
    while not is_wd(d):
        d += dt.timedelta(days=1)
    return d

def add_wd(d, n):
    for _ in range(n):
        d = next_wd(d)
    return d

class Co:
    def __init__(self, folder):
        self.f = folder
        rd = lambda n: list(csv.DictReader(open(os.path.join(folder, n), encoding="utf-8-sig")))
        self.areas = {r["code"]: r for r in rd("areas.csv")}
        self.locs = {r["code"]: r for r in rd("locations.csv")}
        self.prod = {r["sku"]: r for r in rd("products.csv")}
        self.stock = {(r["sku"], r["location"]): r for r in rd("stock.csv")}
        self.rates = {r["zone"]: r for r in rd("shipping_rates.csv")}
        self.orders = rd("orders.csv")
        self.sup = rd("suppliers.csv")
        self.veh = {r["vehicle_id"]: r for r in rd("vehicles.csv")}
        self.sales = rd("sales.csv")
        for s in self.sales:
            s["qty"] = int(s["qty"]); s["revenue"] = float(s["revenue"])
        self.promos = rd("promotions.csv")

    def avail(self, sku, loc):
        r = self.stock.get((sku, loc))
        return int(r["on_hand"]) - int(r["reserved"]) if r else 0

    def local_locs(self):
        return [c for c, l in self.locs.items() if int(l["lead_days_max"]) == 0]

    def xb_locs(self):
        return [c for c, l in self.locs.items() if int(l["lead_days_max"]) > 0]

    def dispatch(self, loc, now):
        cut = dt.time.fromisoformat(self.locs[loc]["cutoff"])
        if is_wd(now.date()) and now.time() < cut:
            return now.date()
        return next_wd(now.date())

    def eta(self, sku, qty, now):
        """returns (kind, earliest, latest, set_of_locations) or None when uncertain/short."""
        loc_ok = [l for l in self.local_locs() if self.avail(sku, l) >= qty]
        if loc_ok:
            ds = {self.dispatch(l, now) for l in loc_ok}
            if len(ds) == 1:
                d = ds.pop()
                return ("local", d, d, set(loc_ok))
            return ("local-ambiguous", min(ds), max(ds), set(loc_ok))
        xb = [l for l in self.xb_locs() if self.avail(sku, l) >= qty]
        if xb:
            res = []
            for l in xb:
                d0 = self.dispatch(l, now)
                L = self.locs[l]
                res.append((add_wd(d0, int(L["lead_days_min"])), add_wd(d0, int(L["lead_days_max"])), l))
            res.sort()
            if len(res) == 1 or res[0][0] < res[1][0]:
                return ("xb", res[0][0], res[0][1], {res[0][2]})
            return ("xb-ambiguous", res[0][0], res[0][1], {r[2] for r in res})
        return None

    def shipping(self, area, items=None, weight=None, order_value=None):
        z = self.rates[self.areas[area]["zone"]]
        if items:
            weight = sum(float(self.prod[s]["weight_kg"]) * q for s, q in items)
            if order_value is None:
                order_value = sum(float(self.prod[s]["unit_price"]) * q for s, q in items)
        raw = float(z["base_fee"]) + float(z["per_kg"]) * weight
        frac = raw - int(raw)
        assert abs(frac - 0.5) > 0.02, f"rounding too close to .5: {raw}"
        if z["free_over"] and order_value is not None and order_value >= float(z["free_over"]):
            return 0, raw, weight, order_value
        return int(round(raw)), raw, weight, order_value

    def sales_sum(self, start, end, measure="revenue", **flt):
        tot = 0.0
        for s in self.sales:
            if not (start <= s["date"] <= end): continue
            if not self._match(s, flt): continue
            tot += self._meas(s, measure)
        return tot

    def _match(self, s, flt):
        a = self.areas[s["area"]]; p = self.prod[s["sku"]]
        for k, v in flt.items():
            if k == "region" and a["region"] != v: return False
            if k == "area" and s["area"] != v: return False
            if k == "product" and s["sku"] != v: return False
            if k == "category" and p["category"] != v: return False
            if k == "channel" and s["channel"] != v: return False
        return True

    def _meas(self, s, m):
        if m == "revenue": return s["revenue"]
        if m == "units": return s["qty"]
        if m == "margin": return s["revenue"] - s["qty"] * float(self.prod[s["sku"]]["unit_cost"])
        raise ValueError(m)

    def sales_group(self, start, end, by, measure="revenue", **flt):
        g = defaultdict(float)
        for s in self.sales:
            if not (start <= s["date"] <= end) or not self._match(s, flt): continue
            a = self.areas[s["area"]]; p = self.prod[s["sku"]]
            key = {"region": a["region"], "area": s["area"], "product": s["sku"], "category": p["category"],
                   "channel": s["channel"], "zone": a["zone"]}[by]
            g[key] += self._meas(s, measure)
        return sorted(g.items(), key=lambda kv: -kv[1])

    def order(self, oid):
        return [o for o in self.orders if o["order_id"] == oid]

    def suppliers(self, sku):
        return [s for s in self.sup if s["sku"] == sku]
