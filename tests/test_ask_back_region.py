"""A region named where one delivery area is needed gets a precise question back: that region's areas from the
loaded data (not an example from elsewhere), on a company other than the demo."""

from __future__ import annotations

from tests.test_other_company import ask, tea_company  # noqa: F401 - the module fixture


def test_a_region_as_the_destination_asks_which_of_its_areas(tea_company) -> None:  # noqa: F811
    reply = ask(tea_company, "TEA-GR-100 送新界幾時到?")
    assert reply.tool_calls == []
    assert "新界" in reply.answer and "沙田" in reply.answer and "灣仔" not in reply.answer
    english = ask(tea_company, "when can TEA-GR-100 reach Hong Kong Island?")
    assert "Wan Chai" in english.answer and "Sha Tin" not in english.answer
