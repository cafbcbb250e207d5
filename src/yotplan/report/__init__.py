"""Board papers: the Board report and, over several services, the regional report (HTML and
Markdown, from Jinja2 templates), their charts, and the iCalendar feed of due dates. Each
returns text or bytes; nothing here prints.

May import: `yotplan.render`, `yotplan.history`, `yotplan.views`, `yotplan.rules`,
`yotplan.plans`, `yotplan.errors`, `yotplan.problems`.
"""
