"""Spreadsheets in and out: reading an action plan kept as a workbook or CSV (title block, header
row, merged and repeated recommendations, UK dates, RAG by colour, hidden and spacer rows) into
plan files, and writing the Board pack as an .xlsx workbook from the same views as `status`.

openpyxl is imported only by the modules here, and they only by the commands that need them.

May import: `yotplan.edit`, `yotplan.views`, `yotplan.rules`, `yotplan.plans`, `yotplan.errors`, `yotplan.problems`.
"""
