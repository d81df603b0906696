"""Quote-first retrieval Q&A over a folder of documents."""

from .answer import Answer, Citation, Passage
from .errors import (
    AssistantError,
    DocumentsError,
    IndexBusyError,
    IndexMissingError,
    ModelError,
    QuestionError,
)
from .indexing import SyncReport
from .pipeline import Assistant
from .settings import Settings

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "Citation",
    "DocumentsError",
    "IndexBusyError",
    "IndexMissingError",
    "ModelError",
    "Passage",
    "QuestionError",
    "Settings",
    "SyncReport",
]
