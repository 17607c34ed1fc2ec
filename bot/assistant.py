"""The Assistant: one message in, one reply out, whatever the channel.

identity (role) -> understanding (rules) -> brain choice -> tool call through the registry ->
rendering -> audit. The LLM agent, when configured, takes what the rules are not sure of, and the
rules answer whenever the LLM fails.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError

from bot import audit
from bot.identity import Identity, UnknownRole, resolve_identity
from bot.messages import FAULT_INTENT, Attachment, IncomingMessage, Outcome, Reply, Source, ToolCallRecord
from bot.planner import (
    PlannedCall,
    RefusedArguments,
    ask_back_question,
    ask_back_text,
    cost_limit_sentence,
    data_examples,
    plan_call,
    refusal_for_cost,
)
from bot.skills import CUE_TABLE, SKILLS_BY_NAME, attachments_for, error_message, render_outcome
from bot.understanding import (
    ContextStore,
    ConversationContext,
    Gazetteer,
    Understanding,
    detect_language,
    gazetteer_for,
    normalize,
    understand,
)
from bot.understanding.compound import split_requests
from bot.understanding.context import HISTORY_TURNS, session_secret_key
from bot.understanding.intents import without_cues
from core.clock import now as clock_now
from core.config import Settings
from core.db import Database
from tools.registry import (
    COST_ROLES,
    Lang,
    PermissionDenied,
    Role,
    ToolContext,
    ToolOutcome,
    ToolRegistry,
    build_registry,
)
from tools.sop import SearchSopResult
from tools.weather import NoWeatherReader, WeatherSource

if TYPE_CHECKING:  # the agent's module imports the LLM client library: only when an LLM is configured
    from bot.agent import AgentAnswer

log = logging.getLogger(__name__)

GREETING = {
    "zh-HK": "你好!我係 silobridge,可以幫你查庫存、送貨時間、運費、訂單、預測、補貨、路線同公司政策。",
    "en": "Hi! I'm silobridge. I can check stock, delivery dates, shipping costs, orders, forecasts, "
          "replenishment, routes and company policies.",
}
BOX_NOTE = {
    "zh-HK": "\n(註:資料冇每箱件數,{qty} 箱當 {qty} 件計;如果一箱有幾件,請話我總件數。)",
    "en": "\n(Note: the data has no carton sizes, so {qty} boxes were counted as {qty} units; "
          "tell me the total units if a box holds more.)",
}
NO_DATA = {
    "zh-HK": "未有公司資料:請管理員先用 `silobridge load 資料夾` 匯入資料。",
    "en": "No company data is loaded yet: an admin needs to run `silobridge load FOLDER` first.",
}
DB_DOWN = {
    "zh-HK": "唔好意思,公司資料系統暫時連唔到,已經通知負責同事。唔該遲啲再試。",
    "en": "Sorry, the company data system can't be reached right now; the team has been alerted. "
          "Please try again shortly.",
}
FAULT = {
    "zh-HK": "唔好意思,系統暫時出咗問題,已經記錄低。唔該遲啲再試。",
    "en": "Sorry, something went wrong on our side and it has been logged. Please try again shortly.",
}


class Agent(Protocol):
    """The LLM brain as the assistant uses it (`bot.agent.LLMAgent`)."""

    def warm_up(self) -> None:
        """Get ready for the first question (build the client) without asking anything."""

    def answer(self, question: str, ctx: ToolContext, history: Sequence[tuple[str, str]] = ()) -> AgentAnswer:
        """Answer with the tools `ctx`'s role may call; raises `AgentUnavailable` when it cannot."""


@dataclass
class _Turn:
    """What answering one message produced (before it becomes a Reply)."""

    answer: str
    lang: Lang
    intent: str
    brain: str = "rules"
    outcomes: list[ToolOutcome] = field(default_factory=list)
    outcome: Outcome = "answered"
    # Calls the role may not make, refused before they ran: in the audit log, not among the reply's tool calls.
    refused_calls: list[ToolOutcome] = field(default_factory=list)


