"""Two years of daily sales for the demo company, up to yesterday.

Demand per product and day = its typical daily units x yearly season x trend x events (Lunar New
Year dip, Christmas and Lunar New Year gift seasons) x day-to-day noise. It is split over channels
(each with its own weekly rhythm and holiday behaviour) and regions (Kowloon > New Territories >
Island > islands), lifted by promotions in their region, and drawn as individual sales
(transactions of a few units; B2B larger). The sales of one product, area and channel on a day are
summed into one row, so the file holds only the combinations that sold that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from connectors.demo.catalog import DemoProduct
from connectors.demo.places import AREAS, REGION_SHARE, REGIONS
from connectors.demo.seasons import DemoPromotion, general_holidays, lunar_new_year_days

HISTORY_DAYS = 730
CHANNELS: tuple[str, ...] = ("online", "store", "b2b", "phone")
STORE_AREA = "MK"  # the store's own sales are booked to the area it stands in

# Share of each channel in a category's units (online, store, b2b, phone).
_CHANNEL_MIX: dict[str, tuple[float, float, float, float]] = {
    "drinkware": (0.15, 0.05, 0.75, 0.05),
    "phone accessories": (0.22, 0.08, 0.64, 0.06),
    "home goods": (0.14, 0.05, 0.76, 0.05),
    "stationery": (0.08, 0.03, 0.84, 0.05),
    "personal care": (0.13, 0.05, 0.77, 0.05),
    "snacks": (0.11, 0.04, 0.80, 0.05),
    "travel": (0.20, 0.08, 0.66, 0.06),
}
# Mean units per sale by channel: shops and offices (B2B, most of the business) buy by the carton.
_UNITS_PER_SALE = np.array([1.3, 1.2, 16.0, 3.0])
# The company's overall size: multiplies every product's typical daily units.
VOLUME = 4.0
# Weekly rhythm Monday..Sunday per channel (normalised to mean 1 below).
_WEEKLY = np.array([
    [1.00, 0.98, 0.98, 1.00, 1.05, 1.10, 1.20],  # online
    [0.80, 0.80, 0.85, 0.90, 1.10, 1.50, 1.60],  # store
    [1.25, 1.20, 1.20, 1.20, 1.15, 0.50, 0.02],  # b2b
    [1.15, 1.10, 1.10, 1.10, 1.05, 0.70, 0.15],  # phone
])
_WEEKLY = _WEEKLY / _WEEKLY.mean(axis=1, keepdims=True)
# On a general holiday offices are shut and the store is busier.
_HOLIDAY_FACTOR = np.array([0.90, 1.15, 0.08, 0.30])
# Extra units sold per percent of promotion discount (20% off -> +60%).
PROMO_UPLIFT_PER_PCT = 0.03


@dataclass
class SalesHistory:
    """The generated sales rows as parallel arrays (indices into days, products, areas, channels)."""

    first_day: date
    day_index: np.ndarray
    product_index: np.ndarray
    area_index: np.ndarray
    channel_index: np.ndarray
    qty: np.ndarray
    revenue: np.ndarray
    recent_daily_units: dict[str, float]
    recent_store_units: dict[str, float]

    def __len__(self) -> int:
        return int(self.qty.size)


def _event_factors(product: DemoProduct, days: np.ndarray, new_years: list[date]) -> np.ndarray:
    """Lunar New Year dip and gift seasons (Christmas, Lunar New Year) for one product."""
    factor = np.ones(days.size)
    ordinals = np.array([day.toordinal() for day in days])
    for new_year in new_years:
        offset = ordinals - new_year.toordinal()
        factor[(offset >= -1) & (offset <= 3)] *= 0.30  # shops closed, families at home
        factor[(offset >= 4) & (offset <= 7)] *= 0.75
        if product.gift in ("lny", "both"):
            factor[(offset >= -21) & (offset <= -2)] *= 1.8
    months = np.array([day.month for day in days])
    dom = np.array([day.day for day in days])
    december = months == 12
    if product.gift in ("xmas", "both", "xmas-only"):
        run_up = december & (dom <= 24)
        factor[run_up] *= 1.0 + 1.2 * (dom[run_up] - 1) / 23.0
        factor[december & ((dom == 25) | (dom == 26))] *= 0.7
        if product.gift == "xmas-only":  # a seasonal line: sells almost only from mid-November
            factor[(months == 11) & (dom >= 15)] *= 25.0
            factor[run_up] *= 25.0
    else:
        factor[december & (dom >= 24) & (dom <= 26)] *= 0.85
    return factor


def _promotion_discounts(product: DemoProduct, days: np.ndarray, promotions: list[DemoPromotion]) -> np.ndarray:
    """The discount in percent per day and region (shape days x regions) for one product."""
    discount = np.zeros((days.size, len(REGIONS)))
    first = days[0]
    for promo in promotions:
        if promo.sku != product.sku:
            continue
        lo = max((promo.start - first).days, 0)
        hi = min((promo.end - first).days + 1, days.size)
        if lo >= hi:
            continue
        columns = range(len(REGIONS)) if promo.region == "ALL" else [REGIONS.index(promo.region)]
        for column in columns:
            discount[lo:hi, column] = np.maximum(discount[lo:hi, column], promo.discount_pct)
    return discount


def generate_sales(products: tuple[DemoProduct, ...], promotions: list[DemoPromotion], today: date,
                   rng: np.random.Generator) -> SalesHistory:
    """Daily sales of every product for the `HISTORY_DAYS` days before `today`."""
    first_day = today - timedelta(days=HISTORY_DAYS)
    days = np.array([first_day + timedelta(days=i) for i in range(HISTORY_DAYS)])
    weekday = np.array([day.weekday() for day in days])
    doy = np.array([day.timetuple().tm_yday for day in days])
    holidays_ = general_holidays(first_day.year, today.year)
    on_holiday = np.array([day in holidays_ for day in days])
    new_years = lunar_new_year_days(first_day.year, today.year)
    years_before_today = (np.arange(HISTORY_DAYS) - HISTORY_DAYS) / 365.0

    # Per channel: weekly rhythm x holiday behaviour (days x channels).
    channel_day = _WEEKLY[:, weekday].T.copy()
    channel_day[on_holiday] *= _HOLIDAY_FACTOR

    region_share = np.array([REGION_SHARE[region] for region in REGIONS])
    area_region = np.array([REGIONS.index(area.region) for area in AREAS])
    area_weight = np.array([area.weight for area in AREAS])
    areas_of_region = [np.flatnonzero(area_region == r) for r in range(len(REGIONS))]
    area_probs = [area_weight[idx] / area_weight[idx].sum() for idx in areas_of_region]
    store_area = next(i for i, area in enumerate(AREAS) if area.code == STORE_AREA)
    store_region = area_region[store_area]
    store_channel = CHANNELS.index("store")

    keys: list[np.ndarray] = []
    qtys: list[np.ndarray] = []
    revenues: list[np.ndarray] = []
    recent_daily: dict[str, float] = {}
    recent_store: dict[str, float] = {}
    n_areas, n_channels, n_products = len(AREAS), len(CHANNELS), len(products)
    for p_index, product in enumerate(products):
        level = VOLUME * product.daily_units * np.exp(product.trend * years_before_today)
        level *= 1.0 + product.season_amplitude * np.cos(2 * np.pi * (doy - product.season_peak_doy) / 365.25)
        level *= _event_factors(product, days, new_years)
        level *= rng.gamma(30.0, 1 / 30.0, size=HISTORY_DAYS)
        if product.launched_days_ago is not None:
            age = np.arange(HISTORY_DAYS) - (HISTORY_DAYS - product.launched_days_ago)
            level *= np.where(age < 0, 0.0, np.minimum(1.0, 0.5 + age / 14.0))
        discount = _promotion_discounts(product, days, promotions)
        uplift = 1.0 + PROMO_UPLIFT_PER_PCT * discount  # days x regions
        mix = np.array(_CHANNEL_MIX[product.category])
        # Expected units per day x region x channel.
        expected = level[:, None, None] * channel_day[:, None, :] * mix[None, None, :]
        expected = expected * uplift[:, :, None]
        store_units = expected[:, store_region, store_channel].copy()
        expected = expected * region_share[None, :, None]
        expected[:, :, store_channel] = 0.0
        expected[:, store_region, store_channel] = store_units

        sales_count = rng.poisson(expected / _UNITS_PER_SALE[None, None, :])
        day_i, region_i, channel_i = np.nonzero(sales_count)
        repeats = sales_count[day_i, region_i, channel_i]
        day_i, region_i, channel_i = (np.repeat(day_i, repeats), np.repeat(region_i, repeats),
                                      np.repeat(channel_i, repeats))
        units = 1 + rng.poisson(_UNITS_PER_SALE[channel_i] - 1.0)
        area_i = np.empty(day_i.size, dtype=np.int64)
        for r, candidates in enumerate(areas_of_region):
            mask = region_i == r
            area_i[mask] = rng.choice(candidates, size=int(mask.sum()), p=area_probs[r])
        area_i[channel_i == store_channel] = store_area
        price = product.unit_price * (1.0 - discount[day_i, region_i] / 100.0)
        keys.append(((day_i * n_products + p_index) * n_areas + area_i) * n_channels + channel_i)
        qtys.append(units)
        revenues.append(units * price)
        recent = day_i >= HISTORY_DAYS - 28
        recent_daily[product.sku] = float(units[recent].sum()) / 28.0
        recent_store[product.sku] = float(units[recent & (channel_i == store_channel)].sum()) / 28.0

    all_keys = np.concatenate(keys)
    unique_keys, inverse = np.unique(all_keys, return_inverse=True)
    qty = np.bincount(inverse, weights=np.concatenate(qtys)).astype(np.int64)
    revenue = np.round(np.bincount(inverse, weights=np.concatenate(revenues)), 2)
    channel_index, rest = unique_keys % n_channels, unique_keys // n_channels
    area_index, rest = rest % n_areas, rest // n_areas
    product_index, day_index = rest % n_products, rest // n_products
    return SalesHistory(first_day, day_index, product_index, area_index, channel_index, qty, revenue,
                        recent_daily, recent_store)
