"""trouvere.Searcher on the bundled articles and on the generated documents: each call, each
option, and each way a call can fail."""

import collections
import json
import os
import re
import subprocess
import sys

import pytest

import trouvere
from conftest import CORPUS, GENERATED

ACCORD = "000_dbeda49fb9d40084.txt"
POTENTIEL = "001_de41e6a099c3eab1.txt"
CNT = "002_5f84a0241843eefe.txt"
STRATEGIQUE = "003_15f8a19bef5d80e8.txt"
ENGAGEMENT = "004_0bbe2dc6f523829c.txt"


def search_command(*arguments):
    """The output of the `search` command, whose JSON the library's to_json must equal."""
    program = os.environ.get("TROUVERE_SEARCH_BIN")
    if not program:
        pytest.skip("the search command is not built (TROUVERE_BUILD_TOOLS is off)")
    return subprocess.run([program, *arguments], check=True, capture_output=True,
                          text=True).stdout


def ids(results):
    return [hit.id for hit in results.hits]


def test_a_search_gives_every_field_of_its_results_and_hits(corpus_db):
    with trouvere.Searcher(corpus_db) as searcher:
        results = searcher.search("accord militaire", limit=2, facets=["year", "source"])
    assert results.query == "accord militaire"
    assert results.engine == "native"
    assert results.total_estimate == 3
    assert results.total_exact is True
    assert results.fell_back_to_any_word is False
    assert results.suggestion is None
    assert results.warnings == []
    assert results.facets == {"year": [("2024", 2)], "source": []}
    assert [hit.rank for hit in results.hits] == [1, 2]
    assert ids(results) == [ACCORD, CNT]

    first = results.hits[0]
    assert first.title == ("Le Mali renforce ses liens avec la Russie : un important accord "
                           "militaire ratifié par le CNT")
    assert first.date == "2024-11-22"
    assert first.source is None
    assert first.url is None
    assert first.path == str(CORPUS / ACCORD)
    assert first.score == pytest.approx(1.2767, abs=1e-4)
    assert first.snippet_text == (
        "Au Mali, lors d’une séance plénière historique, le Conseil national de transition (CNT) "
        "du Mali a voté à l’unanimité en faveur de l’accord de coopération militaire et technique "
        "avec la Fédération de…")
    assert first.snippet_html == (
        "Au Mali, lors d’une séance plénière historique, le Conseil national de transition (CNT) "
        "du Mali a voté à l’unanimité en faveur de l’<mark>accord</mark> de coopération "
        "<mark>militaire</mark> et technique avec la Fédération de…")
    assert repr(first) == f"<trouvere.Hit rank=1 id='{ACCORD}'>"
    assert repr(results) == "<trouvere.Results query='accord militaire' total_estimate=3 hits=2>"


def test_to_json_is_what_search_json_prints(corpus_db):
    with trouvere.Searcher(corpus_db) as searcher:
        results = searcher.search("accord militaire", limit=2, facets=["year", "source"])
    printed = search_command("--db", str(corpus_db), "--json", "--limit", "2", "--facets",
                             "year,source", "accord militaire")
    assert results.to_json() + "\n" == printed
    assert json.loads(results.to_json())["hits"][1]["id"] == CNT


@pytest.mark.parametrize("options, expected_ids, total", [
    ({}, [STRATEGIQUE, ENGAGEMENT, ACCORD, POTENTIEL, CNT], 5),
    ({"limit": 2}, [STRATEGIQUE, ENGAGEMENT], 5),
    ({"offset": 3}, [POTENTIEL, CNT], 5),
    ({"limit": 0}, [], 5),
    ({"sort": "newest"}, [ACCORD, CNT, STRATEGIQUE, ENGAGEMENT, POTENTIEL], 5),
    ({"sort": "oldest", "limit": 2}, [CNT, ACCORD], 5),
    ({"sort": "relevance", "limit": 1}, [STRATEGIQUE], 5),
    ({"since": "2024-07", "until": "2024-07"}, [CNT], 1),
    ({"since": "2024-08"}, [ACCORD], 1),
    ({"until": "2024-07-04"}, [CNT], 1),
    ({"engine": "xapian", "limit": 1}, [STRATEGIQUE], 5),
    ({"engine": "native", "limit": 1}, [STRATEGIQUE], 5),
])
def test_each_option_chooses_the_hits(corpus_db, options, expected_ids, total):
    with trouvere.Searcher(corpus_db) as searcher:
        results = searcher.search("Mali", **options)
    assert ids(results) == expected_ids
    assert results.total_estimate == total
    assert results.total_exact is True
    assert results.engine == options.get("engine", "native")


