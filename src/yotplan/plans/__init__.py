"""The plan format and reading it: models, strict YAML, loading a folder, the cache, limits,
validation messages and the JSON Schema.

May import: `yotplan.errors`, `yotplan.problems`. Nothing here knows about rules, views,
output formats or the command line.
"""
