"""``toolkit review``: a local web workspace for reviewing and approving translations.

- :mod:`.workspace`: the library (catalog state, queues, live checks); no web code;
- :mod:`.checking`: the check registry run per entry, msgfmt on one entry;
- :mod:`.saving`: a save (revision, checks, in-place edit, atomic write, state update);
- :mod:`.detail`: one entry in full, with the in-context preview of the unsaved text;
- :mod:`.po_edit`: editing one entry of a PO file, every other byte kept;
- :mod:`.app`: the Starlette application (pages, JSON API, security) that serves it.

Starlette and uvicorn are imported only by :mod:`.app` and :func:`toolkit.review.app.serve`.
"""

from __future__ import annotations

from .model import STATES, ReviewError
from .workspace import ReviewWorkspace

__all__ = ["STATES", "ReviewError", "ReviewWorkspace"]
