"""Render a `supplier_info` result: each supplier's lead time, MOQ, where it delivers and the arrival date if
ordered today, quickest first; supplier prices only when the result carries them (cost roles)."""

from __future__ import annotations

from bot.messages import Lang
from bot.render.words import dated_freshness, unit_price_words, weekday_date_zh
from tools.suppliers import SupplierInfoResult, SupplierOffer


def _offer_zh(offer: SupplierOffer) -> str:
    price = f",入貨價 {unit_price_words(offer.unit_cost)}" if offer.unit_cost is not None else ""
    return (f"{offer.name}:lead time {offer.lead_days} 日,MOQ {offer.moq:,} 件,送到{offer.deliver_to.name_zh},"
            f"今日落單 {weekday_date_zh(offer.arrives_if_ordered_today)} 到{price}")


def _offer_en(offer: SupplierOffer) -> str:
    price = f", unit cost {unit_price_words(offer.unit_cost)}" if offer.unit_cost is not None else ""
    arrives = offer.arrives_if_ordered_today
    return (f"{offer.name}: lead time {offer.lead_days} days, MOQ {offer.moq:,}, delivered to "
            f"{offer.deliver_to.name_en}, arrives {arrives:%a} {arrives.day} {arrives:%b} if ordered today{price}")


def _cheapest(result: SupplierInfoResult) -> SupplierOffer | None:
    priced = [offer for offer in result.offers if offer.unit_cost is not None]
    return min(priced, key=lambda offer: (offer.unit_cost or 0.0, offer.lead_days)) if len(priced) > 1 else None


def render(result: SupplierInfoResult, lang: Lang = "zh-HK") -> str:
    """「WB-BL-500 藍色水樽嘅供應商(最快先):甲:lead time 9 日,MOQ 500 件,送到粉嶺倉,今日落單 12月11日(星期五) 到;…」"""
    zh = lang == "zh-HK"
    product = result.product
    cheapest = _cheapest(result)
    if zh:
        head = f"{product.sku} {product.name_zh}"
        if not result.offers:
            text = f"{head}:資料入面冇供應商。"
        else:
            text = f"{head}嘅供應商(最快先):" + ";".join(_offer_zh(offer) for offer in result.offers) + "。"
            if cheapest is not None:
                text += f"最平係 {cheapest.name}({unit_price_words(cheapest.unit_cost or 0.0)})。"
        text += f"而家各倉合共有 {result.available_units:,} 件可用。"
    else:
        head = f"{product.sku} {product.name_en}"
        if not result.offers:
            text = f"{head}: no supplier on file."
        else:
            text = f"Suppliers of {head} (quickest first): " + "; ".join(_offer_en(o) for o in result.offers) + "."
            if cheapest is not None:
                text += f" Cheapest: {cheapest.name} ({unit_price_words(cheapest.unit_cost or 0.0)})."
        text += f" {result.available_units:,} units available across all locations now."
    freshness = dated_freshness(result.data_as_of, zh)
    return f"{text} {freshness}".strip() if not zh else text + freshness
