"""Rendering of tool results as short answers in Cantonese (Traditional) or English.

One module per tool, named like the tool's module in `tools/`, each with `render(result, lang) -> str` (and
`attachments(result)` where the tool draws a chart); the words they share — days, dates, clock times, money,
freshness and a delivery plan's reasons — are in `words.py`. Each tool's skill (`bot/skills/`) names its
renderer; numbers, dates and names come verbatim from the result.
"""