class Assistant:
    """Answers messages from any channel. Thread-safe; keeps no conversation state in memory."""

    def __init__(self, settings: Settings, db: Database, registry: ToolRegistry | None = None,
                 agent: Agent | None = None, *, weather: WeatherSource | None = None,
                 fixed_now: str | None = None) -> None:
        self.settings = settings
        self.db = db
        # Injected by the entry point (connectors/server.py, bot/cli.py): the Observatory reader, and the clock
        # fixed by --now / SILOBRIDGE_NOW for a message that does not carry its own `now`.
        self.weather: WeatherSource = weather if weather is not None else NoWeatherReader()
        self.fixed_now = fixed_now
        self.registry = registry or build_registry()
        self.agent = agent if agent is not None else self._build_agent()
        self.contexts = ContextStore(db, settings.understanding.session_ttl_min,
                                     secret_key=session_secret_key(settings))

    @classmethod
    def from_settings(cls, settings: Settings, *, weather: WeatherSource | None = None,
                      fixed_now: str | None = None) -> Assistant:
        """An Assistant on the configured database (tables created if missing)."""
        db = Database.from_settings(settings)
        db.create_all()
        return cls(settings, db, weather=weather, fixed_now=fixed_now)

    def warm_up(self) -> None:
        """Load what the first question would otherwise wait for: gazetteer, SOP index and model, LLM client."""
        gazetteer_for(self.db, self.settings.understanding.fuzzy_product_cutoff)
        ctx = ToolContext(db=self.db, settings=self.settings, now=clock_now(self.fixed_now), role=Role.guest,
                          lang="en", weather=self.weather)
        if "search_sop" in self.registry:
            self.registry.call("search_sop", {"question": "returns"}, ctx)
        if self.db.data_version():
            from core.analytics import Analytics

            Analytics.for_database(self.db)  # the DuckDB copy the sales summary queries
            self._warm_tools(ctx)
        if self.agent is not None:
            try:
                self.agent.warm_up()
            except Exception as exc:  # the rules still answer without the LLM
                log.warning("LLM warm-up failed: %s", type(exc).__name__)

    def _warm_tools(self, ctx: ToolContext) -> None:
        """Build the per-data-version tables the first stock or delivery question needs (reference tables, travel
        times, the ask-back examples) by answering one of each, unaudited, for an example product and area."""
        examples = data_examples(self.db)
        staff = replace(ctx, role=Role.logistics)
        for tool, args in (("stock_lookup", {"product": examples.sku}),
                           ("delivery_eta", {"product": examples.sku, "area": examples.area_code})):
            if tool in self.registry and examples.area_code:
                self.registry.call(tool, args, staff)  # never raises; a failure only leaves it cold

    def _build_agent(self) -> Agent | None:
        if self.settings.brain == "rules" or not self.settings.llm_configured:
            return None
        from bot.agent import LLMAgent

        return LLMAgent(self.settings, self.registry)

    # -- the one entry point ------------------------------------------------------------------------

    def handle(self, message: IncomingMessage) -> Reply:
        """Answer one message. Raises only `UnknownRole` for a bad explicit role (a caller error)."""
        from bot.signin import signin_reply

        signin = signin_reply(self.db, self.settings, message)  # "web login": a one-time link, not a question
        if signin is not None:
            return signin
        started = time.perf_counter()
        now = clock_now(message.now or self.fixed_now)
        session_id = message.session or f"{message.channel}:{message.user or 'anonymous'}"
        identity = Identity(role=Role.guest, handle=message.user)
        try:
            identity = resolve_identity(self.db, handle=message.user, claimed_role=message.role,
                                        channel=message.channel)
            turn = self._answer(message.text, identity, now, session_id, message.channel)
        except UnknownRole:
            raise
        except SQLAlchemyError as exc:  # the database is down or unreachable: a calm answer and a log line
            log.error("database unavailable while answering (channel=%s): %s", message.channel, type(exc).__name__)
            lang = detect_language(normalize(message.text))
            turn = _Turn(answer=DB_DOWN[lang], lang=lang, intent=FAULT_INTENT, outcome="fault")
        except Exception:  # never a traceback to the user; the log has it
            log.exception("answering failed (channel=%s)", message.channel)
            lang = detect_language(normalize(message.text))
            turn = _Turn(answer=FAULT[lang], lang=lang, intent=FAULT_INTENT, outcome="fault")
        reply = self._reply(turn)
        reply.latency_ms = (time.perf_counter() - started) * 1000
        audit.record(self.db, at=now, user=message.user, role=identity.role.value, channel=message.channel,
                     question=message.text, intent=turn.intent,
                     tool_calls=[{"name": o.name, "args": o.args, "ok": o.ok} for o in turn.outcomes]
                     + [{"name": o.name, "args": o.args, "ok": False, "refused": True} for o in turn.refused_calls],
                     outcome=turn.outcome, latency_ms=reply.latency_ms, brain=turn.brain)
        return reply

    # -- answering ----------------------------------------------------------------------------------

    def _answer(self, text: str, identity: Identity, now: datetime, session_id: str, channel: str) -> _Turn:
        gazetteer = gazetteer_for(self.db, self.settings.understanding.fuzzy_product_cutoff)
        context = self.contexts.load(session_id, now)
        history = list(context.history) if context else []
        parts = split_requests(text, CUE_TABLE)
        if len(parts) > 1:  # "今日啲車點排?有冇單趕唔切?": each request answered in order, in one reply
            lang = detect_language(normalize(text), default="zh-HK" if context and context.lang == "zh-HK" else "en")
            turn, saved = self._answer_parts(parts, lang, identity, now, gazetteer, context, channel, history)
        else:
            understood = understand(text, now, gazetteer, context, tools=CUE_TABLE)
            turn, asked = self._answer_one(understood, understood.lang, identity, now, gazetteer, context,
                                           channel, history)
            saved = asked.to_context(context)
        saved.history = [*history, (text[:500], turn.answer[:1000])][-HISTORY_TURNS:]
        try:
            self.contexts.save(session_id, saved, now)
        except SQLAlchemyError as exc:  # the answer still goes out; only the follow-up context is lost
            log.error("conversation state not saved (channel=%s): %s", channel, type(exc).__name__)
        return turn

    def _answer_one(self, understood: Understanding, lang: Lang, identity: Identity, now: datetime,
                    gazetteer: Gazetteer, context: ConversationContext | None, channel: str,
                    history: list[tuple[str, str]], *, compound: bool = False) -> tuple[_Turn, Understanding]:
        """Answer one request; returns the turn and what was answered (the request without a refused cost part).

        In a compound message (`compound`), a request refused whole is one sentence, not a full apology."""
        ctx = ToolContext(db=self.db, settings=self.settings, now=now, role=identity.role, user=identity.handle,
                          lang=lang, channel=channel, weather=self.weather)
        asked = self._allowed_part(understood, identity, now, gazetteer, context)
        if compound and asked.flags.asks_for_cost and ctx.role not in COST_ROLES:
            return _Turn(answer=cost_limit_sentence(ctx.role, lang), lang=lang, intent=asked.intent,
                         outcome="refused"), asked
        turn = self._choose_and_run(asked, ctx, asked.text, history)
        if asked is not understood:  # the cost part was cut off: say so in one sentence, never the figure
            turn.answer += "\n" + cost_limit_sentence(ctx.role, lang)
            turn.outcome = "partial_refusal"
        return turn, asked

    def _answer_parts(self, parts: list[str], lang: Lang, identity: Identity, now: datetime, gazetteer: Gazetteer,
                      context: ConversationContext | None, channel: str,
                      history: list[tuple[str, str]]) -> tuple[_Turn, ConversationContext]:
        """Answer the requests of a compound message in order, each later one with the context of the earlier
        ones (a part that names no product inherits it); one reply, the tool calls in order."""
        turns: list[_Turn] = []
        chained = context
        for part in parts:
            understood = understand(part, now, gazetteer, chained, tools=CUE_TABLE)
            turn, asked = self._answer_one(understood, lang, identity, now, gazetteer, chained, channel, history,
                                           compound=True)
            turns.append(turn)
            chained = asked.to_context(chained)
        first = turns[0]
        combined = _Turn(answer="\n\n".join(turn.answer for turn in turns), lang=lang, intent=first.intent,
                         brain="llm" if any(turn.brain == "llm" for turn in turns) else "rules",
                         outcomes=[outcome for turn in turns for outcome in turn.outcomes],
                         refused_calls=[call for turn in turns for call in turn.refused_calls],
                         outcome=_combined_outcome([turn.outcome for turn in turns]))
        return combined, chained if chained is not None else ConversationContext(lang=lang)

    @staticmethod
    def _allowed_part(understood: Understanding, identity: Identity, now: datetime, gazetteer: Gazetteer,
                      context: ConversationContext | None) -> Understanding:
        """What to answer: the message itself, or, when it mixes a cost request the role may not see with
        another request ("X 仲有幾多貨?同埋入貨價幾多?"), that other request understood on its own."""
        flags = understood.flags
        if not flags.asks_for_cost or identity.role in COST_ROLES or not flags.cost_free_text:
            return understood
        allowed = understand(flags.cost_free_text, now, gazetteer, context, tools=CUE_TABLE)
        return understood if allowed.flags.asks_for_cost else allowed

    def _choose_and_run(self, understood: Understanding, ctx: ToolContext, text: str,
                        history: list[tuple[str, str]]) -> _Turn:
        lang = ctx.lang
        flags = understood.flags
        if flags.asks_for_cost and ctx.role not in COST_ROLES:
            # Claims in the text ("I am the manager") never change the role; refuse politely, show nothing.
            return _Turn(answer=refusal_for_cost(ctx.role, lang), lang=lang, intent=understood.intent,
                         outcome="refused")
        if understood.intent == "greeting":
            return _Turn(answer=GREETING[lang] + "\n" + ask_back_text(lang, self.db, unclear=False), lang=lang,
                         intent="greeting")
        if understood.intent == "help":
            return _Turn(answer=ask_back_text(lang, self.db, unclear=False), lang=lang, intent="help")

        confident = (understood.intent != "ask_back"
                     and understood.confidence >= self.settings.understanding.confidence_threshold)
        use_llm = self.agent is not None and (self.settings.brain == "llm" or not confident)
        if use_llm:
            turn = self._run_agent(text, ctx, understood, history)
            if turn is not None:
                return turn
        if understood.intent == "ask_back" or (not confident and understood.intent not in self.registry):
            # Not a data question we recognise: the SOPs may still answer it ("what does the notice say ...").
            turn = None if understood.flags.small_talk else self._try_sop(understood, ctx)
            if turn is not None:
                return turn
            return _Turn(answer=ask_back_text(lang, self.db), lang=lang, intent="ask_back",
                         outcome="asked_back")
        if self._weak_tool_question(understood, ctx):
            # "有個 C 級客想月結,得唔得?": a tool's cue but nothing the tool needs; a well-matching SOP answers it.
            turn = self._route_to_sop(understood, ctx)
            if turn is not None:
                return turn
        if understood.intent != "search_sop" and self.db.data_version() == 0:
            return _Turn(answer=NO_DATA[lang], lang=lang, intent=understood.intent, outcome="no_data")
        planned = plan_call(understood, ctx)
        if isinstance(planned, PlannedCall):
            refused = self._refused_by_role(planned.tool, ctx, planned.args)
            if refused is not None:
                return refused
            return self._run_rules(self.registry.call(planned.tool, planned.args, ctx), ctx, understood)
        refused = self._refused_by_role(understood.intent, ctx)
        if refused is not None:  # no question back about a product the role may not look up anyway
            return refused
        if isinstance(planned, RefusedArguments):
            bad_input = ToolOutcome(name=planned.tool, args={}, ok=False, error=planned.error)
            return self._run_rules(bad_input, ctx, understood)
        # something is missing: ask for it
        return _Turn(answer=ask_back_question(planned, lang, self.db), lang=lang, intent=understood.intent,
                     outcome="asked_back")

    def _try_sop(self, understood: Understanding, ctx: ToolContext, min_relevance: float | None = None,
                 ) -> _Turn | None:
        """Answer from the SOPs when their best passage reaches `min_relevance` (default
        `kb.fallback_min_relevance`); None when it doesn't."""
        if "search_sop" not in self.registry or len(understood.normalized.strip()) < 4:
            return None
        floor = self.settings.kb.fallback_min_relevance if min_relevance is None else min_relevance
        outcome = self.registry.call("search_sop", {"question": understood.normalized}, ctx)
        passages = getattr(outcome.result, "passages", None) or []
        if not outcome.ok or not passages or passages[0].relevance < floor:
            return None
        return self._run_rules(outcome, ctx, understood, intent="search_sop")

    def _route_to_sop(self, understood: Understanding, ctx: ToolContext) -> _Turn | None:
        """The SOP answer to a weak tool question, when the SOPs match what it is about: the words left once the
        tool's own cue words are removed ("有個 c 級客 月結") find a relevant passage (`kb.route_min_relevance`),
        or the whole question matches as well as an unclear question must (`kb.fallback_min_relevance`). Nothing
        left ("有冇?") is never routed."""
        topic = without_cues(understood.normalized.lower(), understood.intent, CUE_TABLE)
        if len(topic) < 2 or "search_sop" not in self.registry:
            return None
        probe = self.registry.call("search_sop", {"question": topic}, ctx)
        passages = getattr(probe.result, "passages", None) or []
        if probe.ok and passages and passages[0].relevance >= self.settings.kb.route_min_relevance:
            return self._try_sop(understood, ctx, min_relevance=0.0)
        return self._try_sop(understood, ctx)

    def _weak_tool_question(self, understood: Understanding, ctx: ToolContext) -> bool:
        """True when the intent is a data tool but the message gives nothing that tool needs and names nothing to
        look up (no product, place, order, location, quantity): the tool could only ask back, so a policy
        question phrased without a policy word ("啲貨爛咗點跟進?", "How many days does a customer have to send
        stuff back?") is tried on the SOPs first."""
        skill = SKILLS_BY_NAME.get(understood.intent)
        if skill is None or skill.name == "search_sop" or not skill.needs or understood.is_followup:
            return False
        if understood.flags.small_talk or understood.flags.at_risk_orders or understood.flags.asks_for_cost:
            return False
        named = understood.entities
        if named.products or named.unknown_product_codes or named.areas or named.order_ids or named.locations \
                or named.quantities or named.vehicles:
            return False
        return all(need.missing(understood) for need in skill.needs)

    def _refused_by_role(self, tool: str, ctx: ToolContext, args: BaseModel | None = None) -> _Turn | None:
        """A polite refusal when the role may not call the tool (a guest asking for stock or an order), decided here
        from the tool's spec: the tool never runs, so the reply lists no tool call; the audit line records the
        refused call (name, arguments, refused). The sentence is the one the registry gives."""
        if tool not in self.registry or ctx.role in self.registry.get(tool).roles:
            return None
        said = args.model_dump(mode="json", exclude_unset=True, exclude_none=True) if args is not None else {}
        denied = ToolOutcome(name=tool, args=said, ok=False,
                             error=PermissionDenied(tool.replace("_", " "), tool, ctx.role, tool=tool))
        return _Turn(answer=error_message(denied, ctx.lang), lang=ctx.lang, intent=tool, refused_calls=[denied],
                     outcome="refused")

    def _run_rules(self, outcome: ToolOutcome, ctx: ToolContext, understood: Understanding,
                   intent: str | None = None) -> _Turn:
        """The answer from one tool outcome of the rules brain (SOP answers written by the LLM when configured)."""
        intent = intent or understood.intent
        status: Outcome = "answered" if outcome.ok else _failure_kind(outcome)
        if outcome.ok and outcome.name == "search_sop" and self.agent is not None:
            synthesised = self._synthesise_sop(outcome, ctx)
            if synthesised is not None:
                return _Turn(answer=synthesised, lang=ctx.lang, intent=intent, brain="llm",
                             outcomes=[outcome], outcome=status)
        answer = render_outcome(outcome, ctx.lang)
        if outcome.ok and understood.slots.qty_unit == "box" and understood.slots.qty:
            # The import format has no carton size: say how boxes were counted rather than guess silently.
            answer += BOX_NOTE[ctx.lang].format(qty=understood.slots.qty)
        return _Turn(answer=answer, lang=ctx.lang, intent=intent, outcomes=[outcome], outcome=status)

    def _synthesise_sop(self, outcome: ToolOutcome, ctx: ToolContext) -> str | None:
        """With an LLM, an answer written only from the retrieved passages, with citations; None to fall back."""
        from bot.agent import AgentUnavailable
        from bot.agent_synth import synthesise_sop_answer

        result = outcome.result
        if not isinstance(result, SearchSopResult) or not result.found:
            return None
        try:
            return synthesise_sop_answer(self.settings, result.question, result.passages, ctx.lang).text
        except AgentUnavailable as exc:
            log.warning("SOP synthesis unavailable (%s); extractive answer instead", exc)
            return None

    def _run_agent(self, text: str, ctx: ToolContext, understood: Understanding,
                   history: list[tuple[str, str]]) -> _Turn | None:
        from bot.agent import AgentUnavailable

        if self.agent is None:
            return None
        try:
            answered = self.agent.answer(text, ctx, history)
        except AgentUnavailable as exc:
            log.warning("LLM unavailable (%s); the rules answer instead", exc)
            return None
        intent = answered.primary_tool or understood.intent
        return _Turn(answer=answered.text, lang=ctx.lang, intent=intent, brain="llm",
                     outcomes=list(answered.outcomes))

    # -- reply --------------------------------------------------------------------------------------

    def _reply(self, turn: _Turn) -> Reply:
        sources: list[Source] = []
        attachments: list[Attachment] = []
        for outcome in turn.outcomes:
            result = outcome.result
            if result is None:
                continue
            cited = getattr(result, "sources", None) or getattr(result, "passages", None) or []
            for passage in cited:  # the sections the answer cites
                source = Source(doc=passage.doc, section=passage.section)
                if source not in sources:
                    sources.append(source)
            attachments.extend(attachments_for(outcome))
        return Reply(answer=turn.answer, lang=turn.lang, intent=turn.intent, brain=turn.brain,
                     tool_calls=[ToolCallRecord(name=o.name, args=o.args, ok=o.ok) for o in turn.outcomes],
                     sources=sources, attachments=attachments)


def _combined_outcome(outcomes: list[Outcome]) -> Outcome:
    """The outcome of a compound message: refused in part when some requests were answered and some refused."""
    if len(set(outcomes)) == 1:
        return outcomes[0]
    if any(o in ("refused", "partial_refusal") for o in outcomes) and any(o != "refused" for o in outcomes):
        return "partial_refusal"
    return "answered" if "answered" in outcomes else outcomes[0]


def _failure_kind(outcome: ToolOutcome) -> Outcome:
    from tools.registry import PermissionDenied, ToolFault

    if isinstance(outcome.error, PermissionDenied):
        return "refused"
    if isinstance(outcome.error, ToolFault):
        return "fault"
    return "input_error"


__all__ = ["Assistant", "Role"]
