"""Request and response bodies of the API (pydantic), one module per area.

Import from the area's module (``fanzha.api.schemas.warning`` …); response models are
named ``…Public`` as in the FastAPI full-stack template, list pages ``…ListPublic``.
"""

from __future__ import annotations

__all__: list[str] = []
