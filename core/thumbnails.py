"""Oscar's thumbnailer (sorl-thumbnail) with the result remembered in the process.

sorl looks every thumbnail up in its key-value store (a cache read, and a database read on a
miss) each time a page shows it: twenty reads on a product list page. A thumbnail's name is
derived from its source file's name and the options, and an uploaded image never changes under
its name (a new upload is a new file), so the answer for the same source and options stays right;
it is kept for ``TTL`` seconds (so a deleted thumbnail is regenerated soon after) and at most
``SIZE`` entries per process."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from oscar.core.thumbnails import SorlThumbnail

TTL = 600
SIZE = 4096


class MemoisedSorlThumbnail(SorlThumbnail):
    _lock = threading.Lock()
    _memo: OrderedDict = OrderedDict()

    def generate_thumbnail(self, source, **opts):
        name = source if isinstance(source, str) else getattr(source, "name", None)
        if not name or not isinstance(name, str):
            return super().generate_thumbnail(source, **opts)
        key = (getattr(getattr(source, "storage", None), "base_location", ""), name, tuple(sorted(opts.items())))
        now = time.monotonic()
        with self._lock:
            hit = self._memo.get(key)
            if hit is not None and hit[0] > now:
                self._memo.move_to_end(key)
                return hit[1]
        thumbnail = super().generate_thumbnail(source, **dict(opts))
        with self._lock:
            self._memo[key] = (now + TTL, thumbnail)
            self._memo.move_to_end(key)
            while len(self._memo) > SIZE:
                self._memo.popitem(last=False)
        return thumbnail

    def delete_thumbnails(self, source):
        super().delete_thumbnails(source)
        name = source if isinstance(source, str) else getattr(source, "name", None)
        with self._lock:
            for key in [k for k in self._memo if k[1] == name]:
                del self._memo[key]
