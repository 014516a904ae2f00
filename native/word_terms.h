#pragma once

// The word terms of a shard, kept in its metadata for "did you mean" over a cluster. Xapian's
// remote backend sends a database's terms one message each: reading a shard's words took seconds
// where one metadata value, read in one round trip, takes milliseconds.

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "native/spelling_dictionary.h"

namespace trouvere::native {

/// Word terms (scheme::kWordPrefix) and exact-word terms (scheme::kExactWordPrefix) with their
/// frequencies, in byte order, viewing `text`.
struct WordTerms {
    std::string text;
    std::vector<IndexedTerm> terms;
};

/// The value of scheme::kWordTermsKey for `database` as it is now, uncommitted changes of a
/// WritableDatabase included: its word and exact-word terms, stamped with its document count,
/// last document number and total length, with a checksum, compressed. The stamp is what a
/// searcher reads of a shard without asking (Xapian's remote backend tells no revision): a change
/// that keeps all three, such as a document replaced by one of the same length by a writer that
/// does not keep the terms, goes unseen.
[[nodiscard]] std::string encode_word_terms(const Xapian::Database& database);

/// The terms of `value`, which encode_word_terms() wrote, when its stamp is `database`'s: nullopt
/// when the database changed since (written by a writer that does not keep the value) or the value
/// is damaged.
[[nodiscard]] std::optional<WordTerms> decode_word_terms(std::string_view value,
                                                         const Xapian::Database& database);

/// The terms of every list, in byte order, a term of several lists once with its frequencies
/// added (up to 2^32 - 1): the terms of the databases together. Views the lists' texts.
[[nodiscard]] std::vector<IndexedTerm> merged_terms(std::span<const WordTerms> lists);

}  // namespace trouvere::native
