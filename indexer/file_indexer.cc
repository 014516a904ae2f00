#include "trouvere/file_indexer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "core/term_scheme.h"
#include "readers/readers.h"
#include "trouvere/error.h"

namespace fs = std::filesystem;

namespace trouvere {

namespace {

using scheme::kSourcePrefix;
using scheme::source_key;

// The record of an indexed file, as scheme::kSourcePrefix describes it.
struct SourceRecord {
    std::string path;
    std::uintmax_t size = 0;
    std::int64_t mtime = 0;
    std::string hash;
    std::vector<std::string> ids;
};

std::string encode(const SourceRecord& record) {
    return nlohmann::json{{"path", record.path},
                          {"size", record.size},
                          {"mtime", record.mtime},
                          {"hash", record.hash},
                          {"ids", record.ids}}
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<SourceRecord> decode(const std::string& text) {
    auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_object()) return std::nullopt;
    try {
        SourceRecord record;
        record.path = json.at("path").get<std::string>();
        record.size = json.at("size").get<std::uintmax_t>();
        record.mtime = json.at("mtime").get<std::int64_t>();
        record.hash = json.at("hash").get<std::string>();
        record.ids = json.at("ids").get<std::vector<std::string>>();
        return record;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

struct FoundFile {
    fs::path file;
    // What the user sees in messages: the path as given, joined with the part found below it.
    std::string display_name;
    std::string id;
};

bool is_hidden(const fs::path& name) {
    std::string text = name.filename().string();
    return text.size() > 1 && text[0] == '.' && text != "..";
}

// Supported files under `argument`, in a stable order, so that runs are reproducible.
std::vector<FoundFile> find_files(const std::string& argument, IndexReport& report,
                                  const IndexOptions& options) {
    std::vector<FoundFile> found;
    fs::path given(argument);
    std::error_code error;
    auto status = fs::status(given, error);
    if (error == std::errc::no_such_file_or_directory || (!error && !fs::exists(status))) {
        throw Error("no such file or folder: " + argument);
    }
    // A symbolic link loop, a folder we may not enter: the path exists but cannot be used.
    if (error) throw Error("cannot read " + argument + ": " + error.message());

    auto warn = [&](const std::string& file, const std::string& message) {
        IndexWarning warning{file, 0, 0, false, message};
        if (options.on_warning) options.on_warning(warning);
        report.warnings.push_back(std::move(warning));
        ++report.skipped;
    };

    if (fs::is_regular_file(status)) {
        if (readers::format_of(given) == readers::Format::unsupported) {
            warn(argument, "unsupported file type (expected .txt, .md, .html or .jsonl)");
        } else {
            found.push_back({given, argument, given.filename().generic_string()});
        }
        return found;
    }
    if (!fs::is_directory(status)) {
        warn(argument, "not a regular file or folder");
        return found;
    }
    if (::access(given.c_str(), R_OK | X_OK) != 0) {
        warn(argument,
             std::string("cannot read folder: ") + std::generic_category().message(errno));
        return found;
    }
    // Hidden entries (.git, editor backups) are not documents; symbolic links to folders are not
    // followed, so a link loop cannot make the walk endless. Folders we may not enter are skipped
    // by the walk and reported below.
    fs::recursive_directory_iterator walk(given, fs::directory_options::skip_permission_denied,
                                          error);
    if (error) {
        warn(argument, "cannot read folder: " + error.message());
        return found;
    }
    for (auto end = fs::recursive_directory_iterator(); walk != end; walk.increment(error)) {
        if (error) {
            warn(argument, "cannot read folder: " + error.message());
            break;
        }
        const fs::directory_entry& entry = *walk;
        if (is_hidden(entry.path())) {
            if (entry.is_directory(error)) walk.disable_recursion_pending();
            continue;
        }
        std::string relative = entry.path().lexically_relative(given).generic_string();
        std::string display_name = (given / relative).generic_string();
        if (entry.is_directory(error) && !entry.is_symlink(error) &&
            ::access(entry.path().c_str(), R_OK | X_OK) != 0) {
            warn(display_name,
                 std::string("cannot read folder: ") + std::generic_category().message(errno));
            walk.disable_recursion_pending();
            continue;
        }
        if (readers::format_of(entry.path()) == readers::Format::unsupported) continue;
        bool regular = entry.is_regular_file(error);
        if (error) {
            // A broken symbolic link, or a loop of them: listed, but there is nothing to read.
            warn(display_name, "cannot read file: " + error.message());
            error.clear();
            continue;
        }
        if (!regular) continue;
        found.push_back({entry.path(), display_name, relative});
    }
    std::sort(found.begin(), found.end(),
              [](const FoundFile& a, const FoundFile& b) { return a.id < b.id; });
    return found;
}

struct FileContent {
    /// The first `limit` bytes of the file at most.
    std::string bytes;
    /// The file's size when it was opened.
    std::uintmax_t size = 0;
    /// There was more than `limit` bytes to read.
    bool truncated = false;
    /// Why the file could not be read; empty when it was.
    std::string error;
};

// Reads at most `limit` bytes, so that memory stays bounded whatever the file's size. A file
// replaced by a FIFO or a device since it was listed is refused, not waited on: opening does not
// block, and only a regular file is read.
FileContent read_file(const fs::path& file, std::size_t limit) {
    FileContent content;
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        content.error = std::generic_category().message(errno);
        return content;
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        content.error = std::generic_category().message(errno);
    } else if (!S_ISREG(info.st_mode)) {
        content.error = "not a regular file";
    }
    if (!content.error.empty()) {
        ::close(fd);
        return content;
    }
    content.size = static_cast<std::uintmax_t>(info.st_size);
    content.bytes.resize(std::min<std::uintmax_t>(content.size, limit));
    std::size_t filled = 0;
    for (;;) {
        // The file may have grown since fstat: read on to the limit, then see if more is there.
        if (filled == content.bytes.size() && filled < limit) {
            content.bytes.resize(std::min(limit, std::max<std::size_t>(2 * filled, 65536)));
        }
        char extra = 0;
        bool at_limit = filled == limit;
        ssize_t n = at_limit
                        ? ::read(fd, &extra, 1)
                        : ::read(fd, content.bytes.data() + filled, content.bytes.size() - filled);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            content.error = std::generic_category().message(errno);
            break;
        }
        if (n == 0) break;
        if (at_limit) {
            content.truncated = true;
            break;
        }
        filled += static_cast<std::size_t>(n);
    }
    ::close(fd);
    content.bytes.resize(filled);
    return content;
}

IndexWarning truncation_warning(const std::string& display_name, readers::Format format,
                                const FileContent& content, std::size_t kept) {
    std::string_view bytes(content.bytes.data(), kept);
    std::size_t line = 1 + static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), '\n'));
    std::string message = "file of " + std::to_string(content.size) + " bytes is longer than the " +
                          std::to_string(content.bytes.size()) + "-byte limit: ";
    message += format == readers::Format::json_lines
                   ? "lines from line " + std::to_string(line) + " on are not read"
                   : "only its first " + std::to_string(kept) + " bytes are read";
    IndexWarning warning{display_name, line, kept, true, std::move(message)};
    warning.skipped = false;
    return warning;
}

