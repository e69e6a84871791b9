"""fanzha (反诈): an operations platform for a city police anti-fraud center."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
