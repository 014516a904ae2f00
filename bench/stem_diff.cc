// Which words of a JSON Lines corpus stem differently under the French stemmer trouvere's
// analysis uses (Snowball's own, from libstemmer) and under Xapian's copy of it
// (Xapian::Stem("french")), and how often those words occur: what a change of stemmer does to
// an index of that corpus.
//
//   build-bench/bench/stem_diff bench/data/littre.jsonl [--list FILE] [--examples N]
//
// The words compared are those the analyzer stems: every distinct folded form (case, ligatures
// and accents folded: the matching term's source) and every distinct accented form (accents
// kept: the accented family's source, stemmed only when it differs from the folded form and the
// word is no stopword). Numbers are never stemmed and are left out. The tool finds the accented
// form with ICU as the analyzer does, and checks every word against the analyzer's own tokens, so
// that what it compares is what the analyzer stems. It prints the counts, then the differences
// grouped by how the two stems end where they part (the suffix rule that differs), most frequent
// first; --list writes every differing word as `form, occurrences, Xapian's stem, libstemmer's
// stem`, tab-separated.

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/utf8.h>
#include <xapian.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analysis/french_stemmer.h"
#include "trouvere/analyzer.h"

namespace {

// The accented form of a surface word as the analyzer makes it: NFKC case folding, `œ` and `æ`
// spelt out, the typographic apostrophes made ASCII.
std::string accented_form(const icu::Normalizer2& casefold, std::string_view surface) {
    std::string folded;
    icu::StringByteSink<std::string> sink(&folded);
    UErrorCode status = U_ZERO_ERROR;
    casefold.normalizeUTF8(0,
                           icu::StringPiece(surface.data(), static_cast<int32_t>(surface.size())),
                           sink, nullptr, status);
    if (U_FAILURE(status)) return std::string(surface);
    static const std::vector<std::pair<std::string_view, std::string_view>> kSpelledOut{
        {"\u0153", "oe"}, {"\u00e6", "ae"}, {"\u2019", "'"}, {"\u02bc", "'"}};
    for (const auto& [from, to] : kSpelledOut) {
        for (std::size_t at = folded.find(from); at != std::string::npos;
             at = folded.find(from, at + to.size())) {
            folded.replace(at, from.size(), to);
        }
    }
    return folded;
}

// What one distinct form gives under each stemmer, and how many tokens come from it.
struct Form {
    std::uint64_t occurrences = 0;
    std::string xapian;
    std::string snowball;
};

// Bytes shared at the front of `a` and `b`, cut back to a character boundary.
std::size_t common_prefix(std::string_view a, std::string_view b) {
    std::size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
    while (n > 0 && n < a.size() && U8_IS_TRAIL(static_cast<uint8_t>(a[n]))) --n;
    return n;
}

struct Tally {
    std::size_t distinct = 0;
    std::size_t differing = 0;
    std::uint64_t occurrences = 0;
    std::uint64_t differing_occurrences = 0;
};

Tally tally(const std::unordered_map<std::string, Form>& forms) {
    Tally result;
    for (const auto& [text, form] : forms) {
        ++result.distinct;
        result.occurrences += form.occurrences;
        if (form.xapian != form.snowball) {
            ++result.differing;
            result.differing_occurrences += form.occurrences;
        }
    }
    return result;
}

void print_tally(const char* what, const Tally& counts) {
    std::printf(
        "%-15s %9zu distinct, %7zu stem differently (%.3f%%); %11llu tokens, %9llu of "
        "them (%.3f%%)\n",
        what, counts.distinct, counts.differing,
        100.0 * static_cast<double>(counts.differing) /
            static_cast<double>(std::max<std::size_t>(counts.distinct, 1)),
        static_cast<unsigned long long>(counts.occurrences),
        static_cast<unsigned long long>(counts.differing_occurrences),
        100.0 * static_cast<double>(counts.differing_occurrences) /
            static_cast<double>(std::max<std::uint64_t>(counts.occurrences, 1)));
}

// The differences grouped by the ends where the two stems part: `word ending: Xapian's → ours`.
void print_groups(const char* what, const std::unordered_map<std::string, Form>& forms,
                  std::size_t examples) {
    struct Group {
        std::size_t words = 0;
        std::uint64_t occurrences = 0;
        std::vector<std::pair<std::uint64_t, std::string>> samples;
    };
    std::map<std::string, Group> groups;
    for (const auto& [text, form] : forms) {
        if (form.xapian == form.snowball) continue;
        const std::size_t shared = common_prefix(form.xapian, form.snowball);
        const std::size_t ending = std::min(common_prefix(text, form.xapian), shared);
        const std::string key = "-" + text.substr(ending) + ": -" + form.xapian.substr(shared) +
                                " → -" + form.snowball.substr(shared);
        Group& group = groups[key];
        ++group.words;
        group.occurrences += form.occurrences;
        group.samples.emplace_back(form.occurrences,
                                   text + " (" + form.xapian + " → " + form.snowball + ")");
    }
    std::vector<std::pair<std::string, Group>> sorted(groups.begin(), groups.end());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        return a.second.words != b.second.words ? a.second.words > b.second.words
                                                : a.first < b.first;
    });
    std::printf(
        "\n%s forms that stem differently, by the word's ending where the stems part "
        "(word ending: what Xapian's stem keeps of it → what libstemmer's keeps), %zu "
        "groups:\n",
        what, sorted.size());
    for (auto& [key, group] : sorted) {
        std::sort(group.samples.rbegin(), group.samples.rend());
        std::printf("  %5zu words, %7llu tokens  %s  e.g.", group.words,
                    static_cast<unsigned long long>(group.occurrences), key.c_str());
        for (std::size_t i = 0; i < std::min(examples, group.samples.size()); ++i) {
            std::printf("%s %s", i == 0 ? "" : ",", group.samples[i].second.c_str());
        }
        std::printf("\n");
    }
}

