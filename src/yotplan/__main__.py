"""`yotplan` and `python -m yotplan`: the entry point, kept light so that an interrupt while the
command line is being read (Ctrl-C in the first tenth of a second) ends with one line too."""

import sys


def _utf8_when_redirected() -> None:
    """On Windows, output redirected to a file or a pipe is written in the ANSI code page
    (cp1252), which has no "→", "↑" or box lines: a table or a report would stop with an
    encoding error. Redirected output is UTF-8 there too (the console itself already takes any
    character); a character a stream still cannot take is replaced, never a traceback."""
    if sys.platform != "win32":
        return
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            if stream.isatty():
                reconfigure(errors="replace")
            else:
                reconfigure(encoding="utf-8", errors="replace")
        except (OSError, ValueError):
            pass


def main() -> None:
    _utf8_when_redirected()
    try:
        from yotplan.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("yotplan: interrupted\n")
        raise SystemExit(130) from None
    run()


if __name__ == "__main__":
    main()
