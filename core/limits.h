#pragma once

// Size limits on what trouvere reads and answers. Each one turns input that would otherwise cost
// unbounded time or memory (a 200 MB one-line file, a page of 100,000 nested <div>s, a query of
// 10,000 words) into bounded work with a warning or a clear error. The README's "Limits" section
// lists them for users; tests/hostile_input_test.cc checks each one on both sides.

#include <cstddef>

namespace trouvere::limits {

inline constexpr std::size_t kMiB = std::size_t{1024} * 1024;

/// Bytes read from a .txt, .md or .html file; the rest is left unread, with a warning. Four times
/// kMaxBodyBytes, so that a page heavy with markup still yields a full body. It bounds the worst
/// case: gumbo's tree costs about 100 bytes per element, so a page of nothing but tags takes
/// some 450 MB and two seconds to parse at this size (twice that at 8 MiB); ordinary text files
/// and pages take a fraction of it.
inline constexpr std::size_t kMaxFileBytes = 4 * kMiB;

/// Bytes read from a .jsonl file: the file is held in memory with the documents read from it,
/// and indexing it peaks at five to six times its size (a 100 MB export: 505 MB into an existing
/// database, 640 MB into a new one), so about 1.5 GB at this limit. The benchmark export is
/// 72 MB; larger exports can be split into several files.
inline constexpr std::size_t kMaxJsonLinesFileBytes = 256 * kMiB;

/// A JSON Lines record longer than this is skipped: a cut JSON text does not parse, and parsing
/// costs several times the line's size in memory. Four times kMaxBodyBytes leaves room for
/// escapes (`\n`, `\"`, `\u00e9`) in a record whose body is at the body limit.
inline constexpr std::size_t kMaxJsonLineBytes = 4 * kMiB;

/// Body text indexed and stored per document; longer text is cut (on a UTF-8 boundary, before a
/// split word) with a warning. Analysis and the Xapian document cost about 40 times the text in
/// memory while a document is indexed, and every search that shows a snippet of it reads the
/// whole stored body again: 1 MiB is twenty times a long news article and keeps both bounded.
inline constexpr std::size_t kMaxBodyBytes = kMiB;

/// A title is a line: longer ones (a whole paragraph exported as `title`) are cut and end in "…".
inline constexpr std::size_t kMaxTitleBytes = 1024;

/// Source and URL fields; longer values are cut. 4 KiB holds any URL that browsers accept.
inline constexpr std::size_t kMaxFieldBytes = 4096;

/// A JSON Lines record whose id is longer is skipped: an id cannot be cut without merging two
/// documents. 4 KiB is PATH_MAX, so every file id (a relative path) fits.
inline constexpr std::size_t kMaxIdBytes = 4096;

/// HTML elements nested deeper than this are flattened before parsing: their tags are dropped and
/// their text kept. Gumbo checks the stack of open elements on most start tags, so its time grows
/// with depth times tags (100,000 nested <div>s took a minute); browsers stop nesting at the same
/// depth (Chromium's parser at 512).
inline constexpr std::size_t kMaxHtmlDepth = 512;

/// Query text, in bytes of UTF-8: fifty times any query a person types, room for generated ones.
inline constexpr std::size_t kMaxQueryBytes = 10'000;

/// Words in a query after analysis (phrase words and excluded words included). Each is a Xapian
/// posting list to merge and a word to look for in every snippet; 1024 is the clause limit that
/// Lucene long used by default.
inline constexpr std::size_t kMaxQueryTerms = 1024;

}  // namespace trouvere::limits
