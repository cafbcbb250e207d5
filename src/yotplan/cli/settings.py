"""This run's settings, read from the command line and the environment and passed down.

The core reads no environment variable: the command line decides how plans are read here
(`load_settings`) and hands it down as a `yotplan.plans.loader.LoadSettings`. The variables users
set keep working: `YOTPLAN_CACHE_DIR`, `YOTPLAN_NO_CACHE=1` (or `--no-cache`), and the platform's
own (`XDG_CACHE_HOME`, `XDG_STATE_HOME`, `LOCALAPPDATA`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from yotplan.plans.loader import LoadSettings


@dataclass
class RunOptions:
    """The root options of the command that runs (`yotplan --no-cache ...`), set by the app's
    callback on every invocation (tests run many invocations in one process)."""

    no_cache: bool = False
    traceback: bool = False


RUN = RunOptions()


def cache_folder(environ: Mapping[str, str] = os.environ) -> Path:
    """The folder the plan cache lives in (which may not exist yet): `$YOTPLAN_CACHE_DIR`, else
    the platform's cache folder."""
    explicit = environ.get("YOTPLAN_CACHE_DIR")
    if explicit:
        return Path(explicit).absolute()
    if sys.platform == "win32":
        return Path(environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "yotplan" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "yotplan"
    return Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "yotplan"


def cache_key_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Where this user's secret cache key is kept: outside every cache folder, and away from the
    config folder that people often keep in git (`$XDG_STATE_HOME/yotplan/cache-key`)."""
    if sys.platform == "win32":
        return Path(environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "yotplan" / "cache-key"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "yotplan" / "cache-key"
    return Path(environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "yotplan" / "cache-key"


def load_settings(environ: Mapping[str, str] = os.environ, *, no_cache: bool | None = None) -> LoadSettings:
    """How this run reads plans: with the cache in `cache_folder()`, unless `--no-cache` (this
    run's, when `no_cache` is None) or `YOTPLAN_NO_CACHE` turns it off, or there is no home folder."""
    from yotplan.plans.loader import NO_CACHE, LoadSettings

    off = RUN.no_cache if no_cache is None else no_cache
    if off or environ.get("YOTPLAN_NO_CACHE", "") not in ("", "0"):
        return NO_CACHE
    try:
        return LoadSettings(cache_folder(environ), cache_key_path(environ))
    except RuntimeError:  # no home folder
        return NO_CACHE
