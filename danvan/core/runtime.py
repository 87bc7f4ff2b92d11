"""Start-up of a long-running process (a gunicorn web worker through `config/wsgi.py`).

Python's cyclic garbage collector walks every tracked object in a full collection. A web
worker holds a few hundred thousand of them from start-up (Django, the apps, every view
module), so each full collection that a large request's allocations trigger cost the national
dashboard 30–45 ms (docs/performance.md). `gc.freeze()` moves what start-up created into a
permanent generation that collections skip; only what requests create is walked."""

import gc
import os


def freeze_startup_objects() -> int:
    """Import every view (through the URLconf), collect once, and freeze what is alive.
    Off with DANVAN_GC_FREEZE=0. Returns how many objects were frozen."""
    if os.environ.get("DANVAN_GC_FREEZE", "1") == "0":
        return 0
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - loading the URLconf imports the views
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
