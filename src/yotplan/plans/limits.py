"""Hard limits on what yotplan reads, so that no input can make it hang or eat memory.

Kept apart from `yotplan.plans.strict_yaml` so the loader can check them without importing PyYAML:
a run served entirely from the cache never imports it.
"""

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Plan files larger than this are refused before parsing (a plan of 20,000 actions is ~8 MB)."""

MAX_DEPTH = 100
"""Plans nest six levels deep; deeper YAML is refused (with its line) long before Python's recursion limit."""
