"""Render a `check_promise` result: 得 / 趕唔切, the earliest delivery, why, and what would keep the promise."""

from __future__ import annotations

from bot.messages import Lang
from bot.render.words import alternatives_sentence, day_words, freshness, plan_sentence, reasons_sentence
from tools.promise import CheckPromiseResult


def render(result: CheckPromiseResult, lang: Lang = "zh-HK") -> str:
    """得 / 趕唔切, the earliest delivery, why, and what would keep the promise."""
    zh = lang == "zh-HK"
    today = result.asked_at.date()
    product = result.product
    deadline = day_words(result.deadline.date(), today, zh)
    what = (f"{result.qty} 件 {product.sku} {product.name_zh} 送{result.area.name_zh}" if zh else
            f"{result.qty} x {product.sku} {product.name_en} to {result.area.name_en}")
    if result.can_keep:
        parts = [f"得,{what}趕得切{deadline}。" if zh else f"Yes: {what} can arrive by {deadline}.",
                 plan_sentence(result, today, zh)]
    else:
        parts = [f"趕唔切:{what}要{deadline}到,但係" if zh else f"At risk: {what} is promised by {deadline}.",
                 plan_sentence(result, today, zh), reasons_sentence(result, today, zh),
                 alternatives_sentence(result.alternatives, today, zh)]
    parts.append(freshness(result.data_as_of, today, zh))
    return ("" if zh else " ").join(part for part in parts if part)