class FileIndexer {
public:
    FileIndexer(IndexWriter& writer, const IndexOptions& options)
        : writer_(writer), options_(options) {}

    void index(const std::vector<std::string>& arguments) {
        claim_shard();
        for (const std::string& argument : arguments) {
            for (const FoundFile& found : find_files(argument, report_, options_)) {
                index_file(found);
                ++progress_.files_seen;
                progress_.current_file = found.display_name;
                if (options_.on_progress) options_.on_progress(progress_);
                commit_if_due();
            }
        }
        if (options_.prune) {
            progress_.pruning = true;
            if (options_.on_progress) options_.on_progress(progress_);
            prune();
        }
    }

    IndexReport take_report() { return std::move(report_); }

private:
    void commit_if_due() {
        if (options_.commit_every == 0 || writer_.builds_in_bulk()) return;
        if (progress_.documents_written - written_at_last_commit_ < options_.commit_every) return;
        if (options_.before_commit) options_.before_commit(progress_);
        writer_.commit_progress();
        written_at_last_commit_ = progress_.documents_written;
        if (options_.after_commit) options_.after_commit(progress_);
    }

    // An unchanged file keeps the ids it owns in this run as if it had written them again, so
    // that a later file cannot take one over: a run that resumes after a commit, with the
    // files before it unchanged, then decides exactly as one that wrote them.
    void claim(const SourceRecord& record, const std::string& display_name) {
        for (const std::string& id : record.ids) ids_claimed_.try_emplace(id, display_name);
    }

    void warn(IndexWarning warning) {
        if (options_.on_warning) options_.on_warning(warning);
        if (warning.skipped) ++report_.skipped;
        report_.warnings.push_back(std::move(warning));
    }

