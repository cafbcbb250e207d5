"""Hard limits on what yotplan reads, so that no input can make it hang or eat memory.

Kept apart from `yotplan.plans.strict_yaml` so the loader can check them without importing PyYAML:
a run served entirely from the cache never imports it.
"""

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Plan files larger than this are refused before parsing (a plan of 20,000 actions is ~8 MB)."""

MAX_DEPTH = 100
"""Plans nest six levels deep; deeper YAML is refused (with its line) long before Python's recursion limit."""

MAX_NUMBER_CHARACTERS = 100
"""Longer numbers are refused with a line: no plan value needs them, and Python refuses to read
integers of more than 4,300 digits."""

MAX_PROBLEMS_PER_FILE = 100
"""After this many problems in one file, one line says how many more there are: a file with
200,000 unknown keys gives 101 lines, in a fraction of a second, not 200,000 lines in 11 s."""
