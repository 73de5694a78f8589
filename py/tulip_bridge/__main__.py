"""`python -m tulip_bridge`: command-line entry point."""

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0].startswith("conformance-"):
        from .conformance_cli import COMMANDS, main as conformance_main
        if argv[0] in COMMANDS:
            return conformance_main(argv)
    print("usage: python -m tulip_bridge <command>  (conformance-run, conformance-serve,"
          " conformance-bless, conformance-check)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
