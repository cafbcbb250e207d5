"""Judging a loaded plan set: the check rules (each a plain function returning problems),
running them over plans folders, and red/amber/green.

May import: `yotplan.plans`, `yotplan.errors`, `yotplan.problems`.
"""