bool write_list(const std::string& path, const std::unordered_map<std::string, Form>& folded,
                const std::unordered_map<std::string, Form>& accented) {
    std::ofstream out(path);
    for (const auto* forms : {&folded, &accented}) {
        std::vector<const std::pair<const std::string, Form>*> differing;
        for (const auto& entry : *forms) {
            if (entry.second.xapian != entry.second.snowball) differing.push_back(&entry);
        }
        std::sort(differing.begin(), differing.end(),
                  [](const auto* a, const auto* b) { return a->first < b->first; });
        for (const auto* entry : differing) {
            out << entry->first << '\t' << entry->second.occurrences << '\t' << entry->second.xapian
                << '\t' << entry->second.snowball << '\n';
        }
    }
    return static_cast<bool>(out);
}

int run(int argc, char** argv) {
    std::string corpus;
    std::string list_path;
    std::size_t examples = 4;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--list" && i + 1 < argc) {
            list_path = argv[++i];
        } else if (arg == "--examples" && i + 1 < argc) {
            examples = std::strtoul(argv[++i], nullptr, 10);
        } else if (corpus.empty() && !arg.starts_with("-")) {
            corpus = arg;
        } else {
            std::cerr << "usage: stem_diff CORPUS.jsonl [--list FILE] [--examples N]\n";
            return 2;
        }
    }
    if (corpus.empty()) {
        std::cerr << "usage: stem_diff CORPUS.jsonl [--list FILE] [--examples N]\n";
        return 2;
    }
    std::ifstream in(corpus);
    if (!in) {
        std::cerr << "stem_diff: cannot read " << corpus << "\n";
        return 1;
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) {
        std::cerr << "stem_diff: ICU has no NFKC case folding: " << u_errorName(status) << "\n";
        return 1;
    }

    trouvere::Analyzer analyzer;
    // Each distinct surface word, with its token as the analyzer gave it and how often it came.
    struct Seen {
        trouvere::Token token;
        std::uint64_t occurrences = 0;
    };
    std::unordered_map<std::string, Seen> surfaces;
    std::size_t records = 0;
    for (std::string line; std::getline(in, line);) {
        const auto record = nlohmann::json::parse(line);
        ++records;
        for (const char* field : {"title", "body"}) {
            const std::string text = record.value(field, "");
            for (trouvere::Token& token : analyzer.analyze(text)) {
                Seen& seen = surfaces[text.substr(token.begin, token.end - token.begin)];
                if (seen.occurrences++ == 0) seen.token = std::move(token);
            }
        }
    }

    const Xapian::Stem xapian("french");
    trouvere::analysis::FrenchStemmer snowball;
    std::unordered_map<std::string, Form> folded_forms;
    std::unordered_map<std::string, Form> accented_forms;
    std::size_t disagreements = 0;
    // Words that get an accented term (an accented stem other than the folded one) under one
    // stemmer but not the other: what changes the number of terms in a document.
    std::size_t accented_term_gained = 0;
    std::size_t accented_term_lost = 0;
    auto add = [&](std::unordered_map<std::string, Form>& forms, const std::string& text,
                   std::uint64_t occurrences) -> const Form& {
        Form& form = forms[text];
        if (form.occurrences == 0) {
            form.xapian = xapian(text);
            form.snowball = snowball.stem(text);
        }
        form.occurrences += occurrences;
        return form;
    };
    for (const auto& [surface, seen] : surfaces) {
        const std::string folded = analyzer.fold(surface);
        if (folded.empty() || (folded[0] >= '0' && folded[0] <= '9')) continue;
        const Form& stems = add(folded_forms, folded, seen.occurrences);
        std::string expected_accented;
        const std::string accented = accented_form(*casefold, surface);
        if (accented != folded && !seen.token.is_stopword) {
            const Form& accented_stems = add(accented_forms, accented, seen.occurrences);
            const bool had_term = accented_stems.xapian != stems.xapian;
            const bool has_term = accented_stems.snowball != stems.snowball;
            accented_term_gained += static_cast<std::size_t>(has_term && !had_term);
            accented_term_lost += static_cast<std::size_t>(had_term && !has_term);
            // The analyzer keeps an accented stem only when it tells something and fits a term.
            if (accented_stems.snowball != stems.snowball && accented_stems.snowball.size() <= 64) {
                expected_accented = accented_stems.snowball;
            }
        }
        if (stems.snowball != seen.token.term || expected_accented != seen.token.accented_term) {
            if (disagreements++ < 5) {
                std::cerr << "stem_diff: '" << surface << "' gives " << seen.token.term << " / "
                          << seen.token.accented_term << " in the analyzer, " << stems.snowball
                          << " / " << expected_accented << " here\n";
            }
        }
    }

    std::printf("%s: %zu records, %zu distinct surface words\n", corpus.c_str(), records,
                surfaces.size());
    const Tally folded = tally(folded_forms);
    const Tally accented = tally(accented_forms);
    print_tally("folded forms", folded);
    print_tally("accented forms", accented);
    std::size_t both = 0;
    for (const auto& entry : accented_forms) both += folded_forms.count(entry.first);
    if (both != 0) std::printf("(%zu accented forms are also folded forms)\n", both);
    print_tally("all forms", {.distinct = folded.distinct + accented.distinct,
                              .differing = folded.differing + accented.differing,
                              .occurrences = folded.occurrences + accented.occurrences,
                              .differing_occurrences =
                                  folded.differing_occurrences + accented.differing_occurrences});
    std::printf(
        "surface words with an accented term under libstemmer only: %zu, under Xapian "
        "only: %zu\n",
        accented_term_gained, accented_term_lost);
    print_groups("Folded", folded_forms, examples);
    print_groups("Accented", accented_forms, examples);
    if (!list_path.empty() && !write_list(list_path, folded_forms, accented_forms)) {
        std::cerr << "stem_diff: cannot write " << list_path << "\n";
        return 1;
    }
    if (disagreements != 0) {
        std::cerr << "stem_diff: " << disagreements
                  << " words where this tool and the analyzer disagree on what is stemmed\n";
        return 1;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& error) {
        std::cerr << "stem_diff: " << error.what() << "\n";
        return 1;
    }
}
