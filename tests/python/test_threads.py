"""Threads: the GIL is released while the library works, and threads sharing a Searcher take
turns."""

import sys
import threading

import trouvere


def test_the_main_thread_runs_python_code_while_another_thread_searches(corpus_db):
    searcher = trouvere.Searcher(corpus_db)
    searches = 500
    finished = []

    def search_repeatedly():
        for _ in range(searches):
            searcher.search("accord militaire")
        finished.append(True)

    # With a switch interval this long, Python never takes the GIL from the thread holding it:
    # once the searching thread starts, the main thread runs again only when that thread lets
    # go of the GIL, and between its searches it holds it. So the main thread running before
    # the searches are over proves that a search released the GIL. Had none, the main thread
    # would have waited for the last one.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1000)
    try:
        searching = threading.Thread(target=search_repeatedly)
        searching.start()
        ran_while_searching = not finished
    finally:
        sys.setswitchinterval(interval)
    searching.join()
    assert ran_while_searching
    assert finished == [True]


def test_threads_get_the_same_answers_sharing_a_searcher_or_each_with_its_own(corpus_db):
    queries = ["accord militaire", "Kidal", "Mali", "accrd militaire", "Russie -Lavrov"]
    with trouvere.Searcher(corpus_db) as searcher:
        expected = {query: searcher.search(query).to_json() for query in queries}
    shared = trouvere.Searcher(corpus_db)
    answers = {}

    def search_all(name, searcher):
        answers[name] = [searcher.search(query).to_json() for query in queries * 20]

    threads = [threading.Thread(target=search_all, args=("shared 1", shared)),
               threading.Thread(target=search_all, args=("shared 2", shared)),
               threading.Thread(target=search_all, args=("own 1", trouvere.Searcher(corpus_db))),
               threading.Thread(target=search_all, args=("own 2", trouvere.Searcher(corpus_db)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ["own 1", "own 2", "shared 1", "shared 2"]
    for name, results in answers.items():
        assert results == [expected[query] for query in queries * 20], name
