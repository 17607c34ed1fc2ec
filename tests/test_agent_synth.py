"""SOP answers synthesised by the LLM from passages only, through the real client against the loopback fake."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from bot.agent import AgentUnavailable
from bot.agent_synth import passages_message, synthesise_sop_answer
from core.config import LLMConfig, Settings
from tests.fakes.openai_server import FakeOpenAIServer, error_reply, text_reply


class Passage(BaseModel):
    doc: str
    section: str
    text: str


RETURNS = Passage(doc="returns-policy.md", section="退貨政策 > 退貨期限",
                  text="客人可於收貨後 7 日內退貨,貨品須未開封。")
TYPHOON = Passage(doc="typhoon-and-rainstorm.md", section="颱風 > 八號風球",
                  text="八號或以上風球生效期間暫停送貨;除波後 2 小時恢復。")


@pytest.fixture
def fake_llm() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def llm_settings(tmp_path: Path, fake_llm: FakeOpenAIServer) -> Settings:
    return Settings(home=tmp_path, env={"OPENAI_BASE_URL": fake_llm.base_url},
                    llm=LLMConfig(model="fake-gpt", timeout_s=3.0, max_retries=0))


def test_answer_cites_the_passages_it_used(llm_settings, fake_llm) -> None:
    fake_llm.script(text_reply("收貨後 7 日內可以退貨,但要未開封 [1]。"))

    answer = synthesise_sop_answer(llm_settings, "退貨政策係點?", [RETURNS, TYPHOON], "zh-HK")

    assert answer.text == "收貨後 7 日內可以退貨,但要未開封 (returns-policy.md § 退貨政策 > 退貨期限)。"
    assert [(s.doc, s.section) for s in answer.sources] == [("returns-policy.md", "退貨政策 > 退貨期限")]
    sent = fake_llm.requests[0].messages
    assert "ONLY" in sent[0]["content"] and "Cantonese" in sent[0]["content"]
    assert "[1] returns-policy.md § 退貨政策 > 退貨期限" in sent[1]["content"]
    assert "[2] typhoon-and-rainstorm.md" in sent[1]["content"]


def test_sources_follow_the_order_of_first_citation(llm_settings, fake_llm) -> None:
    fake_llm.script(text_reply("Deliveries stop under signal 8 [2]. Returns within 7 days [1]. See [2]."))

    answer = synthesise_sop_answer(llm_settings, "typhoon and returns?", [RETURNS, TYPHOON], "en")

    assert [s.doc for s in answer.sources] == ["typhoon-and-rainstorm.md", "returns-policy.md"]


@pytest.mark.parametrize(("reply", "reason"), [
    ("收貨後 7 日內可以退貨。", "cites no passage"),
    ("收貨後 7 日內可以退貨 [3]。", "not given"),
    ("收貨後 14 日內可以退貨 [1]。", "ungrounded number"),
    ("<think>7</think>", "empty answer"),
])
def test_unusable_answers_are_refused(llm_settings, fake_llm, reply: str, reason: str) -> None:
    fake_llm.script(text_reply(reply))

    with pytest.raises(AgentUnavailable, match=reason):
        synthesise_sop_answer(llm_settings, "退貨政策係點?", [RETURNS], "zh-HK")


def test_no_passages_means_no_call(llm_settings, fake_llm) -> None:
    with pytest.raises(AgentUnavailable, match="no passages"):
        synthesise_sop_answer(llm_settings, "退貨政策係點?", [], "zh-HK")
    assert fake_llm.requests == []


def test_server_failure_is_unavailable(llm_settings, fake_llm) -> None:
    fake_llm.script(error_reply(502))

    with pytest.raises(AgentUnavailable, match="InternalServerError 502"):
        synthesise_sop_answer(llm_settings, "退貨政策係點?", [RETURNS], "en")


def test_long_passages_are_cut() -> None:
    long_passage = Passage(doc="a.md", section="A", text="字" * 5000)
    assert len(passages_message("q", [long_passage])) < 1600
