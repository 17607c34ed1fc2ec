"""Compound messages: up to three requests in one message ("今日啲車點排?有冇單趕唔切?").

A message is cut at sentence ends (`?` `;` `。` `!`, a new line) and at joining words (同埋, 另外, 仲有, 順便,
"and also", "also", "plus", ", and"). A piece counts as a request of its own only when its words alone ask for
a tool (a cue of full weight: "仲有幾多", "運費幾錢", "ETA"), it names an order, or it asks for cost data (which
some roles are refused in one sentence). Anything else is a qualifier of the request before it and stays with
it: "送東涌,星期五前到唔到?" is one request, and so is "X 有冇貨?唔該!". A message that tries to override the
rules is never split (its parts are not requests to serve one by one).

The pieces are returned as text; the assistant understands each in order, the later ones with the context of
the earlier ones, so a part that names no product or area inherits it through the tools' carry-over.
"""

from __future__ import annotations

import re

from bot.understanding.cost import asks_for_cost
from bot.understanding.intents import CueTable, detect_flags, has_tool_cue
from bot.understanding.normalize import cue_pattern, lower_keep_length, normalize

#: The most requests one message is answered as; the rest stays with the last one.
MAX_REQUESTS = 3

_SENTENCE_END = re.compile(r"(?<=[?？;；。!！])\s*|\n+")
#: Words that join two requests. Each is a cut only where both sides are requests of their own, so
#: "仲有幾多貨?" (仲有 = still have) or "3 boxes plus 2" are never cut.
_JOINER = re.compile(cue_pattern(r"同埋|另外|仲有|順便|此外|還有|以及|\band also\b|\balso\b|\bplus\b|,\s*and\b"))
#: A joining word at the start of a piece carries no request: it is dropped before the piece is understood.
_LEADING_JOINER = re.compile(cue_pattern(r"^[\s,，]*(?:同埋|另外|順便|此外|以及|(?:and also|also|plus|and)\b)\s*[,，]?\s*"),
                             re.IGNORECASE)
#: An order named by its id is a request of its own ("PO/2026/00211 到咗未?").
_ORDER_WORD = re.compile(cue_pattern(r"到咗未|去咗邊|去到邊|送咗未|status|\bwhere is\b"))


def split_requests(text: str, tools: CueTable) -> list[str]:
    """The requests of one message in order (one element when it is a single request)."""
    normalized = normalize(text)
    key = lower_keep_length(normalized)
    flags = detect_flags(key)
    if flags.injection_suspected:
        return [text]
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(normalized):
        if sentence.strip():
            pieces.extend(_cut_at_joiners(sentence, tools))
    parts: list[str] = []
    has_request: list[bool] = []
    for piece in pieces:
        request = _is_request(piece, tools)
        if parts and (not request or not has_request[-1] or len(parts) >= MAX_REQUESTS):
            parts[-1] = f"{parts[-1]} {piece}".strip() if parts[-1][-1:].isascii() else parts[-1] + piece
            has_request[-1] = has_request[-1] or request
            continue
        parts.append(piece.strip())
        has_request.append(request)
    if len(parts) < 2 or not all(has_request):
        return [text]
    return [_LEADING_JOINER.sub("", part) or part for part in parts]


def _cut_at_joiners(sentence: str, tools: CueTable) -> list[str]:
    """A sentence cut at the joining words whose both sides are requests ("check stock of X, and ETA of Y")."""
    key = lower_keep_length(sentence)
    for match in _JOINER.finditer(key):
        left, right = sentence[:match.start()], sentence[match.start():]
        if _is_request(left, tools) and _is_request(_LEADING_JOINER.sub("", right), tools):
            return [left.strip(), *_cut_at_joiners(right, tools)]
    return [sentence]


def _is_request(piece: str, tools: CueTable) -> bool:
    """True when the piece asks for something by itself (see the module docstring)."""
    key = lower_keep_length(normalize(piece))
    if not key.strip():
        return False
    return has_tool_cue(key, tools) or asks_for_cost(key) or bool(_ORDER_WORD.search(key))
