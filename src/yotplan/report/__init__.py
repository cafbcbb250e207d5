"""Board papers: the report (HTML and Markdown, from Jinja2 templates), its charts, and the
iCalendar feed of due dates. Each returns text or bytes; nothing here prints.

May import: `yotplan.render`, `yotplan.history`, `yotplan.views`, `yotplan.rules`,
`yotplan.plans`, `yotplan.errors`, `yotplan.problems`.
"""
