"""Presentation: turning view models and problems into tables, json, csv, markdown and annotations.

Renderers return strings or rich renderables; they never print.

May import: `yotplan.history`, `yotplan.views`, `yotplan.rules`, `yotplan.plans`,
`yotplan.errors`, `yotplan.problems`.
"""
