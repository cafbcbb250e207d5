"""The update cycle: forms and messages that ask owners for their progress (`request-updates`),
the record of who was asked (requests.yaml), and returned forms applied as edits (`apply-updates`).

Owners in partner agencies never run yotplan: they get an .xlsx form by email and send it back.
openpyxl, `email` and `smtplib` are imported only here, and these modules only by the commands
that need them.

May import: `yotplan.spreadsheet`, `yotplan.edit`, `yotplan.views`, `yotplan.rules`, `yotplan.plans`,
`yotplan.errors`, `yotplan.problems`.
"""