    void index_file(const FoundFile& found) {
        std::error_code error;
        fs::path absolute = fs::absolute(found.file, error).lexically_normal();
        std::string absolute_path = absolute.string();
        std::string key = source_key(absolute_path);
        seen_keys_.insert(key);

        auto size = fs::file_size(found.file, error);
        auto mtime = fs::last_write_time(found.file, error);
        std::int64_t mtime_ns =
            std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();
        std::optional<SourceRecord> previous;
        if (auto stored = writer_.metadata(key)) previous = decode(*stored);
        if (previous && !error && previous->size == size && previous->mtime == mtime_ns) {
            report_.unchanged += previous->ids.size();
            claim(*previous, found.display_name);
            return;
        }

        readers::Format format = readers::format_of(found.file);
        FileContent content = read_file(found.file, readers::max_file_bytes(format));
        if (!content.error.empty()) {
            warn({found.display_name, 0, 0, false, "cannot read file: " + content.error});
            return;
        }
        std::string_view bytes = content.bytes;
        if (content.truncated) {
            bytes = bytes.substr(0, readers::readable_prefix(format, bytes));
            warn(truncation_warning(found.display_name, format, content, bytes.size()));
        }
        // The hash covers what is indexed: a change past the limit changes nothing indexed.
        std::string hash = scheme::hex_hash(bytes);
        if (previous && previous->hash == hash) {
            // Touched but not changed: remember the new mtime so the next run skips it cheaply.
            previous->size = content.size;
            previous->mtime = mtime_ns;
            writer_.set_metadata(key, encode(*previous));
            report_.unchanged += previous->ids.size();
            claim(*previous, found.display_name);
            return;
        }

        auto result = readers::read_document_file(format, bytes, found.display_name, found.id);
        bool skipped_some =
            std::any_of(result.warnings.begin(), result.warnings.end(),
                        [](const IndexWarning& warning) { return warning.skipped; });
        for (auto& warning : result.warnings) warn(std::move(warning));
        if (result.documents.empty() && previous) {
            // A file that now yields nothing (say, a bad save) keeps its last good documents:
            // nothing is lost until the file is fixed or removed and pruned.
            return;
        }

        SourceRecord record{absolute_path, content.size, mtime_ns, hash, {}};
        std::set<std::string> new_ids;
        for (Document& document : result.documents) {
            if (options_.shards > 1 && shard_of(document.id, options_.shards) != options_.shard) {
                continue;
            }
            auto [owner, first_use] = ids_claimed_.try_emplace(document.id, found.display_name);
            if (!first_use && owner->second != found.display_name) {
                warn({found.display_name, 0, 0, false,
                      "id '" + document.id + "' already used by " + owner->second + "; skipped"});
                continue;
            }
            document.path = absolute_path;
            bool existed = writer_.contains(document.id);
            writer_.add_or_replace(document);
            ++(existed ? report_.updated : report_.added);
            ++progress_.documents_written;
            new_ids.insert(document.id);
            record.ids.push_back(document.id);
        }
        if (previous) {
            for (const std::string& old_id : previous->ids) {
                if (new_ids.contains(old_id)) continue;
                if (skipped_some) {
                    // A skipped line may be the one that held this id: keep the old document
                    // and keep owning it, rather than lose it to a typo.
                    record.ids.push_back(old_id);
                    continue;
                }
                if (writer_.remove(old_id)) ++report_.deleted;
            }
        }
        writer_.set_metadata(key, encode(record));
    }

    void prune() {
        for (const std::string& key : writer_.metadata_keys(kSourcePrefix)) {
            if (seen_keys_.contains(key)) continue;
            auto stored = writer_.metadata(key);
            auto record = stored ? decode(*stored) : std::nullopt;
            if (!record) continue;
            std::error_code error;
            if (fs::exists(record->path, error) || error) continue;
            for (const std::string& id : record->ids) {
                if (writer_.remove(id)) ++report_.deleted;
            }
            writer_.set_metadata(key, "");
        }
    }

    // Checks that the database holds the shard asked for (or every document), and records it.
    void claim_shard() {
        if (options_.shards == 0 || options_.shard == 0 || options_.shard > options_.shards) {
            throw Error("shard " + std::to_string(options_.shard) + "/" +
                        std::to_string(options_.shards) +
                        ": a shard is numbered from 1 to the number of shards");
        }
        const std::string key(scheme::kShardKey);
        const std::string asked = options_.shards > 1 ? std::to_string(options_.shard) + "/" +
                                                            std::to_string(options_.shards)
                                                      : std::string();
        const std::string held = writer_.metadata(key).value_or("");
        if (held == asked) return;
        const auto described = [](const std::string& part) {
            return part.empty() ? std::string("every document") : "shard " + part;
        };
        if (!held.empty() || writer_.document_count() > 0) {
            throw Error("database " + writer_.path() + " holds " + described(held) + ", not " +
                        described(asked) + "; index " + described(asked) +
                        " into another database");
        }
        writer_.set_metadata(key, asked);
    }

    IndexWriter& writer_;
    const IndexOptions& options_;
    IndexReport report_;
    IndexProgress progress_;
    std::set<std::string> seen_keys_;
    std::size_t written_at_last_commit_ = 0;
    // Ids written (or kept by an unchanged file) in this run and the file each came from, to
    // catch two files claiming one id.
    std::map<std::string, std::string> ids_claimed_;
};

}  // namespace

std::uint32_t shard_of(std::string_view id, std::uint32_t shards) {
    return static_cast<std::uint32_t>(scheme::stable_hash(id) % shards) + 1;
}

IndexReport index_paths(IndexWriter& writer, const std::vector<std::string>& paths,
                        const IndexOptions& options) {
    FileIndexer indexer(writer, options);
    indexer.index(paths);
    return indexer.take_report();
}

}  // namespace trouvere
