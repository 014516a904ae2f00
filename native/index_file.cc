#include "native/index_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>

#include "core/folder_sync.h"
#include "native/checksum.h"
#include "trouvere/error.h"

namespace trouvere::native {

namespace fs = std::filesystem;

namespace {

// A PNG-style magic: a byte above ASCII first and a line feed last, so that a file mangled as
// text, or a text file, is never taken for an index.
constexpr std::array<std::uint8_t, 8> kMagic = {0x89, 'T', 'R', 'V', 'N', 'A', 'T', '\n'};
constexpr std::size_t kHeaderBytes = 128;
constexpr std::size_t kChecksumAt = 120;
constexpr std::size_t kTableEntryBytes = 24;
constexpr std::size_t kChunkBytes = std::size_t{1} << 16;
constexpr std::size_t kMinChunkBytes = std::size_t{1} << 12;
constexpr std::size_t kMaxChunkBytes = std::size_t{1} << 24;
constexpr std::size_t kSectionAlignment = 64;
constexpr std::size_t kMaxUuidBytes = 64;
constexpr std::string_view kTemporaryInfix = ".tmp-";

std::size_t chunks_of(std::uint64_t length, std::size_t chunk_bytes) {
    return static_cast<std::size_t>((length + chunk_bytes - 1) / chunk_bytes);
}

std::uint64_t aligned(std::uint64_t offset) {
    return (offset + kSectionAlignment - 1) / kSectionAlignment * kSectionAlignment;
}

// The header and everything after it up to the sections, the checksum field left out.
std::uint64_t meta_checksum(Bytes meta) {
    Buffer covered(meta.begin(), meta.begin() + kChecksumAt);
    covered.insert(covered.end(), meta.begin() + kHeaderBytes, meta.end());
    return checksum(covered);
}

std::string system_message(int error) {
    return std::generic_category().message(error);
}

void write_all(int fd, Bytes bytes, const fs::path& path) {
    while (!bytes.empty()) {
        const ssize_t written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) {
            throw DatabaseError("cannot write the native index " + path.string() + ": " +
                                system_message(written < 0 ? errno : ENOSPC));
        }
        bytes = bytes.subspan(static_cast<std::size_t>(written));
    }
}

// The whole file before its sections: header, section table, chunk checksums.
Buffer front_matter(const SourceState& source, const std::vector<SectionBytes>& sections,
                    std::vector<std::uint64_t>& offsets) {
    std::size_t checksum_count = 0;
    for (const SectionBytes& section : sections) {
        checksum_count += chunks_of(section.bytes.size(), kChunkBytes);
    }
    const std::size_t meta_bytes =
        kHeaderBytes + kTableEntryBytes * sections.size() + 8 * checksum_count;
    std::uint64_t offset = aligned(meta_bytes);
    offsets.clear();
    for (const SectionBytes& section : sections) {
        offsets.push_back(offset);
        offset = aligned(offset + section.bytes.size());
    }
    const std::uint64_t file_bytes =
        offsets.empty() ? meta_bytes : offsets.back() + sections.back().bytes.size();

    Buffer meta(kMagic.begin(), kMagic.end());
    meta.reserve(meta_bytes);
    append<std::uint32_t>(meta, kFormatVersion);
    append<std::uint32_t>(meta, static_cast<std::uint32_t>(sections.size()));
    append<std::uint32_t>(meta, static_cast<std::uint32_t>(kChunkBytes));
    append<std::uint32_t>(meta, static_cast<std::uint32_t>(kHeaderBytes));
    append<std::uint64_t>(meta, file_bytes);
    append<std::uint64_t>(meta, source.revision);
    append<std::uint32_t>(meta, static_cast<std::uint32_t>(source.uuid.size()));
    append<std::uint32_t>(meta, 0);
    append_bytes(meta, source.uuid);
    meta.resize(kHeaderBytes, 0);
    for (std::size_t k = 0; k < sections.size(); ++k) {
        append<std::uint32_t>(meta, static_cast<std::uint32_t>(sections[k].id));
        append<std::uint32_t>(meta, 0);
        append<std::uint64_t>(meta, offsets[k]);
        append<std::uint64_t>(meta, sections[k].bytes.size());
    }
    for (const SectionBytes& section : sections) {
        const Bytes bytes(section.bytes);
        for (std::size_t chunk = 0; chunk * kChunkBytes < bytes.size(); ++chunk) {
            const std::size_t begin = chunk * kChunkBytes;
            append<std::uint64_t>(
                meta, checksum(bytes.subspan(begin, std::min(kChunkBytes, bytes.size() - begin))));
        }
    }
    store<std::uint64_t>(meta, kChecksumAt, meta_checksum(meta));
    return meta;
}

}  // namespace

