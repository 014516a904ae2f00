"""trouvere.IndexWriter and trouvere.Document: adding, replacing, deleting and committing
documents, indexing files, the native index, the lock, and each way a call can fail."""

import re

import pytest

import trouvere
from conftest import CORPUS


def ids(results):
    return sorted(hit.id for hit in results.hits)


def test_a_document_holds_its_fields_and_none_for_unknown_ones():
    document = trouvere.Document("a1", title="Livraison de blé", body="25 000 tonnes",
                                 date="2024-03-01", source="Maliweb")
    assert (document.id, document.title, document.body) == ("a1", "Livraison de blé",
                                                             "25 000 tonnes")
    assert (document.date, document.source, document.url, document.path) == (
        "2024-03-01", "Maliweb", None, None)
    document.url = "https://example.org/a1"
    document.source = None
    assert (document.url, document.source) == ("https://example.org/a1", None)
    assert document == trouvere.Document("a1", title="Livraison de blé", body="25 000 tonnes",
                                         date="2024-03-01", url="https://example.org/a1")
    assert document != trouvere.Document("a1")
    assert document != "a1"
    assert repr(document) == "<trouvere.Document id='a1' title='Livraison de blé'>"
    with pytest.raises(TypeError):
        trouvere.Document("a1", "a title given without its name")


def test_documents_are_added_replaced_and_deleted_at_each_commit(tmp_path):
    path = tmp_path / "db"
    writer = trouvere.IndexWriter(path, threads=1)
    assert writer.path == str(path)
    writer.add_or_replace(trouvere.Document("a", title="Blé", body="Le blé de Ségou."))
    writer.add_or_replace(trouvere.Document("b", body="Le blé de Mopti."))
    assert "a" in writer
    assert "c" not in writer
    assert writer.document_count() == 2
    writer.commit()
    with trouvere.Searcher(path) as searcher:
        assert ids(searcher.search("ble")) == ["a", "b"]

    writer.add_or_replace(trouvere.Document("a", title="Mil", body="Le mil de Ségou."))
    assert writer.delete("b") is True
    assert writer.delete("b") is False
    with trouvere.Searcher(path) as searcher:
        assert ids(searcher.search("ble")) == ["a", "b"]
    writer.commit()
    with trouvere.Searcher(path) as searcher:
        assert ids(searcher.search("ble OR mil")) == ["a"]
        assert searcher.document("a").title == "Mil"
        assert searcher.document_count() == 1
    writer.close()


def test_as_a_context_manager_it_commits_unless_the_block_raised(tmp_path):
    path = tmp_path / "db"
    with trouvere.IndexWriter(path) as writer:
        writer.add_or_replace(trouvere.Document("kept", body="Ségou"))
    with pytest.raises(RuntimeError):
        with trouvere.IndexWriter(path) as writer:
            writer.add_or_replace(trouvere.Document("discarded", body="Ségou"))
            raise RuntimeError("stopped")
    with trouvere.Searcher(path) as searcher:
        assert ids(searcher.search("Segou")) == ["kept"]
    # Closed either way: the lock is free at once.
    with trouvere.IndexWriter(path, lock_wait=0) as writer:
        assert writer.document_count() == 1


def test_files_are_indexed_as_search_index_does_with_a_report(tmp_path):
    with trouvere.IndexWriter(tmp_path / "db") as writer:
        first = writer.index_paths([CORPUS], commit_every=2)
        again = writer.index_paths([str(CORPUS)], prune=True, commit_every=0)
    assert (first.added, first.updated, first.unchanged, first.deleted, first.skipped) == (
        5, 0, 0, 0, 0)
    assert first.warnings == []
    assert (again.added, again.unchanged) == (0, 5)

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bad.txt").write_bytes(b"binaire\0texte")
    (folder / "dated.jsonl").write_text('{"id": "j1", "body": "texte", "date": "2024-02-30"}\n')
    (folder / "good.md").write_text("# Bon\n\nUn texte.\n")
    with trouvere.IndexWriter(tmp_path / "other") as writer:
        report = writer.index_paths([folder])
    assert (report.added, report.skipped) == (2, 1)
    binary, dated = report.warnings
    assert (binary.file, binary.line, binary.message, binary.skipped) == (
        str(folder / "bad.txt"), 0, "binary file (NUL byte)", True)
    assert binary.offset == 7
    assert (dated.file, dated.line, dated.skipped) == (str(folder / "dated.jsonl"), 1, False)
    assert "2024-02-30" in dated.message
    assert dated.offset == 0


def test_the_native_index_is_built_after_the_last_commit_and_then_answers(tmp_path):
    path = tmp_path / "db"
    with trouvere.IndexWriter(path) as writer:
        writer.add_or_replace(trouvere.Document("a", body="Le blé de Ségou."))
    with trouvere.Searcher(path) as searcher:
        assert searcher.search("ble").engine == "xapian"
    with trouvere.IndexWriter(path) as writer:
        assert writer.update_native_index() is True
        assert writer.update_native_index() is False
    with trouvere.Searcher(path) as searcher:
        assert searcher.search("ble", engine="native").engine == "native"


def test_a_document_the_writer_cannot_index_raises_document_error(tmp_path):
    with trouvere.IndexWriter(tmp_path / "db") as writer:
        with pytest.raises(trouvere.DocumentError, match="document has an empty id"):
            writer.add_or_replace(trouvere.Document(""))
        with pytest.raises(trouvere.DocumentError, match="2024-02-30"):
            writer.add_or_replace(trouvere.Document("a", date="2024-02-30"))
        assert writer.document_count() == 0


def test_a_second_writer_waits_for_the_lock_then_raises_database_error(tmp_path):
    path = tmp_path / "db"
    with trouvere.IndexWriter(path):
        with pytest.raises(trouvere.DatabaseError, match="database is locked by process"):
            trouvere.IndexWriter(path, lock_wait=0.05)


def test_indexing_a_path_that_does_not_exist_raises_error(tmp_path):
    with trouvere.IndexWriter(tmp_path / "db") as writer:
        with pytest.raises(trouvere.Error, match=re.escape(str(tmp_path / "nowhere"))):
            writer.index_paths([tmp_path / "nowhere"])


@pytest.mark.parametrize("arguments, error, message", [
    ({"lock_wait": -1}, ValueError, "lock_wait must be a number of seconds, 0 or more"),
    ({"lock_wait": float("nan")}, ValueError, "lock_wait must be a number of seconds, 0 or more"),
    ({"threads": -1}, TypeError, "incompatible constructor arguments"),
    ({"workers": 2}, TypeError, "incompatible constructor arguments"),
])
def test_bad_arguments_raise_value_or_type_error(tmp_path, arguments, error, message):
    with pytest.raises(error, match=message):
        trouvere.IndexWriter(tmp_path / "db", **arguments)


def test_a_closed_writer_refuses_every_call_and_has_let_go_of_the_lock(tmp_path):
    path = tmp_path / "db"
    writer = trouvere.IndexWriter(path)
    writer.add_or_replace(trouvere.Document("a", body="perdu"))
    writer.close()
    writer.close()
    for call in (lambda: writer.add_or_replace(trouvere.Document("b")),
                 lambda: writer.delete("a"), lambda: "a" in writer, writer.commit,
                 writer.update_native_index, lambda: writer.index_paths([CORPUS]),
                 writer.document_count, lambda: writer.path):
        with pytest.raises(ValueError, match="operation on a closed IndexWriter"):
            call()
    # What was not committed is gone.
    with trouvere.IndexWriter(path, lock_wait=0) as other:
        assert other.document_count() == 0
