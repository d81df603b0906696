"""Quote-first retrieval Q&A over a folder of documents."""

import os

# torch does the heavy math on every core; NumPy's OpenBLAS threads, woken by our small matrix products,
# spin-wait afterwards and starve it (a warm answer went from 14 to 45 ms on 2 cores). Set before NumPy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .answer import Answer, Citation, Passage
from .errors import (
    AssistantError,
    DocumentsError,
    IndexBusyError,
    IndexMissingError,
    LLMError,
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
    "LLMError",
    "ModelError",
    "Passage",
    "QuestionError",
    "Settings",
    "SyncReport",
]
