"""Cantonese homophone typos name the product or place they sound like, on a company other than the demo;
a word that merely sounds like a name, or sounds like two names, is not taken for one."""

from __future__ import annotations

import pytest

from bot.understanding.sounds import SoundIndex, syllables
from tests.test_other_company import ask, tea_company  # noqa: F401 - the module fixture


def test_syllables_drop_tones() -> None:
    assert syllables("柴灣") == syllables("柴彎") == ("caai", "waan")
    assert syllables("ABC") is None


@pytest.mark.parametrize(("question", "tool", "args"), [
    ("綠查仲有幾多貨?", "stock_lookup", {"product": "TEA-GR-100"}),       # 查 for 茶
    ("TEA-GR-100 送彎仔幾時到?", "delivery_eta", {"area": "WC"}),          # 彎 for 灣
    ("送梅禍 10 件綠茶運費幾錢?", "shipping_cost", {"area": "MW"}),         # 禍 for 窩
])
def test_a_homophone_names_what_it_sounds_like(tea_company, question: str, tool: str,  # noqa: F811
                                               args: dict[str, str]) -> None:
    reply = ask(tea_company, question)
    assert reply.tool_calls and reply.tool_calls[0].name == tool, reply.answer
    for key, value in args.items():
        assert reply.tool_calls[0].args[key] == value


def test_two_names_that_sound_alike_are_not_guessed() -> None:
    index = SoundIndex()
    index.add("柴灣", "area", "CW")
    index.add("柴環", "area", "CX")  # another place with the same syllables
    assert index.find("送柴彎", [(0, "送柴彎")], frozenset({"area"})) is None


def test_a_two_character_word_must_share_a_character_with_the_name() -> None:
    index = SoundIndex()
    index.add("大埔", "area", "TP")
    assert index.find("大步", [(0, "大步")], frozenset({"area"})) is not None   # one character as written
    assert index.find("戴布", [(0, "戴布")], frozenset({"area"})) is None       # only the sound: not a place


def test_variants_sharing_a_name_are_all_offered() -> None:
    index = SoundIndex()
    index.add("漂白水", "product", "B-5L")
    index.add("漂白水", "product", "B-1L")
    found = index.find("漂白睡有冇", [(0, "漂白睡有冇")], frozenset({"product"}))
    assert found is not None and found.codes == ("B-1L", "B-5L") and (found.start, found.end) == (0, 3)
