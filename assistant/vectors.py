"""Where a generation's passage vectors live: a Chroma folder inside the generation (the default), or a collection
on a Chroma server (``ASSISTANT_CHROMA_URL``) when one machine is not enough.

Either way every generation has a collection of its own. It is written before the generation is published and
deleted when the generation is pruned, so the readers of an old generation never see a new one's vectors.
On a server, a collection is named ``<index key>.<index id>.<generation>``: the index id tells this index's
collections from those of other indexes on the same server, so leftovers of a crashed run can be found.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import VectorStoreError

CHROMA_BATCH = 1000
EMBEDDED_FOLDER = "chroma"
DEFAULT_PORTS = {"http": 8000, "https": 443}


@dataclass(frozen=True)
class VectorPlace:
    """A generation's collection, and the server that holds it (None: the generation's own folder)."""

    collection: str
    server: str | None = None

    @classmethod
    def of_manifest(cls, manifest: dict[str, Any]) -> VectorPlace:
        recorded = manifest.get("vectors")
        if recorded is None:  # built before server mode: embedded, named by the index key
            return cls(str(manifest["index_key"]))
        return cls(str(recorded["collection"]), recorded["server"])

    @classmethod
    def for_generation(cls, server: str | None, index_key: str, index_id: str, generation: str) -> VectorPlace:
        if server is None:
            return cls(index_key)
        return cls(f"{index_key}.{index_id}.{generation}", server)

    def made_by(self, index_id: str) -> bool:
        """Whether the index of this id wrote the collection (on a server; see IndexPaths.index_id)."""
        return self.server is not None and f".{index_id}." in self.collection

    def to_manifest(self) -> dict[str, str | None]:
        return {"collection": self.collection, "server": self.server}

    def describe(self) -> str:
        return where_vectors_live(self.server)


@dataclass(frozen=True)
class ServerToken:
    """The token the configured Chroma server wants (behind an auth proxy, or a hosted Chroma). It is sent to that
    server only: an index whose vectors sit on another server never sees it."""

    server: str
    token: str = field(repr=False)

    def headers_for(self, server: str) -> dict[str, str] | None:
        if server != self.server:
            return None
        # The two headers Chroma's own clients send a token in; a proxy checks one of them.
        return {"Authorization": f"Bearer {self.token}", "X-Chroma-Token": self.token}


def where_vectors_live(server: str | None) -> str:
    return f"on the Chroma server at {server}" if server else "in the index folder"


def check_server_url(url: str) -> str:
    """The URL as given, if it names a server ('http://host:port'); a ValueError saying what is wrong otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"'{url}' is not a Chroma server address: give it as http://HOST:PORT")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ValueError(f"'{url}' has a port that is not a number") from None
    return url


def unreachable(server: str, error: BaseException, credentials: ServerToken | None = None) -> VectorStoreError:
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    headers = credentials.headers_for(server) if credentials else None
    status = refusal_status(server, headers)
    if status is not None:
        wanted = "refused the token in ASSISTANT_CHROMA_TOKEN" if headers else "wants a token"
        return VectorStoreError(
            f"the Chroma server at {server} {wanted} (HTTP {status}): "
            "set ASSISTANT_CHROMA_TOKEN to the token it expects"
        )
    return VectorStoreError(
        f"cannot use the Chroma server at {server} ({reason}): start it (e.g. `chroma run --path chroma-data "
        "--port 8000`), or unset ASSISTANT_CHROMA_URL to keep the vectors in the index folder"
    )


def refusal_status(server: str, headers: dict[str, str] | None) -> int | None:
    """401 or 403 when the server is up but refuses these credentials (Chroma's client reports it only as a
    ValueError holding the response body); None otherwise."""
    import httpx

    try:
        status = httpx.get(f"{server}/api/v2/auth/identity", headers=headers, timeout=2).status_code
    except httpx.HTTPError:
        return None
    return status if status in (401, 403) else None


# Chroma shares one "system" between the clients of a path (or a server) and creates and stops it without a
# lock, so clients opened or closed by two threads at once (a sync publishing while a question opens the new
# generation) can get a stopped or missing system. Every open and close goes through this lock.
_CLIENTS = threading.Lock()


def open_client(server: str | None, generation: Path, credentials: ServerToken | None = None) -> Any:
    """A Chroma client for a generation's vectors: in its own folder, or on the server."""
    if server is not None:
        return open_server(server, credentials)
    import chromadb

    with _CLIENTS:
        return chromadb.PersistentClient(
            path=str(generation / EMBEDDED_FOLDER), settings=chromadb.Settings(anonymized_telemetry=False)
        )


def open_server(server: str, credentials: ServerToken | None = None) -> Any:
    import chromadb

    parts = urlsplit(server)
    headers = credentials.headers_for(server) if credentials else None
    with _CLIENTS:
        try:
            return chromadb.HttpClient(
                host=parts.hostname or "localhost",
                port=parts.port or DEFAULT_PORTS[parts.scheme],
                ssl=parts.scheme == "https",
                headers=headers,
                settings=chromadb.Settings(anonymized_telemetry=False),
            )
        except Exception as error:  # chromadb raises ValueError, httpx errors or others for a server it can't use
            raise unreachable(server, error, credentials) from None


def close_client(client: Any) -> None:
    with _CLIENTS:
        client.close()


def collection_of(client: Any, name: str) -> Any:
    # Cosine space set explicitly: MiniLM vectors are compared by angle (Chroma's default is L2).
    return client.get_or_create_collection(name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None)


def copy_collection(source: Any, target: Any, leave_out: set[str], progress: Callable[[int], None]) -> None:
    """Every vector of source, with its text and metadata, into target, except the ids left out."""
    total = source.count()
    for offset in range(0, total, CHROMA_BATCH):
        page = source.get(limit=CHROMA_BATCH, offset=offset, include=["embeddings", "documents", "metadatas"])
        keep = [i for i, chunk_id in enumerate(page["ids"]) if chunk_id not in leave_out]
        if keep:
            target.add(
                ids=[page["ids"][i] for i in keep],
                embeddings=[page["embeddings"][i] for i in keep],
                documents=[page["documents"][i] for i in keep],
                metadatas=[page["metadatas"][i] for i in keep],
            )
        progress(min(offset + CHROMA_BATCH, total))


def drop_collections(server: str, names: Iterable[str], credentials: ServerToken | None = None) -> None:
    """Delete these collections from the server. A server that is down keeps them; a later sync with that server
    configured finds them by the index id."""
    names = list(names)
    if not names:
        return
    try:
        client = open_server(server, credentials)
    except VectorStoreError:
        return
    try:
        for name in names:
            try:
                client.delete_collection(name)
            except Exception:  # already gone, or the server went away: nothing to undo either way
                continue
    finally:
        close_client(client)


def collections_of_index(server: str, index_id: str, credentials: ServerToken | None = None) -> dict[str, str]:
    """This index's collections on the server, by the generation each belongs to."""
    client = open_server(server, credentials)
    try:
        names = [getattr(c, "name", c) for c in client.list_collections()]
    except Exception as error:
        raise unreachable(server, error, credentials) from None
    finally:
        close_client(client)
    marker = f".{index_id}."
    return {name.rsplit(".", 1)[1]: name for name in names if marker in name}
