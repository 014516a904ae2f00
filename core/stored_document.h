#pragma once

#include <string>
#include <string_view>

#include "trouvere/document.h"

namespace trouvere::stored {

/// The document data Xapian keeps for each document: every field of Document, so that results
/// and snippets need nothing but the database. Laid out as a one-line JSON object with every
/// field but the body, a newline, then the body as it is: a hit shown without a snippet reads
/// only the small header, and one with a snippet takes the body without unescaping it.
[[nodiscard]] std::string encode(const Document& document);

/// Inverse of encode(). With `with_body` false the body is left empty and not even looked at.
/// A record that does not parse gives a Document with only what could be read.
[[nodiscard]] Document decode(std::string_view data, bool with_body = true);

}  // namespace trouvere::stored