void publish_index_file(const fs::path& folder, const SourceState& source,
                        const std::vector<SectionBytes>& sections) {
    if (source.uuid.size() > kMaxUuidBytes) {
        throw DatabaseError("database UUID '" + source.uuid + "' is too long for a native index");
    }
    std::vector<std::uint64_t> offsets;
    const Buffer meta = front_matter(source, sections, offsets);

    const fs::path target = folder / kFileName;
    const fs::path temporary = folder / (std::string(kFileName) + std::string(kTemporaryInfix) +
                                         std::to_string(::getpid()));
    std::error_code ignored;
    fs::remove(temporary, ignored);
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw DatabaseError("cannot create the native index " + temporary.string() + ": " +
                            system_message(errno));
    }
    try {
        write_all(fd, meta, temporary);
        std::uint64_t written = meta.size();
        const Buffer padding(kSectionAlignment, 0);
        for (std::size_t k = 0; k < sections.size(); ++k) {
            write_all(fd, Bytes(padding).first(offsets[k] - written), temporary);
            write_all(fd, sections[k].bytes, temporary);
            written = offsets[k] + sections[k].bytes.size();
        }
        if (::fsync(fd) != 0) {
            throw DatabaseError("cannot sync the native index " + temporary.string() + ": " +
                                system_message(errno));
        }
        if (::close(fd) != 0) {
            throw DatabaseError("cannot write the native index " + temporary.string() + ": " +
                                system_message(errno));
        }
    } catch (...) {
        ::close(fd);
        fs::remove(temporary, ignored);
        throw;
    }
    if (::rename(temporary.c_str(), target.c_str()) != 0) {
        const int error = errno;
        fs::remove(temporary, ignored);
        throw DatabaseError("cannot move the native index into " + target.string() + ": " +
                            system_message(error));
    }
    sync_folder(folder);
}

void remove_abandoned_index_files(const fs::path& folder) {
    const std::string prefix = std::string(kFileName) + std::string(kTemporaryInfix);
    std::error_code ignored;
    for (const auto& entry : fs::directory_iterator(folder, ignored)) {
        if (entry.path().filename().string().starts_with(prefix)) fs::remove(entry.path(), ignored);
    }
}

