"""Settings: environment variables, typos refused, and the index key."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant import Settings


def test_index_dir_comes_from_the_environment(tmp_path: Path) -> None:
    assert Settings().index_dir == tmp_path / "env-index"  # set by the autouse env_setup fixture


def test_environment_variables_set_fields(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASSISTANT_DOCS_DIR", str(tmp_path / "docs"))
    monkeypatch.setenv("ASSISTANT_CHUNK_MAX_CHARS", "450")
    monkeypatch.setenv("ASSISTANT_TOP_K", "7")

    settings = Settings()

    assert (settings.docs_dir, settings.chunk_max_chars, settings.top_k) == (tmp_path / "docs", 450, 7)


def test_arguments_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_TOP_K", "7")

    assert Settings(top_k=3).top_k == 3


def test_a_misspelt_setting_is_an_error() -> None:
    with pytest.raises(ValidationError, match="chunk_size"):
        Settings(chunk_size=500)


def test_an_invalid_environment_value_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_TOP_K", "many")

    with pytest.raises(ValidationError, match="top_k"):
        Settings()


@pytest.mark.parametrize(
    "change", [{"chunk_max_chars": 500}, {"chunk_overlap_sentences": 2}, {"model_name": "other-model"}]
)
def test_index_key_changes_with_what_shapes_the_vectors(change: dict) -> None:
    assert Settings(**change).index_key() != Settings().index_key()


@pytest.mark.parametrize("change", [{"top_k": 9}, {"docs_dir": Path("elsewhere")}, {"abstain_below": 0.9}])
def test_index_key_ignores_what_does_not(change: dict) -> None:
    assert Settings(**change).index_key() == Settings().index_key()


def test_index_key_is_a_safe_folder_name() -> None:
    key = Settings(model_name="Org/Model v2", chunk_max_chars=700, chunk_overlap_sentences=1).index_key()

    assert key.startswith("org-model-v2-c700-o1-")
    assert all(ch.isalnum() or ch == "-" for ch in key)


def test_a_server_address_that_is_not_one_is_refused() -> None:
    for wrong in ("localhost:8000", "ftp://host", "http://", "http://host:port"):
        with pytest.raises(ValueError, match="chroma_url"):
            Settings(chroma_url=wrong)
    assert Settings(chroma_url="http://chroma.internal:8000/").chroma_url == "http://chroma.internal:8000"


def test_a_chroma_token_is_sent_to_its_server_only_and_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", "http://vectors.internal:8000")
    monkeypatch.setenv("ASSISTANT_CHROMA_TOKEN", "s3cret-token")
    settings = Settings()
    credentials = settings.chroma_credentials()

    assert credentials is not None
    assert credentials.headers_for("http://vectors.internal:8000") == {
        "Authorization": "Bearer s3cret-token",
        "X-Chroma-Token": "s3cret-token",
    }
    assert credentials.headers_for("http://other-server:8000") is None  # an index moved from another server
    assert "s3cret" not in repr(settings) and "s3cret" not in repr(credentials)


def test_a_chroma_token_without_a_server_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_CHROMA_TOKEN", "s3cret-token")

    with pytest.raises(ValidationError, match="ASSISTANT_CHROMA_TOKEN is set but ASSISTANT_CHROMA_URL is not"):
        Settings()
