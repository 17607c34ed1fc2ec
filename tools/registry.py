"""The one tool registry: typed functions, their role gates, validation and error handling.

A tool is a plain function `(ctx: ToolContext, args: InputModel) -> ResultModel`, decorated with
`@tool(...)`. The deterministic understanding layer, the LLM agent and the HTTP API all call tools
through `ToolRegistry.call`, so validation, roles and error handling happen in one place (the audit
log is written by the bot around each question, from the `ToolOutcome`s returned here).

Two kinds of failure are kept apart: `ToolInputError` (the caller can fix it: an unknown SKU, with
the closest matches) and `ToolFault` (a dependency failed: the database is down). Neither carries a
traceback to the user; faults are logged.
"""

from __future__ import annotations

import importlib
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from core.config import Settings
from core.db import Database
from core.lang import Lang
from tools.weather import NoWeatherReader, WeatherSource, WeatherState

if TYPE_CHECKING:  # only for the annotations of the per-request fields (these modules import this one)
    from tools.catalog import Reference
    from tools.sourcing import Sourcer

log = logging.getLogger(__name__)


class Role(StrEnum):
    """Who is asking; see product.md, Roles."""

    sales = "sales"
    logistics = "logistics"
    manager = "manager"
    finance = "finance"
    admin = "admin"
    guest = "guest"


COST_ROLES = frozenset({Role.manager, Role.finance, Role.admin})
STAFF_ROLES = frozenset(Role) - {Role.guest}
ROUTE_WRITE_ROLES = frozenset({Role.logistics, Role.manager, Role.admin})


@dataclass
class ToolContext:
    """What a tool may use: the database, settings, the fixed clock, the weather reader and who is asking.

    The last four fields are filled by the tools during one request (never shared across requests).
    """

    db: Database
    settings: Settings
    now: datetime
    role: Role = Role.guest
    user: str | None = None
    lang: Lang = "en"
    # Where the question came from (cli, api, web, slack, telegram, whatsapp, eval); tools never branch on it,
    # the planner uses it to skip work nobody will see (a chart for a channel that shows no images).
    channel: str = "cli"
    # Where the Observatory's warnings come from (connectors/hko.py, injected by the entry point).
    weather: WeatherSource = field(default_factory=NoWeatherReader)
    # --- per request, filled by the tools: ---
    # The one database connection of a tool call (`tools.catalog.request_connection`).
    connection: Connection | None = field(default=None, repr=False)
    # The reference tables at the data version this request saw (`tools.catalog.reference_for`).
    reference: Reference | None = field(default=None, repr=False)
    # The warnings in force for this request, read once (`tools.sourcing.weather_for`); a caller may fix it.
    weather_now: WeatherState | None = field(default=None, repr=False)
    # The sourcing rules bound to this request (`tools.sourcing.sourcer_for`).
    sourcer: Sourcer | None = field(default=None, repr=False)

    @property
    def today(self) -> date:
        """Hong Kong local date of `now`."""
        return self.now.date()

    @property
    def can_see_cost(self) -> bool:
        """Unit cost, supplier prices and margins are for manager, finance and admin only."""
        return self.role in COST_ROLES


class ToolInputError(Exception):
    """Input the caller can fix. Carries a message in both languages and optional suggestions."""

    def __init__(self, message_en: str, message_zh: str, *, code: str = "bad_input",
                 suggestions: list[str] | None = None, field_name: str | None = None) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh
        self.code = code
        self.suggestions = suggestions or []
        self.field_name = field_name

    def message(self, lang: Lang) -> str:
        """The message in the reply language."""
        return self.message_zh if lang == "zh-HK" else self.message_en


class ToolFault(Exception):
    """A failure the user cannot fix (a dependency is down). The user sees a calm message; the log has the cause."""

    def __init__(self, message_en: str = "The data system is not reachable right now. Please try again in a minute.",
                 message_zh: str = "資料系統暫時連唔到,唔該遲啲再試。") -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh

    def message(self, lang: Lang) -> str:
        """The message in the reply language."""
        return self.message_zh if lang == "zh-HK" else self.message_en


class PermissionDenied(Exception):
    """The role may not run this tool (or see this data). `tool` is set when the whole tool is refused: the
    bot then says what that tool shows in its own words (its skill in `bot/skills/`)."""

    def __init__(self, what_en: str, what_zh: str, role: Role, *, tool: str | None = None) -> None:
        super().__init__(what_en)
        self.what_en = what_en
        self.what_zh = what_zh
        self.role = role
        self.tool = tool

    def message(self, lang: Lang) -> str:
        """A polite refusal that says what the role cannot see."""
        if lang == "zh-HK":
            return f"唔好意思,你嘅角色({self.role.value})冇權限睇{self.what_zh}。如有需要,請搵經理或財務同事。"
        return (f"Sorry, your role ({self.role.value}) cannot see {self.what_en}. "
                "Please ask a manager or someone in finance if you need it.")


class ToolResult(BaseModel):
    """Base of every tool result: when the underlying data was last updated."""

    data_as_of: datetime | None = None


@dataclass(frozen=True)
class ToolSpec:
    """A registered tool: name, function, typed input and result, and the roles that may call it."""

    name: str
    func: Callable[[ToolContext, Any], ToolResult]
    input_model: type[BaseModel]
    roles: frozenset[Role]
    description: str


