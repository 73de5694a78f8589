"""`python -m tulip_bridge`: command-line entry point."""

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    print("usage: python -m tulip_bridge <command>", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
