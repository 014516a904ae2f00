/* Searching from C, through trouvere's C API only: index files and folders, then query them.
 *
 *   search_c DATABASE QUERY [PATH...]
 *
 * PATHs, when given, are indexed into DATABASE first (created if needed) as search-index does,
 * committed, and the native index brought up to date. Then the three best hits for QUERY are
 * printed, each matched word of the snippet [in brackets], and the matches counted by year.
 * Exit status: 0 when something matched, 1 when nothing did, 2 on an error (its message on
 * standard error).
 */
#include <stdio.h>
#include <string.h>

#include <trouvere/trouvere_c.h>

/* Reports a failed call, releases its error, and gives the exit status for it. */
static int fail(trouvere_error* error) {
    (void)fprintf(stderr, "search_c: %s\n", trouvere_error_message(error));
    trouvere_error_destroy(error);
    return 2;
}

/* Indexes `paths` into the database at `database` and commits. */
static int index_paths(const char* database, const char* const* paths, size_t count) {
    trouvere_error* error = NULL;
    trouvere_writer* writer = NULL;
    trouvere_index_report* report = NULL;
    if (trouvere_writer_open(database, 0, TROUVERE_DEFAULT_LOCK_WAIT_MS, &writer, &error) ||
        trouvere_index_paths(writer, paths, count, 0, TROUVERE_DEFAULT_COMMIT_EVERY, &report,
                             &error) ||
        trouvere_writer_commit(writer, &error) ||
        trouvere_writer_update_native_index(writer, NULL, &error)) {
        trouvere_index_report_destroy(report);
        trouvere_writer_close(writer);
        return fail(error);
    }
    printf("indexed: %zu added, %zu updated, %zu unchanged, %zu skipped\n\n",
           trouvere_index_report_added(report), trouvere_index_report_updated(report),
           trouvere_index_report_unchanged(report), trouvere_index_report_skipped(report));
    trouvere_index_report_destroy(report);
    trouvere_writer_close(writer);
    return 0;
}

/* Prints the `length` bytes at `text` made safe for a terminal: indexed text may hold escape
 * sequences. */
static int print_safe(const char* text, size_t length) {
    trouvere_error* error = NULL;
    char* safe = NULL;
    if (trouvere_terminal_safe(text, length, &safe, &error)) return fail(error);
    printf("%s", safe);
    trouvere_free(safe);
    return 0;
}

/* Prints a hit: its rank and title, its id, date and score, and its snippet, each matched word in
 * brackets (the highlights are byte offsets into the snippet text). */
static int print_hit(const trouvere_hit* hit) {
    const char* title = trouvere_hit_field(hit, TROUVERE_FIELD_TITLE);
    const char* id = trouvere_hit_field(hit, TROUVERE_FIELD_ID);
    const char* date = trouvere_hit_field(hit, TROUVERE_FIELD_DATE);
    const char* snippet = trouvere_hit_snippet_text(hit);
    size_t done = 0;
    printf("%zu. ", trouvere_hit_rank(hit));
    if (print_safe(title, strlen(title))) return 2;
    printf("\n   ");
    if (print_safe(id, strlen(id))) return 2;
    /* A date is YYYY-MM-DD or empty, nothing a terminal would obey. */
    printf("%s%s · score %.2f\n   ", *date ? " · " : "", date, trouvere_hit_score(hit));
    for (size_t i = 0; i < trouvere_hit_highlight_count(hit); ++i) {
        size_t begin = trouvere_hit_highlight_begin(hit, i);
        size_t end = trouvere_hit_highlight_end(hit, i);
        if (print_safe(snippet + done, begin - done)) return 2;
        putchar('[');
        if (print_safe(snippet + begin, end - begin)) return 2;
        putchar(']');
        done = end;
    }
    if (print_safe(snippet + done, strlen(snippet) - done)) return 2;
    puts("\n");
    return 0;
}

/* Searches the database at `database` for `query` and prints the results. */
static int search(const char* database, const char* query) {
    trouvere_error* error = NULL;
    trouvere_searcher* searcher = NULL;
    trouvere_search_options* options = NULL;
    trouvere_results* results = NULL;
    int status = 0;
    if (trouvere_searcher_open(database, &searcher, &error) ||
        trouvere_search_options_create(&options, &error) ||
        trouvere_search_options_set_limit(options, 3, &error) ||
        trouvere_search_options_add_facet(options, "year", &error) ||
        trouvere_searcher_search(searcher, query, options, &results, &error)) {
        trouvere_search_options_destroy(options);
        trouvere_searcher_close(searcher);
        return fail(error);
    }

    for (size_t i = 0; i < trouvere_results_warning_count(results); ++i) {
        (void)fprintf(stderr, "search_c: note: %s\n", trouvere_results_warning(results, i));
    }
    if (trouvere_results_suggestion(results)) {
        printf("Did you mean: %s?\n\n", trouvere_results_suggestion(results));
    }
    if (trouvere_results_fell_back_to_any_word(results)) {
        puts("No document has all the words; showing documents with any of them.\n");
    }
    for (size_t i = 0; i < trouvere_results_hit_count(results) && status == 0; ++i) {
        status = print_hit(trouvere_results_hit(results, i));
    }
    if (status == 0) {
        printf("%zu of %s%zu matching documents\n", trouvere_results_hit_count(results),
               trouvere_results_total_exact(results) ? "" : "about ",
               trouvere_results_total_estimate(results));
        printf("By year:");
        for (size_t i = 0; i < trouvere_results_facet_value_count(results, 0); ++i) {
            printf(" %s (%zu)", trouvere_results_facet_value(results, 0, i),
                   trouvere_results_facet_value_documents(results, 0, i));
        }
        putchar('\n');
        status = trouvere_results_hit_count(results) > 0 ? 0 : 1;
    }
    trouvere_results_destroy(results);
    trouvere_search_options_destroy(options);
    trouvere_searcher_close(searcher);
    return status;
}

int main(int argc, char** argv) {
    int status = 0;
    if (argc < 3) {
        (void)fputs("usage: search_c DATABASE QUERY [PATH...]\n", stderr);
        return 2;
    }
    if (argc > 3) status = index_paths(argv[1], (const char* const*)(argv + 3), (size_t)argc - 3);
    if (status == 0) status = search(argv[1], argv[2]);
    /* Output is checked once, at the end: a write that failed left its mark on the stream. */
    if (ferror(stdout) || fflush(stdout) != 0) {
        perror("search_c: standard output");
        return 2;
    }
    return status;
}
