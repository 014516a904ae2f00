#pragma once

// How documents are laid out in the Xapian database. Indexing and searching both include this
// file, so the two cannot drift apart; the README's "Term scheme" section explains the design.

#include <xapian.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace trouvere::scheme {

/// Written at creation; the searcher refuses databases without it (or with another version), so
/// that a change of scheme is caught instead of silently returning nothing.
inline constexpr std::string_view kSchemeKey = "trouvere:scheme";
inline constexpr std::string_view kSchemeVersion = "8";

/// True when `version` names an older scheme than kSchemeVersion (a database to rebuild).
[[nodiscard]] bool is_older_version(std::string_view version);

/// Unique id term: `Q` + document id.
inline constexpr std::string_view kIdPrefix = "Q";
/// Title words (folded stems, with positions) for `title:` queries.
inline constexpr std::string_view kTitlePrefix = "S";
/// Accented stems, without positions, only for words whose accents change their stem.
inline constexpr std::string_view kAccentedPrefix = "A";
// Folded stems of title and body have no prefix and carry the positions phrases need.

/// ISO date, so that string order is date order.
inline constexpr Xapian::valueno kDateSlot = 0;
/// Every stored field but the body (stored::encode_header), for hits shown without a snippet.
inline constexpr Xapian::valueno kHeaderSlot = 1;
/// The header again, the body's word offsets and sentence breaks, and the body compressed
/// (stored::encode_full_record): all a hit shown with a snippet reads. The document data is empty.
inline constexpr Xapian::valueno kFullRecordSlot = 2;

/// Title words count this many times in the unprefixed family: a word in the title says more
/// about a news article than the same word once in its body.
inline constexpr Xapian::termcount kTitleWdf = 3;
/// Position gap between title and body, so that a phrase never spans the two.
inline constexpr Xapian::termpos kBodyPositionGap = 100;

/// The id term, shortened with a hash when the id would pass Xapian's 245-byte term limit.
[[nodiscard]] std::string id_term(std::string_view id);

/// 64-bit FNV-1a: stable across builds and platforms, unlike std::hash, so it can be stored.
[[nodiscard]] std::uint64_t stable_hash(std::string_view bytes);

/// stable_hash(bytes) as 16 lowercase hex digits, leading zeros kept.
[[nodiscard]] std::string hex_hash(std::string_view bytes);

}  // namespace trouvere::scheme
