#pragma once

// A native index opened for reading: the file's sections, each through its reader.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "native/collection_stats.h"
#include "native/damaged.h"
#include "native/document_records.h"
#include "native/document_table.h"
#include "native/document_values.h"
#include "native/index_file.h"
#include "native/postings.h"
#include "native/spelling_dictionary.h"
#include "native/term_dictionary.h"

namespace trouvere::native {

/// Immutable once opened; every const member may be called from several threads at once.
class NativeIndex : public std::enable_shared_from_this<NativeIndex> {
public:
    struct Opened {
        std::shared_ptr<const NativeIndex> index;
        Refusal refusal = Refusal::none;
        std::string reason;
    };

    /// Opens the index file at `path`. Never throws for a bad file: a refusal says what is wrong
    /// (missing, of another format, damaged), naming the file.
    [[nodiscard]] static Opened open(const std::filesystem::path& path);

    [[nodiscard]] const SourceState& source() const { return file_->source(); }
    [[nodiscard]] const IndexFile& file() const { return *file_; }
    [[nodiscard]] const CollectionStats& stats() const { return stats_; }
    [[nodiscard]] const DocumentTable& documents() const { return documents_; }
    /// Each document's day and source, checked whole when the index was opened.
    [[nodiscard]] const DocumentValues& values() const { return *values_; }

    /// Where `term`'s lists are; nullopt when no document has it. Throws Damaged.
    [[nodiscard]] std::optional<TermInfo> find_term(std::string_view term) const;

    /// A cursor over a term's postings, reading its positions too when `with_positions` (and the
    /// term has any). Throws Damaged when the lists' checksums or bounds do not hold.
    [[nodiscard]] PostingCursor cursor(const TermInfo& info, bool with_positions) const;

    /// The spelling dictionary (section 10), read where it lies, keeping the index alive. Checks
    /// and reads the whole section on each call, a pass over every word: keep what it gives.
    /// Throws Damaged when a checksum or the dictionary does not hold.
    [[nodiscard]] SpellingDictionary spelling_dictionary() const;

    /// Document `docid`'s stored header (value slot scheme::kHeaderSlot: every field but the body)
    /// and full record (scheme::kFullRecordSlot, for snippets), byte for byte as Xapian holds
    /// them, empty when it holds none; viewing the mapping, valid as long as the index. Throws
    /// Damaged when their bytes do not hold, DatabaseError when no document has that docid.
    [[nodiscard]] std::string_view header(std::uint32_t docid) const;
    [[nodiscard]] std::string_view full_record(std::uint32_t docid) const;

    /// Checks every checksum and reads every list through: damage shows now rather than when a
    /// query reaches it. Empty when the index is sound, else the first problem found.
    [[nodiscard]] std::string check() const;

private:
    NativeIndex() = default;
    [[noreturn]] void fail(const std::string& what) const;
    [[nodiscard]] std::string_view stored(std::uint32_t docid,
                                          RecordRange (DocumentRecords::*range)(std::uint32_t)
                                              const) const;

    std::unique_ptr<IndexFile> file_;
    CollectionStats stats_;
    DocumentTable documents_;
    std::optional<TermDictionary> dictionary_;
    std::optional<DocumentRecords> records_;
    std::optional<DocumentValues> values_;
};

}  // namespace trouvere::native
