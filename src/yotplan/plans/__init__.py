"""The plan format and reading it: models, strict YAML, loading plans folders (one way, with the
caller's settings), the cache, limits, validation messages and the JSON Schema.

May import: `yotplan.errors`, `yotplan.problems`, `yotplan.choices`. Nothing here knows about
rules, views, output formats or the command line, nor reads the environment.
"""
