"""The grounding guard: figures in an LLM answer must come from tool results, tool errors or the question."""

from __future__ import annotations

import pytest

from bot.agent import grounded_numbers_ok, ungrounded_figures
from bot.agent.tool_bridge import MAX_TOOL_MESSAGE_CHARS, tool_message_content
from tools.registry import ToolFault, ToolInputError, ToolOutcome, ToolResult


def _outcome(result: ToolResult) -> ToolOutcome:
    return ToolOutcome(name="stock_lookup", args={"product": "WB-BL-500"}, ok=True, result=result)


class _Charge(ToolResult):
    charge: float
    free_over: int
    share: float
    eta: str


CHARGE = _outcome(_Charge(charge=1234.5, free_over=2000, share=0.8, eta="2026-11-27"))


@pytest.mark.parametrize("text", [
    "運費 $1,234.50,滿 $2,000 免運費。",      # thousands separators and a trailing zero
    "Charge HK$1234.5; free over 2000.",
    "About 80% of it; arrives 27/11.",        # a share as a percentage, a date's parts
    "Arrives 2026-11-27 (Friday).",
    "運費 1,235 蚊",                            # rounded to the dollar
    "1. 運費 $1,234.5\n2. 滿 2000 免運",        # list markers are not figures
    "送 50 件 to 東涌",                          # from the question
    "今日 25/11 10:30 查過",                     # today's date and time
    "兩千蚊以上免運費",                           # a Chinese numeral that matches
])
def test_grounded_answers_pass(text: str) -> None:
    assert grounded_numbers_ok(text, [CHARGE], "送 50 件去東涌運費幾錢?", ["2026-11-25 10:30:00"])


@pytest.mark.parametrize(("text", "bad"), [
    ("運費 $1,300", "1,300"),
    ("Charge 1234.6", "1234.6"),
    ("About 75% of it", "75"),
    ("三件", "三"),
    ("Arrives 28/11", "28"),
    ("運費 １２３", "123"),  # full-width digits are still figures
])
def test_ungrounded_answers_are_caught(text: str, bad: str) -> None:
    assert not grounded_numbers_ok(text, [CHARGE], "送 50 件去東涌運費幾錢?")
    assert bad in ungrounded_figures(text, ["送 50 件去東涌運費幾錢?"], [CHARGE])


def test_the_models_own_arguments_are_not_sources() -> None:
    failed = ToolOutcome(name="stock_lookup", args={"product": "WB-BL-500", "qty": 9999}, ok=False,
                         error=ToolFault())
    assert not grounded_numbers_ok("We have 9999 units.", [failed], "stock of WB-BL-500?")


def test_a_very_long_result_is_cut_for_the_model() -> None:
    long_answer = _Charge(charge=1, free_over=2, share=0.5, eta="倉 " * 20000)
    content = tool_message_content(_outcome(long_answer))
    assert len(content) < MAX_TOOL_MESSAGE_CHARS + 100 and content.endswith("too long to show in full]")


def test_error_messages_and_suggestions_count_as_sources() -> None:
    failed = ToolOutcome(name="stock_lookup", args={"product": "WB-XX"}, ok=False,
                         error=ToolInputError("No product 'WB-XX'.", "搵唔到產品。", suggestions=["WB-BL-750"]))
    assert grounded_numbers_ok("Did you mean WB-BL-750?", [failed], "WB-XX?")
    assert not grounded_numbers_ok("Did you mean WB-BL-900?", [failed], "WB-XX?")
