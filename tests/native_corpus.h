#pragma once

// Generated French-looking documents and queries over them, for the tests that compare the
// native engine with Xapian: Zipf-distributed words (stopwords, accents, elisions, hyphens,
// numbers), and queries of every shape the parser takes, drawn from the texts themselves so that
// phrases and rare words find documents. Seeded, so that a failure replays.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "trouvere/document.h"
#include "trouvere/index_writer.h"

namespace trouvere::testing {

inline std::vector<std::string> generated_vocabulary() {
    std::vector<std::string> words = {
        "le",        "de",         "la",          "et",           "les",       "des",
        "en",        "un",         "du",          "une",          "que",       "est",
        "pour",      "qui",        "dans",        "par",          "plus",      "pas",
        "au",        "sur",        "ne",          "armée",        "arme",      "accord",
        "blé",       "récolte",    "marché",      "élection",     "président", "ministre",
        "frontière", "village",    "rivière",     "école",        "hôpital",   "économie",
        "été",       "hiver",      "forêt",       "montagne",     "ouvrier",   "paysan",
        "cheval",    "chevaux",    "navire",      "port",         "fromage",   "vin",
        "pain",      "théâtre",    "musée",       "journal",      "lettre",    "chanson",
        "église",    "château",    "pont",        "route",        "chemin",    "fer",
        "ville",     "campagne",   "soleil",      "pluie",        "neige",     "œuvre",
        "cœur",      "sœur",       "naïf",        "Noël",         "garçon",    "reçu",
        "français",  "île",        "hôtel",       "côte",         "fête",      "tête",
        "être",      "maître",     "goût",        "août",         "où",        "déjà",
        "militaire", "militaires", "coopération", "souveraineté", "Saint",     "Pétersbourg",
        "porte",     "monnaie",    "arc",         "ciel",         "chef",      "œuvres",
        "mise"};
    // Rarer made-up words, some accented, so that the tail of the distribution is long.
    const char* const onsets[] = {"b", "ch", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v"};
    const char* const vowels[] = {"a", "e", "é", "i", "o", "ou", "è", "u", "ê", "ô"};
    for (const char* first : onsets) {
        for (const char* vowel : vowels) {
            for (const char* second : {"l", "r", "n", "t"}) {
                words.push_back(std::string(first) + vowel + second + "ane");
            }
        }
    }
    return words;
}

/// `count` documents drawn with `seed`: ids `gen-<n>`, titles of 1 to 8 words, bodies of 0 to
/// 400 words (a few much longer), some dates and sources.
inline std::vector<Document> generated_documents(unsigned seed, std::size_t count) {
    const std::vector<std::string> vocabulary = generated_vocabulary();
    std::mt19937 random(seed);
    // Zipf's law: the word of rank r comes about 1 / (r + 1) as often as the first.
    std::vector<double> weights;
    for (std::size_t rank = 0; rank < vocabulary.size(); ++rank)
        weights.push_back(1.0 / (static_cast<double>(rank) + 1.0));
    std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
    std::uniform_int_distribution<int> percent(0, 99);
    auto word = [&] {
        const std::string& chosen = vocabulary[pick(random)];
        const int roll = percent(random);
        if (roll < 4) return "l'" + chosen;
        if (roll < 6) return "d’" + chosen;
        if (roll < 8) return chosen + "-" + vocabulary[pick(random)];
        if (roll < 9) return std::string("25 000");
        if (roll < 11) {
            std::string upper = chosen;
            if (!upper.empty() && upper[0] >= 'a' && upper[0] <= 'z')
                upper[0] = static_cast<char>(upper[0] - 32);
            return upper;
        }
        return chosen;
    };
    auto text = [&](std::size_t words) {
        std::string out;
        for (std::size_t k = 0; k < words; ++k) {
            if (k > 0) out += percent(random) < 8 ? ". " : (percent(random) < 5 ? ", " : " ");
            out += word();
        }
        return out;
    };
    std::vector<Document> documents;
    for (std::size_t n = 0; n < count; ++n) {
        Document document;
        document.id = "gen-" + std::to_string(n);
        document.title = text(1 + static_cast<std::size_t>(percent(random) % 8));
        const int size = percent(random);
        const std::size_t body_words = size < 5 ? 0
                                       : size < 8
                                           ? 1500 + static_cast<std::size_t>(percent(random)) * 10
                                           : static_cast<std::size_t>(percent(random)) * 4;
        document.body = text(body_words);
        if (percent(random) < 30)
            document.date = "2024-0" + std::to_string(1 + percent(random) % 9) + "-1" +
                            std::to_string(percent(random) % 10);
        if (percent(random) < 20) document.source = "source " + std::to_string(percent(random) % 5);
        documents.push_back(std::move(document));
    }
    return documents;
}

/// How write_with_holes() changes a corpus in its second commit: every `remove_every`th document
/// removed, every `replace_every`th from the sixth on replaced by a longer text (0: none of them).
struct Holes {
    std::size_t remove_every = 0;
    std::size_t replace_every = 0;
};

/// Writes `documents` into the database at `db` in a first commit (two shards), then makes the
/// changes `holes` says in a second, so that docids have holes and lengths changed, and builds
/// the native index. Returns the documents as the database holds them (the removed included).
inline std::vector<Document> write_with_holes(const std::string& db,
                                              std::vector<Document> documents, Holes holes) {
    {
        IndexWriter writer(db, 2);
        for (const auto& document : documents) writer.add_or_replace(document);
        writer.commit();
    }
    IndexWriter writer(db, 1);
    for (std::size_t k = 0; holes.remove_every != 0 && k < documents.size();
         k += holes.remove_every) {
        writer.remove(documents[k].id);
    }
    for (std::size_t k = 5; holes.replace_every != 0 && k < documents.size();
         k += holes.replace_every) {
        documents[k].body = "texte remplacé " + documents[k].body;
        writer.add_or_replace(documents[k]);
    }
    writer.commit();
    REQUIRE(writer.update_native_index());
    return documents;
}

/// Queries of every shape over the words of `texts`.
class QueryGenerator {
public:
    QueryGenerator(const std::vector<std::string>& texts, unsigned seed) : random_(seed) {
        std::map<std::string, std::size_t> counts;
        for (const std::string& text : texts) {
            std::vector<std::string> tokens = split(text);
            for (const std::string& token : tokens) ++counts[token];
            if (tokens.size() >= 2) runs_.push_back(std::move(tokens));
        }
        for (const auto& [token, count] : counts) {
            (count >= 20 ? frequent_ : rare_).push_back(token);
        }
        if (frequent_.empty()) frequent_ = rare_;
        if (rare_.empty()) rare_ = frequent_;
    }

    std::string next() {
        switch (roll(24)) {
            case 0: return any_word();
            case 1: return pick(rare_);
            case 2: return any_word() + " " + any_word();
            case 3: return any_word() + " " + any_word() + " " + any_word();
            case 4: return fold(any_word());
            case 5: return upper(any_word()) + " " + any_word();
            case 6: return '"' + run(2 + roll(3)) + '"';
            case 7: return '"' + run(2) + "\" " + any_word();
            case 8: return (roll(2) == 0 ? "title:" : "titre:") + any_word();
            case 9: return "title:\"" + run(2) + '"';
            case 10: return "title:(" + any_word() + " " + any_word() + ")";
            case 11: return "+" + any_word() + " " + any_word();
            case 12: return any_word() + " -" + any_word();
            case 13: return any_word() + (roll(2) == 0 ? " NOT " : " AND NOT ") + any_word();
            case 14:
                return any_word() + " OR " + any_word() + (roll(2) == 0 ? "" : " OR " + any_word());
            case 15:
                return "(" + any_word() + " OR " + any_word() + ") " + (roll(2) == 0 ? "-" : "") +
                       any_word();
            case 16: return any_word() + " AND " + any_word();
            case 17: return any_word() + " zqxwvtrouvepas";
            case 18: return "le de la";
            case 19: {
                const char* const broken[] = {"\"", "((", " -", " OR", "(("};
                return broken[roll(5)] + any_word() + " " + any_word();
            }
            case 20: return (roll(2) == 0 ? "l'" : "d’") + any_word();
            case 21: return any_word() + "-" + any_word();
            case 22: return "25 000 " + any_word();
            default: return "-" + any_word() + " " + any_word() + " " + pick(rare_);
        }
    }

    std::size_t roll(std::size_t below) {
        return std::uniform_int_distribution<std::size_t>(0, below - 1)(random_);
    }

private:
    static std::vector<std::string> split(std::string_view text) {
        std::vector<std::string> tokens;
        std::string current;
        for (char c : text) {
            const auto byte = static_cast<unsigned char>(c);
            if (byte >= 0x80 || std::isalnum(byte) != 0 || c == '\'' || c == '-') {
                current += c;
            } else if (!current.empty()) {
                tokens.push_back(std::move(current));
                current.clear();
            }
        }
        if (!current.empty()) tokens.push_back(std::move(current));
        return tokens;
    }

    const std::string& pick(const std::vector<std::string>& from) {
        return from[roll(from.size())];
    }
    std::string any_word() { return roll(3) == 0 ? pick(rare_) : pick(frequent_); }

    // `words` consecutive tokens of one text: a phrase that occurs.
    std::string run(std::size_t words) {
        const std::vector<std::string>& tokens =
            runs_.empty() ? frequent_ : runs_[roll(runs_.size())];
        words = std::min(words, tokens.size());
        const std::size_t start = roll(tokens.size() - words + 1);
        std::string out;
        for (std::size_t k = 0; k < words; ++k) out += (k > 0 ? " " : "") + tokens[start + k];
        return out;
    }

    static std::string fold(std::string word) {
        const std::pair<std::string_view, std::string_view> accents[] = {
            {"é", "e"}, {"è", "e"}, {"ê", "e"}, {"à", "a"},
            {"ô", "o"}, {"î", "i"}, {"ç", "c"}, {"û", "u"}};
        for (const auto& [from, to] : accents) {
            for (std::size_t at = word.find(from); at != std::string::npos; at = word.find(from)) {
                word.replace(at, from.size(), to);
            }
        }
        return word;
    }

    static std::string upper(std::string word) {
        for (char& c : word) {
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
        }
        return word;
    }

    std::mt19937 random_;
    std::vector<std::string> frequent_;
    std::vector<std::string> rare_;
    std::vector<std::vector<std::string>> runs_;
};

}  // namespace trouvere::testing
