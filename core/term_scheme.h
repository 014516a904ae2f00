#pragma once

// How documents are laid out in the Xapian database. Indexing and searching both include this
// file, so the two cannot drift apart; docs/DESIGN.md ("Term scheme") explains the design.

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trouvere::scheme {

/// Written at creation; the searcher refuses databases without it (or with another version), so
/// that a change of scheme is caught instead of silently returning nothing.
inline constexpr std::string_view kSchemeKey = "trouvere:scheme";
inline constexpr std::string_view kSchemeVersion = "10";

/// Which shard of a cluster a database holds, `K/N` (search-index --shard), when it is one: a
/// cluster refuses a shard of another number of shards, or two holding the same one.
inline constexpr std::string_view kShardKey = "trouvere:shard";

/// In a shard, its word and exact-word terms with their frequencies (native::encode_word_terms),
/// written with every commit: what "did you mean" over a cluster reads, in one round trip.
inline constexpr std::string_view kWordTermsKey = "trouvere:word-terms";

/// True when `version` names an older scheme than kSchemeVersion (a database to rebuild).
[[nodiscard]] bool is_older_version(std::string_view version);

/// Unique id term: `Q` + document id.
inline constexpr std::string_view kIdPrefix = "Q";
/// Title words (folded stems, with positions) for `title:` queries.
inline constexpr std::string_view kTitlePrefix = "S";
/// Accented stems, without positions, only for words whose accents change their stem.
inline constexpr std::string_view kAccentedPrefix = "A";
/// Words as written, folded (`armees` for `Armées`), without positions: the word as typed
/// ranks above the other words of its stem. Stopwords have none.
inline constexpr std::string_view kWordPrefix = "W";
/// Words as written with their accents (`armées`), only for words with accents, without
/// positions: a word typed with accents ranks the documents spelling it so first.
inline constexpr std::string_view kExactWordPrefix = "E";
/// The whole title, its words folded and joined by single spaces (`armee francaise`), bounded
/// as bounded_key says: a query equal to a title ranks that document first.
inline constexpr std::string_view kWholeTitlePrefix = "T";
// Folded stems of title and body have no prefix and carry the positions phrases need.

/// Whether `term`'s family is indexed with positions: folded stems and title words are, the
/// other prefixed families never. Reading a term's positions from Xapian costs a B-tree lookup per
/// document even when there are none, so readers ask this first.
[[nodiscard]] bool has_positions(std::string_view term);

/// The date, `YYYY-MM-DD` (dates::parse_iso_day holds for it), so that string order is date
/// order: date filters, date sorts and year counts read it. Undated documents have none.
inline constexpr Xapian::valueno kDateSlot = 0;
/// Every stored field but the body (stored::encode_header), for hits shown without a snippet.
inline constexpr Xapian::valueno kHeaderSlot = 1;
/// The header again, the body's word offsets and sentence breaks, and the body compressed
/// (stored::encode_full_record): all a hit shown with a snippet reads. The document data is empty.
inline constexpr Xapian::valueno kFullRecordSlot = 2;
/// The source as stored in the header, for counting matches by source. Documents without a
/// source have none.
inline constexpr Xapian::valueno kSourceSlot = 3;

/// Title words count this many times in the unprefixed family: a word in the title says more
/// about a news article than the same word once in its body.
inline constexpr Xapian::termcount kTitleWdf = 3;
/// Position gap between title and body, so that a phrase never spans the two.
inline constexpr Xapian::termpos kBodyPositionGap = 100;

/// Xapian bounds terms and metadata keys at 245 bytes. A key or term built from text of any
/// length (an id, a path) keeps at most this many bytes of it, then `#` and hex_hash of the whole
/// text: unique in practice, and still readable in a database dump.
inline constexpr std::size_t kKeptTextBytes = 200;

/// `prefix` + `text`, shortened as kKeptTextBytes says when `text` is longer.
[[nodiscard]] std::string bounded_key(std::string_view prefix, std::string_view text);

/// The whole-title term of a title whose words fold to `folded_words`.
[[nodiscard]] std::string whole_title_term(const std::vector<std::string_view>& folded_words);

/// The id term: kIdPrefix + the document id, bounded.
[[nodiscard]] std::string id_term(std::string_view id);

/// Each indexed file has a metadata record under kSourcePrefix + its absolute path (bounded),
/// committed with its documents: a JSON object with the file's `path`, `size`, `mtime` (seconds),
/// content `hash` (hex_hash) and the `ids` of the documents it gave. That is what makes runs
/// incremental, replaces the documents of a changed file, and lets --prune find documents whose
/// file is gone.
inline constexpr std::string_view kSourcePrefix = "source:";
[[nodiscard]] std::string source_key(std::string_view absolute_path);

/// 64-bit FNV-1a: stable across builds and platforms, unlike std::hash, so it can be stored.
[[nodiscard]] std::uint64_t stable_hash(std::string_view bytes);

/// stable_hash(bytes) as 16 lowercase hex digits, leading zeros kept.
[[nodiscard]] std::string hex_hash(std::string_view bytes);

}  // namespace trouvere::scheme
