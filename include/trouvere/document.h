#pragma once

#include <string>

namespace trouvere {

/// A document as the library indexes and returns it. Only `id` is required.
struct Document {
    /// Unique key: re-adding a document with the same id replaces it. For files, the path relative
    /// to the indexed folder (`000_dbeda49fb9d40084.txt`); for JSON Lines records, their `id`
    /// field.
    std::string id;
    std::string title;
    /// Plain text, paragraphs separated by blank lines; stored for snippets.
    std::string body;
    /// The day of publication, `YYYY-MM-DD` (`2024-11-22`), or empty when unknown.
    std::string date;
    /// Publisher or site name, empty when unknown.
    std::string source;
    std::string url;
    /// The file the document came from (absolute), empty for documents added through the API.
    std::string path;
};

}  // namespace trouvere
