"""Every layer knows the same tools, and the recipe "How to add a tool" (docs/architecture.md) stays true.

The layers: the understanding layer's cue table, the planner and the renderers (both through the skills in
`bot/skills/`), the tool registry, and the tool definitions the LLM agent is offered.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest
from pydantic import BaseModel

import bot.skills
from bot.agent.tool_bridge import openai_tool_definition
from bot.skills import CUE_TABLE, SKILLS, SKILLS_BY_NAME, skill_for_input
from bot.understanding import CueTable
from tools.registry import TOOL_MODULES, Role, ToolContext, ToolRegistry, ToolResult, ToolSpec, build_registry

ROOT = Path(__file__).resolve().parents[1]
# Files of bot/skills/ and bot/render/ that are shared machinery, not one tool's.
SKILL_MACHINERY = {"__init__", "skill"}
RENDER_MACHINERY = {"__init__", "words"}


def layer_mismatches(layers: Mapping[str, Iterable[str]]) -> list[str]:
    """Each tool that some layers know and others do not, as `tool: in a, b; missing from c`."""
    known = {name: set(tools) for name, tools in layers.items()}
    every_tool = set().union(*known.values())
    problems = []
    for tool in sorted(every_tool):
        present = [layer for layer, tools in known.items() if tool in tools]
        absent = [layer for layer, tools in known.items() if tool not in tools]
        if absent:
            problems.append(f"{tool}: in {', '.join(present)}; missing from {', '.join(absent)}")
    return problems


def tool_layers(registry: ToolRegistry) -> dict[str, set[str]]:
    """The tool names each layer knows."""
    return {
        "understanding": set(CUE_TABLE.tool_names),
        "planner": set(SKILLS_BY_NAME),  # what `bot.planner.plan_call` dispatches on
        "renderers": {skill.name for skill in SKILLS if skill.render.__module__.startswith("bot.render.")},
        "registry": set(registry.names),
        "llm_tools": {openai_tool_definition(spec)["function"]["name"] for spec in registry.specs_for(Role.admin)},
    }


def _module_of(spec: ToolSpec) -> str:
    """`stock` for the tool defined in tools/stock.py."""
    return spec.func.__module__.rsplit(".", 1)[-1]


def test_every_layer_knows_the_same_tools() -> None:
    assert layer_mismatches(tool_layers(build_registry())) == []


def test_a_stray_tool_in_one_layer_is_reported() -> None:
    class StrayInput(BaseModel):
        """Nothing."""

    def stray(ctx: ToolContext, args: StrayInput) -> ToolResult:
        """A tool no other layer knows."""
        return ToolResult()

    registry = build_registry()
    registry.add(ToolSpec(name="stray_tool", func=stray, input_model=StrayInput, roles=frozenset(Role),
                          description="A tool no other layer knows."))
    problems = layer_mismatches(tool_layers(registry))
    assert problems == ["stray_tool: in registry, llm_tools; missing from understanding, planner, renderers"]


def test_the_understanding_rules_refuse_a_table_without_a_tool_they_weigh() -> None:
    with pytest.raises(ValueError, match="order_status"):
        CueTable([skill for skill in SKILLS if skill.name != "order_status"])


def test_each_skill_takes_its_tools_input_and_renders_from_its_renderer() -> None:
    registry = build_registry()
    for skill in SKILLS:
        spec = registry.get(skill.name)
        assert skill.input_model is spec.input_model, skill.name
        assert skill.render.__module__ == f"bot.render.{_module_of(spec)}", skill.name
        if skill.attachments is not None:
            assert skill.attachments.__module__ == skill.render.__module__, skill.name
        assert skill.refused_en and skill.refused_zh, skill.name
        assert skill_for_input(skill.input_model.model_construct()) is skill
    assert len({skill.input_model for skill in SKILLS}) == len(SKILLS)


def test_every_tool_module_has_a_skill_file_and_a_renderer_named_after_it() -> None:
    """The recipe: tools/<name>.py, its line in TOOL_MODULES, bot/skills/<name>.py, bot/render/<name>.py."""
    registry = build_registry()
    tool_modules = {module.rsplit(".", 1)[-1] for module in TOOL_MODULES}
    assert {_module_of(registry.get(name)) for name in registry.names} == tool_modules
    skill_files = {info.name for info in pkgutil.iter_modules(bot.skills.__path__)} - SKILL_MACHINERY
    render_files = {path.stem for path in (ROOT / "bot" / "render").glob("*.py")} - RENDER_MACHINERY
    assert skill_files == tool_modules
    assert render_files == tool_modules
    for name in registry.names:
        module = importlib.import_module(f"bot.skills.{_module_of(registry.get(name))}")
        assert module.SKILL is SKILLS_BY_NAME[name], name  # defined in its own file and listed once


def test_the_recipe_in_the_architecture_doc_names_the_files_this_test_checks() -> None:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    recipe = doc.split("## How to add a tool", 1)[1].split("\n## ", 1)[0]
    for path in ("tools/<name>.py", "tools/registry.py", "bot/skills/<name>.py", "bot/skills/__init__.py",
                 "bot/render/<name>.py", "tests/test_tool_specs.py"):
        assert path in recipe, path
    named = set(re.findall(r"`((?:tools|bot|tests|docs)/[\w/<>.]+)`", recipe))
    for path in named:
        if "<name>" not in path:
            assert (ROOT / path).exists(), path
