#pragma once

#include <string>
#include <string_view>

#include "trouvere/document.h"

namespace trouvere::stored {

/// The document data Xapian keeps for each document: every field of Document, so that results
/// and snippets need nothing but the database.
[[nodiscard]] std::string encode(const Document& document);

/// Inverse of encode(); a record that does not parse gives a Document with only what could be read.
[[nodiscard]] Document decode(std::string_view data);

}  // namespace trouvere::stored
