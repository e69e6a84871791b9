"""The officers' web UI (Simplified Chinese): static pages served by the API server.

No build step: HTML, ES modules and CSS under ``static/`` talk to ``/api/v1`` with the
login cookie; charts are SVG drawn in the browser.
"""

from __future__ import annotations

from fanzha.web._app import PAGE_ROUTES, STATIC_DIR, install_web, ui_meta

__all__ = ["PAGE_ROUTES", "STATIC_DIR", "install_web", "ui_meta"]
