#pragma once

// The native index's container: one file in the database folder, `trouvere.native`, holding a
// header (magic, format version, the Xapian database state it was built from), a table of
// sections, a checksum for every 64 KiB chunk of every section, then the sections. Written to a
// temporary file, synced and renamed into place, so that a reader, or a crash, sees the old file
// or the new one and never a torn one. docs/NATIVE_FORMAT.md describes the bytes.

#include <sys/types.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "native/byte_io.h"

namespace trouvere::native {

inline constexpr std::string_view kFileName = "trouvere.native";
inline constexpr std::uint32_t kFormatVersion = 5;

enum class SectionId : std::uint32_t {
    stats = 1,         ///< collection_stats.h
    documents = 2,     ///< document_table.h
    term_index = 3,    ///< term_dictionary.h: the first term of each block
    term_blocks = 4,   ///< term_dictionary.h: front-coded terms and where their lists are
    postings = 5,      ///< postings.h
    positions = 6,     ///< positions.h
    record_table = 7,  ///< document_records.h: where each document's stored records are
    records = 8,       ///< document_records.h: the stored records
    values = 9,        ///< document_values.h: each document's day and source
    spelling = 10,     ///< spelling_dictionary.h: the surface words, for "did you mean"
};
inline constexpr std::uint32_t kSectionCount = 10;

/// The Xapian database state an index was built from: the database's UUID (a new database, a
/// first build's swap included, has a new one) and the revision of its last commit.
struct SourceState {
    std::string uuid;
    std::uint64_t revision = 0;
    bool operator==(const SourceState&) const = default;
};

struct SectionBytes {
    SectionId id;
    Buffer bytes;
};

/// Writes `sections` with `source` as `folder`/kFileName: into a temporary file in `folder`,
/// synced, renamed over the old file, then the folder synced. Throws DatabaseError when any step
/// fails, after removing the temporary file; the old file is then untouched.
void publish_index_file(const std::filesystem::path& folder, const SourceState& source,
                        const std::vector<SectionBytes>& sections);

/// Removes the temporary files of writers that were killed while writing in `folder`. Only for
/// the holder of the database's writer lock: another writer's file would go too.
void remove_abandoned_index_files(const std::filesystem::path& folder);

/// Why an index file cannot be used.
enum class Refusal {
    none,
    missing,  ///< no file
    foreign,  ///< not a native index, or of another format version
    damaged,  ///< a checksum or a structure does not hold
};

/// A native index file mapped read-only. Opening checks the header, the section table and the
/// checksums of both; the sections' own chunks are checked on first use (verify()), so that
/// opening costs little more than the system calls and a query pays only for what it reads.
/// The mapping stays valid when the file is replaced or removed.
class IndexFile {
public:
    struct Opened {
        std::unique_ptr<IndexFile> file;
        Refusal refusal = Refusal::none;
        std::string reason;  ///< for people, naming the file
    };

    /// Never throws for a bad file: a refusal says what is wrong.
    [[nodiscard]] static Opened open(const std::filesystem::path& path);

    ~IndexFile();
    IndexFile(const IndexFile&) = delete;
    IndexFile& operator=(const IndexFile&) = delete;

    [[nodiscard]] const SourceState& source() const { return source_; }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    /// Device and inode of the file that was opened, to notice a replacement.
    [[nodiscard]] dev_t device() const { return device_; }
    [[nodiscard]] ino_t inode() const { return inode_; }

    /// A section's bytes inside the mapping, not yet checked against their checksums.
    [[nodiscard]] Bytes section(SectionId id) const;

    /// Checks the checksums of the chunks of section `id` that hold [offset, offset + length),
    /// each chunk once in the life of this object. False when one does not match, or the range
    /// is outside the section.
    [[nodiscard]] bool verify(SectionId id, std::size_t offset, std::size_t length) const;

private:
    IndexFile() = default;

    struct Section {
        Bytes bytes;
        std::size_t first_checksum = 0;  // index into checksums_
    };

    std::filesystem::path path_;
    SourceState source_;
    dev_t device_ = 0;
    ino_t inode_ = 0;
    void* mapping_ = nullptr;
    std::size_t mapping_size_ = 0;
    std::size_t chunk_bytes_ = 0;
    std::array<Section, kSectionCount> sections_{};
    std::vector<std::uint64_t> checksums_;
    // 0: not checked yet, 1: checked and sound, 2: checked and damaged.
    mutable std::vector<std::atomic<std::uint8_t>> chunk_state_;
};

}  // namespace trouvere::native