def test_counting_stops_at_count_at_least_then_estimates(corpus_db):
    with trouvere.Searcher(corpus_db) as searcher:
        estimated = searcher.search("Mali", limit=1, count_at_least=1)
        counted = searcher.search("Mali", limit=1, count_at_least=sys.maxsize)
    assert estimated.total_exact is False
    assert estimated.total_estimate == 5
    assert counted.total_exact is True


def test_snippets_can_be_shorter_or_left_out(corpus_db):
    with trouvere.Searcher(corpus_db) as searcher:
        short = searcher.search("Kidal", limit=1, snippet_chars=40).hits[0]
        none = searcher.search("Kidal", limit=1, snippets=False).hits[0]
    assert short.snippet_text == "…de la ville de Kidal restée plus d’une…"
    assert short.snippet_html == "…de la ville de <mark>Kidal</mark> restée plus d’une…"
    assert none.snippet_text == ""
    assert none.snippet_html == ""


def test_a_misspelt_query_gets_a_suggestion_and_falls_back_to_any_word(corpus_db):
    with trouvere.Searcher(corpus_db) as searcher:
        results = searcher.search("accrd militaire", limit=1)
    assert results.suggestion == "accord militaire"
    assert results.fell_back_to_any_word is True
    assert results.total_estimate == 5
    assert ids(results) == [POTENTIEL]


def test_a_repaired_query_says_so_in_its_warnings(corpus_db):
    with trouvere.Searcher(corpus_db) as searcher:
        results = searcher.search('"unbalanced militaire')
    assert results.warnings == ["unbalanced quote: closed at end of query"]
    assert results.hits == []


def test_a_stored_document_is_read_whole_or_is_none(corpus_db):
    with trouvere.Searcher(corpus_db) as searcher:
        document = searcher.document(STRATEGIQUE)
        assert searcher.document("missing.txt") is None
    assert document.id == STRATEGIQUE
    assert document.title == ("Coopération stratégique Mali-Russie : Une sécurité renforcée "
                              "grâce à l'aide russe")
    assert document.date is None
    assert document.source is None
    assert document.url is None
    assert document.path == str(CORPUS / STRATEGIQUE)
    assert document.body.startswith("2 minutesSécurité renforcée grâce à l’aide de la Russie\n\n")
    assert len(document.body) == 2597


def test_explain_reads_the_query_as_search_explain_does(corpus_db):
    with trouvere.Searcher(corpus_db) as searcher:
        explanation = searcher.explain("L'armée date:2024-07", since="2024")
        plain = searcher.explain("L'armée")
    assert explanation.tree == '(group "L\'armée" (date "2024-07"))'
    [word] = explanation.words
    assert (word.text, word.stem, word.accented_stem, word.exact, word.stopword) == (
        "armée", "arme", "armé", "armée", False)
    assert explanation.filters == ["2024-07-01..2024-07-31", "2024-01-01.."]
    assert explanation.matching == ("(all (all (dated 2024-07-01..2024-07-31) (and_maybe arme "
                                    "(any Aarmé Earmée))) (dated 2024-01-01..9999-12-31))")
    assert explanation.engine == "native"
    assert explanation.engine_reason is None
    assert explanation.warnings == []
    printed = search_command("--db", str(corpus_db), "--explain", "--json", "L'armée")
    assert plain.to_json() + "\n" == printed


def test_the_generated_documents_are_counted_and_ordered_as_they_were_made(generated_db):
    cotton = [document for document in GENERATED if "coton" in document.body]
    with trouvere.Searcher(generated_db) as searcher:
        assert searcher.document_count() == 60
        results = searcher.search("coton", limit=100, sort="newest", facets=["source", "year"])
        page = searcher.search("coton", limit=5, offset=5, sort="oldest")
        in_2022 = searcher.search("coton OR mil", limit=100, since="2022", until="2022")
        one_source = results.hits[0].source
        from_one_source = searcher.search("coton", limit=100, source=one_source)
        stored = searcher.document("g007")
    assert results.total_estimate == len(cotton) == 20
    newest_first = sorted(cotton, key=lambda document: document.date, reverse=True)
    assert ids(results) == [document.id for document in newest_first]
    assert [hit.date for hit in results.hits] == [document.date for document in newest_first]
    oldest_first = newest_first[::-1]
    assert ids(page) == [document.id for document in oldest_first[5:10]]
    assert [hit.rank for hit in page.hits] == [6, 7, 8, 9, 10]

    by_source = collections.Counter(document.source for document in cotton)
    by_year = collections.Counter(document.date[:4] for document in cotton)
    assert results.facets == {
        "source": sorted(by_source.items(), key=lambda pair: (-pair[1], pair[0])),
        "year": sorted(by_year.items(), key=lambda pair: (-pair[1], pair[0])),
    }
    assert results.facets["year"] == [("2020", 4), ("2021", 4), ("2022", 4), ("2023", 4),
                                      ("2024", 4)]
    assert sorted(ids(in_2022)) == sorted(
        document.id for document in GENERATED if document.date.startswith("2022"))
    assert 0 < len(from_one_source.hits) < len(cotton)
    assert sorted(ids(from_one_source)) == sorted(
        document.id for document in cotton if document.source == one_source)
    assert stored == GENERATED[7]


