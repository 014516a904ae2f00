#pragma once

// The document values: each document's day (value slot scheme::kDateSlot) and source
// (scheme::kSourceSlot) by docid, for date filters, date orders and counts by year and by source
// without a B-tree lookup per match. A source is stored as its ordinal in a table of the distinct
// sources in byte order, so that a document's takes four bytes and counting by source is counting
// ordinals; the table names them.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/dates.h"
#include "native/byte_io.h"
#include "native/document_table.h"

namespace trouvere::native {

/// The ordinal of no source; sources are numbered from 1.
inline constexpr std::uint32_t kNoSource = 0;

/// Builds the document values section for docids 1 to last_docid; a docid given no day or no
/// source has none (kNoDay, kNoSource).
class DocumentValuesWriter {
public:
    explicit DocumentValuesWriter(std::uint32_t last_docid);

    /// `docid` from 1 to last_docid and `day` a day that exists (dates::parse_iso_day gives no
    /// other), else std::logic_error.
    void set_day(std::uint32_t docid, dates::DayNumber day);
    /// `docid` from 1 to last_docid and `source` not empty, else std::logic_error.
    void set_source(std::uint32_t docid, std::string_view source);

    /// The section, the sources numbered in byte order. Throws DatabaseError when the distinct
    /// sources take 4 GiB or more.
    [[nodiscard]] Buffer bytes() const;

private:
    void check_docid(std::uint32_t docid) const;

    std::vector<dates::DayNumber> days_;
    // Provisional ordinals, in the order the sources were first met, renumbered by bytes().
    std::vector<std::uint32_t> sources_;
    std::vector<std::string> names_;
    std::unordered_map<std::string, std::uint32_t> ordinals_;
};

/// Reads the document values section. Small enough (eight bytes a docid) to be checked whole when
/// it is opened, so that its readers below trust what they read.
class DocumentValues {
public:
    /// nullopt, with `why`, when `bytes` is not one day and one source per docid of `documents`
    /// (1 to `last_docid`) and a table of sources: lengths that do not add up, a day that does not
    /// exist, an ordinal past the table, a value for a docid no document has, sources empty, not
    /// strictly ascending or never used.
    [[nodiscard]] static std::optional<DocumentValues> open(Bytes bytes,
                                                            const DocumentTable& documents,
                                                            std::uint32_t last_docid,
                                                            std::string& why);

    /// Document `docid`'s day, kNoDay when it has none; docid from 1 to last_docid.
    [[nodiscard]] dates::DayNumber day(std::uint32_t docid) const {
        return load<std::uint32_t>(bytes_.data() + 4 * (std::size_t{docid} - 1));
    }
    /// Document `docid`'s source ordinal, kNoSource when it has none; docid from 1 to last_docid.
    [[nodiscard]] std::uint32_t source(std::uint32_t docid) const {
        return load<std::uint32_t>(bytes_.data() + 4 * (std::size_t{last_docid_} + docid - 1));
    }
    [[nodiscard]] std::uint32_t source_count() const { return source_count_; }
    /// The source of ordinal `ordinal`, from 1 to source_count(), as stored.
    [[nodiscard]] std::string_view source_name(std::uint32_t ordinal) const;
    /// The ordinal of the source `name`, byte for byte as stored; kNoSource when no document has
    /// that source.
    [[nodiscard]] std::uint32_t source_ordinal(std::string_view name) const;
    /// The first docid from `docid` on whose source has ordinal `ordinal` (from 1), or
    /// UINT32_MAX when there is none.
    [[nodiscard]] std::uint32_t next_from_source(std::uint32_t docid, std::uint32_t ordinal) const;
    /// How many documents have the source of ordinal `ordinal` (from 1 to source_count()).
    [[nodiscard]] std::uint64_t count_from_source(std::uint32_t ordinal) const {
        return documents_by_source_[ordinal];
    }

    /// The first docid from `docid` on whose day lies from `first_day` to `last_day` (both
    /// included; undated documents never do), or UINT32_MAX when there is none. Runs of docids
    /// whose days all lie outside are passed a summary at a time.
    [[nodiscard]] std::uint32_t next_dated(std::uint32_t docid, dates::DayNumber first_day,
                                           dates::DayNumber last_day) const;
    /// How many documents have a day from `first_day` to `last_day`.
    [[nodiscard]] std::uint64_t count_dated(dates::DayNumber first_day,
                                            dates::DayNumber last_day) const;

    /// The years of the earliest and latest days held; both 0 when no document is dated.
    [[nodiscard]] std::uint32_t first_year() const { return first_year_; }
    [[nodiscard]] std::uint32_t last_year() const { return last_year_; }

private:
    // The days of a run of kDocidsPerSummary docids: the earliest and latest of those that are
    // dated, and how many are.
    struct DaySummary {
        dates::DayNumber earliest = UINT32_MAX;
        dates::DayNumber latest = 0;
        std::uint32_t dated = 0;
    };

    Bytes bytes_;  // the days, then the source ordinals
    Bytes source_ends_;
    Bytes source_bytes_;
    std::uint32_t last_docid_ = 0;
    std::uint32_t source_count_ = 0;
    std::uint32_t first_year_ = 0;
    std::uint32_t last_year_ = 0;
    std::vector<DaySummary> summaries_;
    // Indexed by ordinal, kNoSource's included.
    std::vector<std::uint64_t> documents_by_source_;
};

}  // namespace trouvere::native
