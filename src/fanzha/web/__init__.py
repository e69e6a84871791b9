"""The officers' web UI (Simplified Chinese): static pages served by the API server.

No build step: HTML, ES modules and CSS under ``static/`` talk to ``/api/v1`` with the
login cookie; charts are SVG drawn in the browser.
"""

from __future__ import annotations

from fanzha.web._app import install_web

__all__ = [
    "install_web",
]