def test_reopen_moves_to_the_latest_commit(tmp_path):
    path = tmp_path / "db"
    with trouvere.IndexWriter(path) as writer:
        writer.add_or_replace(trouvere.Document("a", body="Le blé de Ségou."))
    with trouvere.Searcher(path) as searcher:
        with trouvere.IndexWriter(path) as writer:
            writer.add_or_replace(trouvere.Document("b", body="Le blé de Mopti."))
        assert ids(searcher.search("ble")) == ["a"]
        assert searcher.document_count() == 1
        searcher.reopen()
        assert sorted(ids(searcher.search("ble"))) == ["a", "b"]
        assert searcher.document_count() == 2


@pytest.mark.parametrize("query, message", [
    ("((", "nothing to search for in '(('"),
    ("Mali date:2024-13", "malformed date 'date:2024-13': there is no month 13"),
    ("a" * 10_001, "query of 10001 bytes is longer than the limit of 10000"),
])
def test_a_query_that_cannot_run_raises_query_error(corpus_db, query, message):
    with trouvere.Searcher(corpus_db) as searcher:
        with pytest.raises(trouvere.QueryError, match=re.escape(message)):
            searcher.search(query)
        with pytest.raises(trouvere.QueryError):
            searcher.explain(query)


def test_a_malformed_date_bound_raises_query_error(corpus_db):
    with trouvere.Searcher(corpus_db) as searcher:
        with pytest.raises(trouvere.QueryError,
                           match="malformed date 'since 2024-13': there is no month 13"):
            searcher.search("Mali", since="2024-13")


def test_database_problems_raise_database_error(tmp_path):
    with pytest.raises(trouvere.DatabaseError, match=re.escape(str(tmp_path / "missing"))):
        trouvere.Searcher(tmp_path / "missing")
    # A database without its native index, which engine="native" asks for.
    with trouvere.IndexWriter(tmp_path / "bare") as writer:
        writer.add_or_replace(trouvere.Document("a", body="Mali"))
    with trouvere.Searcher(tmp_path / "bare") as searcher:
        with pytest.raises(trouvere.DatabaseError, match="trouvere.native"):
            searcher.search("Mali", engine="native")
        assert searcher.search("Mali").engine == "xapian"


def test_a_cluster_with_a_shard_missing_fails_or_answers_partly_when_allowed(corpus_db, tmp_path):
    cluster = tmp_path / "cluster.stub"
    cluster.write_text(f"auto {corpus_db}\nauto missing-shard\n")
    missing = "shard 'auto missing-shard' cannot be opened"
    with trouvere.Searcher(corpus_db) as whole, trouvere.Searcher(cluster) as searcher:
        with pytest.raises(trouvere.DatabaseError,
                           match=re.escape(f"cluster {cluster}: {missing}")):
            searcher.search("Mali")
        partial = searcher.search("Mali", allow_partial=True)
        assert partial.total_estimate == whole.search("Mali").total_estimate
        assert [hit.id for hit in partial.hits] == [hit.id for hit in whole.search("Mali").hits]
        assert len(partial.warnings) == 1
        assert partial.warnings[0].startswith(f"answered without {missing}")
        assert partial.warnings[0].endswith("; its documents are missing")


@pytest.mark.parametrize("arguments, error, message", [
    ({"sort": "date"}, ValueError, "sort must be 'relevance', 'newest' or 'oldest', not 'date'"),
    ({"engine": "fast"}, ValueError, "engine must be 'auto', 'native' or 'xapian', not 'fast'"),
    ({"facets": ["author"]}, ValueError, "no facet is named 'author'"),
    ({"facets": "year"}, TypeError, "incompatible function arguments"),
    ({"limit": -1}, TypeError, "incompatible function arguments"),
    ({"limit": "3"}, TypeError, "incompatible function arguments"),
    ({"colour": True}, TypeError, "incompatible function arguments"),
])
def test_bad_arguments_raise_value_or_type_error(corpus_db, arguments, error, message):
    with trouvere.Searcher(corpus_db) as searcher:
        with pytest.raises(error, match=message):
            searcher.search("Mali", **arguments)


def test_a_closed_searcher_refuses_every_call(corpus_db):
    searcher = trouvere.Searcher(corpus_db)
    searcher.close()
    searcher.close()
    for call in (lambda: searcher.search("Mali"), lambda: searcher.explain("Mali"),
                 lambda: searcher.document(ACCORD), searcher.reopen, searcher.document_count):
        with pytest.raises(ValueError, match="operation on a closed Searcher"):
            call()
