"""Bubblescope: `python main.py [FILE.xlsx]` opens the window; `python main.py report|check|export|simulate|sensitivity|goal-seek ...` the CLI."""

from __future__ import annotations

import sys

CLI_COMMANDS = {"report", "check", "export", "simulate", "sensitivity", "goal-seek"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in CLI_COMMANDS | {"-h", "--help"}:
        from model.cli import run

        return run(args)
    from gui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
