"""Fixtures of the Python module's tests, which CTest runs with pytest (tests/python/CMakeLists.txt)
against the module of the build tree: the bundled articles indexed once, and a database of
generated documents whose expected answers follow from how they were made."""

import os
import pathlib

import pytest

import trouvere

CORPUS = pathlib.Path(os.environ["TROUVERE_CORPUS_DIR"])

YEARS = [2020, 2021, 2022, 2023, 2024]
SOURCES = ["Maliweb", "RFI", "Jeune Afrique"]


def generated_document(number):
    """Document `number` of the generated database: every third one is about cotton, the years
    come in turn, each source for three documents in a row, and dates grow with the number within
    a year."""
    subject = "la récolte de coton" if number % 3 == 0 else "le prix du mil"
    return trouvere.Document(
        f"g{number:03}",
        title=f"Rapport {number} sur {subject}",
        body=f"Le rapport {number} traite de {subject} dans la région de Ségou.",
        date=f"{YEARS[number % 5]}-{1 + number // 6:02}-{1 + number % 28:02}",
        source=SOURCES[number // 3 % 3],
        url=f"https://example.org/rapports/{number}",
    )


GENERATED = [generated_document(number) for number in range(60)]


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory):
    """The five bundled articles, with their native index."""
    path = tmp_path_factory.mktemp("corpus") / "db"
    with trouvere.IndexWriter(path) as writer:
        report = writer.index_paths([CORPUS])
        assert report.added == 5
    with trouvere.IndexWriter(path) as writer:
        assert writer.update_native_index()
    return path


@pytest.fixture(scope="session")
def generated_db(tmp_path_factory):
    """The 60 generated documents, with their native index."""
    path = tmp_path_factory.mktemp("generated") / "db"
    with trouvere.IndexWriter(path) as writer:
        for document in GENERATED:
            writer.add_or_replace(document)
    with trouvere.IndexWriter(path) as writer:
        assert writer.update_native_index()
    return path
