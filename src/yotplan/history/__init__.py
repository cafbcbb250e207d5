"""The plans across git history: git access, plans read at a revision, the comparison of two
versions, one item's timeline, and how often each action's calendar event changed.

May import: `yotplan.views`, `yotplan.rules`, `yotplan.plans`, `yotplan.errors`, `yotplan.problems`.
"""
