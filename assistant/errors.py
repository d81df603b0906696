"""Errors the library raises; the CLI and the web chat turn them into one-line messages."""


class AssistantError(Exception):
    """Base class: the message says what went wrong and what to do next."""


class QuestionError(AssistantError):
    """The question cannot be asked as it is (empty, too long, control characters)."""


class DocumentsError(AssistantError):
    """The documents folder is missing, empty or holds nothing readable."""


class IndexMissingError(AssistantError):
    """No usable index exists yet."""


class VectorStoreError(AssistantError):
    """The Chroma server that holds the passage vectors cannot be reached or refused a request."""


class IndexBusyError(AssistantError):
    """Another process is updating the index."""


class ModelError(AssistantError):
    """The embedding model is missing or its weights are not the expected ones."""


class LLMError(AssistantError):
    """The language model server cannot be reached, refused the request or replied in another shape."""