@dataclass
class ToolOutcome:
    """What one call produced: the result or a typed error, and the timing."""

    name: str
    args: dict[str, Any]
    ok: bool
    result: ToolResult | None = None
    error: ToolInputError | ToolFault | PermissionDenied | None = None
    latency_ms: float = 0.0

    def error_message(self, lang: Lang) -> str | None:
        """The error in the reply language, or None on success."""
        return self.error.message(lang) if self.error is not None else None


_TOOL_ATTR = "__silobridge_tool__"


def tool(name: str, *, input_model: type[BaseModel],
         roles: Iterable[Role] = STAFF_ROLES) -> Callable[[Callable], Callable]:
    """Mark a function as a tool; `build_registry` collects marked functions from the tool modules."""

    def mark(func: Callable) -> Callable:
        spec = ToolSpec(name=name, func=func, input_model=input_model, roles=frozenset(roles),
                        description=(func.__doc__ or "").strip())
        setattr(func, _TOOL_ATTR, spec)
        return func

    return mark


class ToolRegistry:
    """The tools by name, and the one way to call them."""

    def __init__(self, specs: Iterable[ToolSpec] = ()) -> None:
        self._specs: dict[str, ToolSpec] = {}
        for spec in specs:
            self.add(spec)

    def add(self, spec: ToolSpec) -> None:
        """Register a tool; names are unique."""
        if spec.name in self._specs:
            raise ValueError(f"tool {spec.name!r} registered twice")
        self._specs[spec.name] = spec

    def __contains__(self, name: str) -> bool:
        return name in self._specs

    def get(self, name: str) -> ToolSpec:
        """The spec of a tool by name (KeyError if unknown)."""
        return self._specs[name]

    @property
    def names(self) -> list[str]:
        """Registered tool names."""
        return list(self._specs)

    def specs_for(self, role: Role) -> list[ToolSpec]:
        """The tools this role may call (what the LLM is offered)."""
        return [spec for spec in self._specs.values() if role in spec.roles]

    def call(self, name: str, args: dict[str, Any] | BaseModel, ctx: ToolContext) -> ToolOutcome:
        """Validate, check the role, run, and turn every failure into a typed outcome (never raises)."""
        raw_args = (args.model_dump(mode="json", exclude_unset=True, exclude_none=True) if isinstance(args, BaseModel)
                    else json.loads(json.dumps(dict(args), default=str)))
        started = time.perf_counter()
        outcome = ToolOutcome(name=name, args=raw_args, ok=False)
        try:
            spec = self._specs.get(name)
            if spec is None:
                raise ToolInputError(f"There is no tool called {name!r}.", f"冇一個叫 {name!r} 嘅工具。",
                                     code="unknown_tool", suggestions=self.names)
            if ctx.role not in spec.roles:
                raise PermissionDenied(name.replace("_", " "), name, ctx.role, tool=name)
            try:
                parsed = args if isinstance(args, spec.input_model) else spec.input_model.model_validate(
                    args if isinstance(args, dict) else raw_args)
            except ValidationError as exc:
                raise input_error(exc) from exc
            outcome.args = parsed.model_dump(mode="json", exclude_unset=True, exclude_none=True)
            outcome.result = spec.func(ctx, parsed)
            outcome.ok = True
        except (ToolInputError, PermissionDenied, ToolFault) as exc:
            outcome.error = exc
        except SQLAlchemyError as exc:
            log.error("tool %s: database error: %s", name, type(exc).__name__)
            outcome.error = ToolFault()
        except Exception:  # a bug or a dependency fault: log it, answer calmly
            log.exception("tool %s failed", name)
            outcome.error = ToolFault("Something went wrong while looking that up. The team has been notified.",
                                      "查資料時出咗問題,已通知負責同事,唔該遲啲再試。")
        outcome.latency_ms = (time.perf_counter() - started) * 1000
        return outcome


def input_error(exc: ValidationError) -> ToolInputError:
    """Arguments a tool's input model refuses, as the input error the caller can fix."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "input"
    return ToolInputError(f"{where}: {first['msg']}", f"{where}:輸入唔啱({first['msg']})",
                          code="invalid_argument", field_name=where)


class ToolModuleError(ImportError):
    """A module in the tool list that defines no tool (a module that fails to import raises its own error)."""


# The modules that define tools: an explicit list, each of which must import and define at least one tool.
TOOL_MODULES = [
    "tools.stock",
    "tools.eta",
    "tools.orders",
    "tools.promise",
    "tools.shipping",
    "tools.forecast",
    "tools.replenishment",
    "tools.routes",
    "tools.sales",
    "tools.sop",
    "tools.suppliers",
    "tools.delivery_days",
]


def build_registry(modules: Iterable[str] = TOOL_MODULES) -> ToolRegistry:
    """Collect every `@tool` function of the listed modules. Fails loudly: a module that does not import (a
    typo, a missing dependency) raises its import error, and a module that defines no tool raises
    `ToolModuleError`, so a tool can never silently go missing."""
    registry = ToolRegistry()
    for module_name in modules:
        module = importlib.import_module(module_name)
        specs = [spec for value in vars(module).values()
                 if isinstance(spec := getattr(value, _TOOL_ATTR, None), ToolSpec)]
        if not specs:
            raise ToolModuleError(f"{module_name} is in the tool list but defines no @tool function")
        for spec in specs:
            if spec.name not in registry or registry.get(spec.name) is not spec:
                registry.add(spec)  # the same name from two different functions: `add` refuses it
    return registry
