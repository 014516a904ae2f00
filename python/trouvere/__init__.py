"""Full-text search for French text.

trouvere indexes documents (text, Markdown, HTML, JSON Lines, or documents made
in code) into a database, and answers ranked queries over them with highlighted
snippets. Elided articles are cut (``l'armée`` finds ``armée``), case, accents
and ligatures are folded, words are stemmed, and French stopwords do not drown
ranking. This package wraps the C++ library; ``search`` and ``search-index``
are its commands.

Index, then search::

    import trouvere

    with trouvere.IndexWriter("/tmp/index") as writer:
        writer.add_or_replace(trouvere.Document(
            "a1", title="Livraison de blé",
            body="La Russie a livré 25 000 tonnes de blé au Mali."))

    with trouvere.Searcher("/tmp/index") as searcher:
        results = searcher.search("ble 25000", limit=5)
        for hit in results.hits:
            print(hit.rank, hit.title, hit.snippet_text)

The library's errors are raised as trouvere.Error and its subclasses
QueryError, DatabaseError and DocumentError; bad arguments as ValueError or
TypeError. Searches and writes release the GIL.
"""

from trouvere._trouvere import (
    DatabaseError,
    Document,
    DocumentError,
    Error,
    ExplainedWord,
    Explanation,
    Hit,
    IndexReport,
    IndexWarning,
    IndexWriter,
    QueryError,
    Results,
    Searcher,
    version,
)

__all__ = [
    "DatabaseError",
    "Document",
    "DocumentError",
    "Error",
    "ExplainedWord",
    "Explanation",
    "Hit",
    "IndexReport",
    "IndexWarning",
    "IndexWriter",
    "QueryError",
    "Results",
    "Searcher",
    "version",
]

__version__ = version()
