"""Watching the documents folder: re-sync the index a moment after files change, without a restart."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import AssistantError
from .pipeline import Assistant

log = logging.getLogger(__name__)


def outside(index_dir: Path) -> Callable[[Any, str], bool]:
    """watchfiles' own filter (no .git, no editor swap files), and not the index's files either, when the index is
    kept inside the documents folder: each sync writes there, and would set off the next."""
    from watchfiles import DefaultFilter

    usual, index = DefaultFilter(), index_dir.resolve()

    def wanted(change: Any, path: str) -> bool:
        return usual(change, path) and not Path(path).resolve().is_relative_to(index)

    return wanted


class IndexWatcher:
    """A daemon thread that syncs after each burst of changes and remembers what the last sync did."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.last_event = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="index-watcher", daemon=True)

    def start(self) -> IndexWatcher:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        from watchfiles import watch

        settings = self.assistant.settings
        # Any change triggers a sync: a folder moved in or out arrives as one event for the folder, and a sync
        # that finds nothing new writes nothing.
        for _changes in watch(
            settings.docs_dir,
            watch_filter=outside(settings.index_dir),
            stop_event=self._stop,
            debounce=800,
            step=100,
            recursive=True,
        ):
            try:
                self.sync_now()
            except Exception as err:  # the watcher must outlive a failed sync (disk full, locked cache...)
                log.exception("index sync after a change failed")
                self.last_event = f"{datetime.now():%H:%M:%S}: the index could not be updated: {err}"

    def sync_now(self) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        try:
            report = self.assistant.index()
        except AssistantError as err:
            self.last_event = f"{stamp}: documents changed, but the index could not be updated: {err}"
            log.warning(self.last_event)
            return
        if report.changed:
            self.last_event = f"{stamp}: index updated after a change in the documents: {report.summary()}"
            log.info(self.last_event)
