"""Render a `sales_summary` result as a small table in Cantonese or English (plus an optional chart)."""

from __future__ import annotations

from pathlib import Path

from bot.messages import Attachment, Lang
from bot.render.words import date_range_en, date_range_zh, dated_freshness
from tools.forecasting.regions import REGION_NAMES
from tools.registry import PermissionDenied, Role
from tools.sales import SalesFilters, SalesRow, SalesSummaryResult

_MEASURE_ZH = {"revenue": "營業額", "units": "銷量", "margin": "毛利", "delivery_charges": "運費"}
_MEASURE_EN = {"revenue": "revenue", "units": "units sold", "margin": "margin", "delivery_charges": "delivery charges"}
_GROUP_ZH = {"region": "區", "area": "地區", "product": "產品", "category": "類別", "channel": "渠道", "zone": "運費區"}
_CHANNEL_ZH = {"online": "網上", "store": "門市", "b2b": "批發 (B2B)", "phone": "電話"}
_CHANNEL_EN = {"online": "online", "store": "store", "b2b": "B2B", "phone": "phone"}
_GROUP_EN = {"region": "region", "area": "area", "product": "product", "category": "category", "channel": "channel",
             "zone": "shipping zone"}


def render(result: SalesSummaryResult, lang: Lang = "zh-HK") -> str:
    """A headline (the top group), one line per group with the previous period and the change, and the total."""
    zh = lang == "zh-HK"
    lines: list[str] = []
    if result.margin_refused:
        role = Role(result.role) if result.role in Role.__members__ else Role.guest
        lines.append(PermissionDenied("margins", "毛利", role).message("zh-HK" if zh else "en"))
        lines.append("以下係營業額:" if zh else "Here is revenue instead:")
    period = result.period.label_zh if zh else result.period.label_en
    before = date_range_zh(result.previous.start, result.previous.end) if zh \
        else date_range_en(result.previous.start, result.previous.end)
    measure = _MEASURE_ZH[result.measure] if zh else _MEASURE_EN[result.measure]
    group = _GROUP_ZH[result.group_by] if zh else _GROUP_EN[result.group_by]
    if not result.rows or result.total.value == 0 and result.total.previous_value == 0:
        lines.append(f"{period}冇相關紀錄。" if zh else f"No records for {period}.")
        lines.append(dated_freshness(result.data_as_of, zh))
        return "\n".join(line for line in lines if line)
    top = result.rows[0]
    if result.filters.any:
        # The figure asked for ("上個月九龍區賣咗幾多盒細飯盒?") first: the total for the filters named.
        total = result.total
        scope = filter_words(result.filters, zh)
        amount = _amount(total.value, result.measure, zh)
        previous = _amount(total.previous_value, result.measure, zh)
        if zh:
            lines.append(f"{period}({scope}){measure}合共 {amount}(之前 {before}:{previous},"
                         f"{_change(total.change_pct, zh)})。按{group}分:")
        else:
            lines.append(f"{period} ({scope}): {measure} {amount} in total (before, {before}: {previous}, "
                         f"{_change(total.change_pct, zh)}). By {group}:")
        for index, row in enumerate(result.rows, start=1):
            lines.append(f"{index}. {_row(row, result, zh)}")
        hidden = result.groups_total - len(result.rows)
        if hidden > 0:
            lines.append(f"(仲有 {hidden} 個{group}冇列出)" if zh else f"({hidden} more not shown)")
        lines.append(dated_freshness(result.data_as_of, zh))
        return "\n".join(line for line in lines if line)
    if zh:
        lines.append(f"{period}{measure}最高嘅{group}係{top.name_zh}:{_amount(top.value, result.measure, zh)}。"
                     f"對比之前({before}):")
    else:
        lines.append(f"{period}: {top.name_en} has the highest {measure} by {group}, "
                     f"{_amount(top.value, result.measure, zh)}. Against {before}:")
    for index, row in enumerate(result.rows, start=1):
        lines.append(f"{index}. {_row(row, result, zh)}")
    hidden = result.groups_total - len(result.rows)
    if hidden > 0:
        lines.append(f"(仲有 {hidden} 個{group}冇列出)" if zh else f"({hidden} more not shown)")
    lines.append(_row(result.total, result, zh))
    lines.append(dated_freshness(result.data_as_of, zh))
    return "\n".join(line for line in lines if line)


def filter_words(filters: SalesFilters, zh: bool) -> str:
    """The filters as words: 九龍區、細飯盒 (HK.CAT.0301)、網上 / Kowloon, Small food box (HK.CAT.0301), online."""
    parts: list[str] = []
    if filters.region:
        en, zh_name = REGION_NAMES.get(filters.region, (filters.region, filters.region))
        parts.append(zh_name if zh else en)
    if filters.area:
        parts.append(filters.area.name_zh if zh else filters.area.name_en)
    if filters.product:
        name = filters.product.name_zh if zh else filters.product.name_en
        parts.append(f"{name} ({filters.product.sku})")
    if filters.category:
        parts.append(filters.category)
    if filters.channel:
        parts.append(_CHANNEL_ZH[filters.channel] if zh else _CHANNEL_EN[filters.channel])
    return ("、" if zh else ", ").join(parts)


def attachments(result: SalesSummaryResult) -> list[Attachment]:
    """The comparison chart, when one was drawn."""
    if not result.chart_path or not Path(result.chart_path).exists():
        return []
    return [Attachment(path=Path(result.chart_path), title="Sales")]


def _amount(value: float, measure: str, zh: bool) -> str:
    if measure == "units":
        return f"{value:,.0f} 件" if zh else f"{value:,.0f} units"
    return f"${value:,.0f}"


def _row(row: SalesRow, result: SalesSummaryResult, zh: bool) -> str:
    name = row.name_zh if zh else row.name_en
    value = _amount(row.value, result.measure, zh)
    previous = _amount(row.previous_value, result.measure, zh)
    change = _change(row.change_pct, zh)
    extras: list[str] = []
    if result.measure == "delivery_charges" and row.deliveries is not None:
        plural = f"{row.deliveries} deliveries" if row.deliveries != 1 else "1 delivery"
        extras.append(f"{row.deliveries} 次送貨" if zh else plural)
    if row.margin is not None and result.measure != "margin":
        extras.append(f"毛利 ${row.margin:,.0f}" if zh else f"margin ${row.margin:,.0f}")
    if row.share_pct is not None and row.key != "total":
        extras.append(f"佔 {row.share_pct:.0f}%" if zh else f"{row.share_pct:.0f}% of total")
    extra = ("," + ",".join(extras)) if zh and extras else ("; " + ", ".join(extras) if extras else "")
    if row.previous_value == 0:
        return f"{name} {value}(之前冇{extra})" if zh else f"{name} {value} (none before{extra})"
    if zh:
        return f"{name} {value}(之前 {previous},{change}{extra})"
    return f"{name} {value} (before {previous}, {change}{extra})"


def _change(change_pct: float | None, zh: bool) -> str:
    """+12%, -3%, "持平" / "flat" under half a percent, "之前冇" / "new" with nothing before."""
    if change_pct is None:
        return "之前冇" if zh else "new"
    if abs(change_pct) < 0.5:
        return "持平" if zh else "flat"
    return f"{change_pct:+.0f}%"
