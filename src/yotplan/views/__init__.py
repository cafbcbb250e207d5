"""The queries every output renders from: status, overdue, upcoming, owners' workload and
finding one item. Plain values, computed for a given `today`; nothing here prints.

May import: `yotplan.rules`, `yotplan.plans`, `yotplan.errors`, `yotplan.problems`.
"""
