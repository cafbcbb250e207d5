"""The plans across git history: git access, plans read at a revision, the comparison of two
versions, and one item's timeline.

May import: `yotplan.views`, `yotplan.rules`, `yotplan.plans`, `yotplan.errors`, `yotplan.problems`.
"""
