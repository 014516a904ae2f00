#pragma once

#include <string>
#include <string_view>

#include "trouvere/document.h"

namespace trouvere::stored {

// What Xapian keeps for each document, so that results and snippets need nothing but the
// database. The body is the document data. Every other field is the header, kept in value slot
// scheme::kHeaderSlot: Xapian compresses document data, and reading a hit's title through it
// meant inflating the whole body, which was half the time of a rare-word query on the Littré.
// Value chunks are not compressed, so a hit shown without a snippet never touches the body.

/// The header of `document` (every field but the body), for value slot scheme::kHeaderSlot.
/// Each field is a varint byte length followed by the bytes, in a fixed order.
[[nodiscard]] std::string encode_header(const Document& document);

/// Inverse of encode_header(); the body is left empty. A damaged header gives a Document with
/// the fields read before the damage, without throwing.
[[nodiscard]] Document decode_header(std::string_view header);

}  // namespace trouvere::stored
