"""`yotplan` and `python -m yotplan`: the entry point, kept light so that an interrupt while the
command line is being read (Ctrl-C in the first tenth of a second) ends with one line too."""

import sys


def main() -> None:
    try:
        from yotplan.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("yotplan: interrupted\n")
        raise SystemExit(130) from None
    run()


if __name__ == "__main__":
    main()
