#include <string_view>
#include <unordered_set>

#include "trouvere/analyzer.h"

namespace trouvere {

namespace {

// Snowball's French stopword list plus a few determiners it lacks (cet, cette, dont), in folded
// form (no accents, lower case) because words are compared after folding: `été` is `ete` here.
// Stopwords are still indexed with positions so that phrases like "chemin de fer" work; they are
// only left out of free-word queries, where they would dominate ranking and defeat AND.
const std::unordered_set<std::string_view>& stopwords() {
    static const std::unordered_set<std::string_view> words{
        "a",       "ai",       "aie",      "aient",   "aies",     "ait",    "as",      "au",
        "aura",    "aurai",    "auraient", "aurais",  "aurait",   "auras",  "aurez",   "auriez",
        "aurions", "aurons",   "auront",   "aux",     "avaient",  "avais",  "avait",   "avec",
        "avez",    "aviez",    "avions",   "avons",   "ayant",    "ayante", "ayantes", "ayants",
        "ayez",    "ayons",    "c",        "ce",      "ces",      "cet",    "cette",   "d",
        "dans",    "de",       "des",      "dont",    "du",       "elle",   "en",      "es",
        "est",     "et",       "etaient",  "etais",   "etait",    "etant",  "etante",  "etantes",
        "etants",  "ete",      "etee",     "etees",   "etes",     "etiez",  "etions",  "eu",
        "eue",     "eues",     "eumes",    "eurent",  "eus",      "eusse",  "eussent", "eusses",
        "eussiez", "eussions", "eut",      "eutes",   "eux",      "fumes",  "furent",  "fus",
        "fusse",   "fussent",  "fusses",   "fussiez", "fussions", "fut",    "futes",   "il",
        "ils",     "j",        "je",       "l",       "la",       "le",     "les",     "leur",
        "lui",     "m",        "ma",       "mais",    "me",       "meme",   "mes",     "moi",
        "mon",     "n",        "ne",       "nos",     "notre",    "nous",   "on",      "ont",
        "ou",      "par",      "pas",      "pour",    "qu",       "que",    "qui",     "s",
        "sa",      "se",       "sera",     "serai",   "seraient", "serais", "serait",  "seras",
        "serez",   "seriez",   "serions",  "serons",  "seront",   "ses",    "soient",  "sois",
        "soit",    "sommes",   "son",      "sont",    "soyez",    "soyons", "suis",    "sur",
        "t",       "ta",       "te",       "tes",     "toi",      "ton",    "tu",      "un",
        "une",     "vos",      "votre",    "vous",    "y",
    };
    return words;
}

}  // namespace

bool Analyzer::is_stopword(std::string_view folded_word) {
    return stopwords().contains(folded_word);
}

}  // namespace trouvere
