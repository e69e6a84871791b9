"""`python -m fanzha.cli`: the same as the `fanzha` command."""

from __future__ import annotations

from fanzha.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    main()