IndexFile::Opened IndexFile::open(const fs::path& path) {
    auto refuse = [&](Refusal refusal, const std::string& why) {
        return Opened{nullptr, refusal, "native index " + path.string() + ": " + why};
    };
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return refuse(Refusal::missing, "missing");
        return refuse(Refusal::damaged, "cannot open: " + system_message(errno));
    }
    struct stat status {};
    if (::fstat(fd, &status) != 0) {
        const int error = errno;
        ::close(fd);
        return refuse(Refusal::damaged, "cannot read: " + system_message(error));
    }
    const auto size = static_cast<std::size_t>(status.st_size);
    std::array<std::uint8_t, kMagic.size()> magic{};
    if (size < magic.size() ||
        ::pread(fd, magic.data(), magic.size(), 0) != static_cast<ssize_t>(magic.size()) ||
        magic != kMagic) {
        ::close(fd);
        return refuse(Refusal::foreign, "not a trouvere native index");
    }
    if (size < kHeaderBytes) {
        ::close(fd);
        return refuse(Refusal::damaged, "shorter than its header");
    }
    void* mapping = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    const int map_error = errno;
    ::close(fd);
    if (mapping == MAP_FAILED) {
        return refuse(Refusal::damaged, "cannot map: " + system_message(map_error));
    }
    std::unique_ptr<IndexFile> file(new IndexFile());
    file->path_ = path;
    file->device_ = status.st_dev;
    file->inode_ = status.st_ino;
    file->mapping_ = mapping;
    file->mapping_size_ = size;
    const Bytes all(static_cast<const std::uint8_t*>(mapping), size);

    ByteReader header(all.subspan(kMagic.size(), kHeaderBytes - kMagic.size()));
    std::uint32_t version = 0;
    std::uint32_t section_count = 0;
    std::uint32_t chunk_bytes = 0;
    std::uint32_t header_bytes = 0;
    std::uint64_t file_bytes = 0;
    std::uint32_t uuid_length = 0;
    std::uint32_t reserved = 0;
    (void)header.fixed(version);
    if (version != kFormatVersion) {
        return refuse(Refusal::foreign, "format version " + std::to_string(version) +
                                            ", this trouvere reads version " +
                                            std::to_string(kFormatVersion));
    }
    (void)header.fixed(section_count);
    (void)header.fixed(chunk_bytes);
    (void)header.fixed(header_bytes);
    (void)header.fixed(file_bytes);
    (void)header.fixed(file->source_.revision);
    (void)header.fixed(uuid_length);
    (void)header.fixed(reserved);
    if (header_bytes != kHeaderBytes || file_bytes != size) {
        return refuse(Refusal::damaged, "its size is not the one its header gives");
    }
    if (section_count != kSectionCount || std::popcount(chunk_bytes) != 1 ||
        chunk_bytes < kMinChunkBytes || chunk_bytes > kMaxChunkBytes ||
        uuid_length > kMaxUuidBytes) {
        return refuse(Refusal::damaged, "its header does not hold");
    }
    Bytes uuid;
    (void)header.take(uuid_length, uuid);
    file->source_.uuid = std::string(as_text(uuid));
    file->chunk_bytes_ = chunk_bytes;

    Bytes table;
    if (!checked_range(all, kHeaderBytes, std::uint64_t{kTableEntryBytes} * section_count, table)) {
        return refuse(Refusal::damaged, "its section table is cut short");
    }
    ByteReader entries(table);
    struct Entry {
        std::uint32_t id = 0;
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
    };
    std::vector<Entry> read_entries(section_count);
    std::size_t checksum_count = 0;
    for (Entry& entry : read_entries) {
        (void)entries.fixed(entry.id);
        (void)entries.fixed(reserved);
        (void)entries.fixed(entry.offset);
        (void)entries.fixed(entry.length);
        if (entry.length > size) return refuse(Refusal::damaged, "a section is past its end");
        checksum_count += chunks_of(entry.length, chunk_bytes);
    }
    const std::uint64_t meta_bytes =
        kHeaderBytes + std::uint64_t{kTableEntryBytes} * section_count + 8 * checksum_count;
    if (meta_bytes > size) return refuse(Refusal::damaged, "its checksums are cut short");
    if (load<std::uint64_t>(all.data() + kChecksumAt) !=
        meta_checksum(all.first(static_cast<std::size_t>(meta_bytes)))) {
        return refuse(Refusal::damaged, "the checksum of its header does not match");
    }

    file->checksums_.resize(checksum_count);
    std::uint64_t previous_end = meta_bytes;
    std::size_t first_checksum = 0;
    std::array<bool, kSectionCount> seen{};
    for (const Entry& entry : read_entries) {
        if (entry.id == 0 || entry.id > kSectionCount || seen[entry.id - 1] ||
            entry.offset % 8 != 0 || entry.offset < previous_end) {
            return refuse(Refusal::damaged, "its section table does not hold");
        }
        Bytes bytes;
        if (!checked_range(all, entry.offset, entry.length, bytes)) {
            return refuse(Refusal::damaged, "a section is past its end");
        }
        seen[entry.id - 1] = true;
        previous_end = entry.offset + entry.length;
        file->sections_[entry.id - 1] = {bytes, first_checksum};
        first_checksum += chunks_of(entry.length, chunk_bytes);
    }
    const std::uint8_t* stored_checksums =
        all.data() + kHeaderBytes + std::size_t{kTableEntryBytes} * section_count;
    for (std::size_t k = 0; k < checksum_count; ++k) {
        file->checksums_[k] = load<std::uint64_t>(stored_checksums + 8 * k);
    }
    file->chunk_state_ = std::vector<std::atomic<std::uint8_t>>(checksum_count);
    return {std::move(file), Refusal::none, {}};
}

IndexFile::~IndexFile() {
    if (mapping_ != nullptr) ::munmap(mapping_, mapping_size_);
}

Bytes IndexFile::section(SectionId id) const {
    return sections_[static_cast<std::uint32_t>(id) - 1].bytes;
}

bool IndexFile::verify(SectionId id, std::size_t offset, std::size_t length) const {
    const Section& section = sections_[static_cast<std::uint32_t>(id) - 1];
    if (offset > section.bytes.size() || length > section.bytes.size() - offset) return false;
    if (length == 0) return true;
    const std::size_t last = (offset + length - 1) / chunk_bytes_;
    for (std::size_t chunk = offset / chunk_bytes_; chunk <= last; ++chunk) {
        std::atomic<std::uint8_t>& state = chunk_state_[section.first_checksum + chunk];
        std::uint8_t known = state.load(std::memory_order_relaxed);
        if (known == 0) {
            const std::size_t begin = chunk * chunk_bytes_;
            const Bytes bytes =
                section.bytes.subspan(begin, std::min(chunk_bytes_, section.bytes.size() - begin));
            known = checksum(bytes) == checksums_[section.first_checksum + chunk] ? 1 : 2;
            state.store(known, std::memory_order_relaxed);
        }
        if (known != 1) return false;
    }
    return true;
}

}  // namespace trouvere::native
