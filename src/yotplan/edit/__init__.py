"""One edit of a plans folder from lock to write: the session, the change each editing
command makes, round-trip YAML, the safe write, the lock, and the `init` scaffold.

May import: `yotplan.views`, `yotplan.rules`, `yotplan.plans`, `yotplan.errors`, `yotplan.problems`.
"""
