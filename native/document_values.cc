#include "native/document_values.h"

#include <algorithm>
#include <stdexcept>

#include "trouvere/error.h"

namespace trouvere::native {

namespace {

// Docids per summary of days: a run whose days all lie outside a range costs one comparison.
constexpr std::uint32_t kDocidsPerSummary = 128;

bool in_range(dates::DayNumber day, dates::DayNumber first_day, dates::DayNumber last_day) {
    return day != dates::kNoDay && day >= first_day && day <= last_day;
}

}  // namespace

DocumentValuesWriter::DocumentValuesWriter(std::uint32_t last_docid)
    : days_(last_docid, dates::kNoDay), sources_(last_docid, kNoSource) {}

void DocumentValuesWriter::check_docid(std::uint32_t docid) const {
    if (docid < 1 || docid > days_.size()) {
        throw std::logic_error("document values are set for docids 1 to the last docid");
    }
}

void DocumentValuesWriter::set_day(std::uint32_t docid, dates::DayNumber day) {
    check_docid(docid);
    if (!dates::is_day(day)) throw std::logic_error("a document's day must exist");
    days_[docid - 1] = day;
}

void DocumentValuesWriter::set_source(std::uint32_t docid, std::string_view source) {
    check_docid(docid);
    if (source.empty()) throw std::logic_error("an empty source is no source");
    auto [where, added] =
        ordinals_.try_emplace(std::string(source), static_cast<std::uint32_t>(names_.size() + 1));
    if (added) names_.push_back(where->first);
    sources_[docid - 1] = where->second;
}

Buffer DocumentValuesWriter::bytes() const {
    std::vector<std::uint32_t> by_name(names_.size());
    for (std::uint32_t k = 0; k < by_name.size(); ++k) by_name[k] = k;
    std::sort(by_name.begin(), by_name.end(),
              [&](std::uint32_t a, std::uint32_t b) { return names_[a] < names_[b]; });
    // Provisional ordinal k + 1 becomes final[k].
    std::vector<std::uint32_t> final_ordinal(names_.size());
    for (std::uint32_t rank = 0; rank < by_name.size(); ++rank) {
        final_ordinal[by_name[rank]] = rank + 1;
    }
    Buffer out;
    out.reserve(8 * days_.size());
    for (dates::DayNumber day : days_) append<std::uint32_t>(out, day);
    for (std::uint32_t source : sources_) {
        append<std::uint32_t>(out, source == kNoSource ? kNoSource : final_ordinal[source - 1]);
    }
    append<std::uint32_t>(out, static_cast<std::uint32_t>(names_.size()));
    std::uint64_t end = 0;
    for (std::uint32_t name : by_name) {
        end += names_[name].size();
        if (end > UINT32_MAX) {
            throw DatabaseError("the database's sources are too long for a native index");
        }
        append<std::uint32_t>(out, static_cast<std::uint32_t>(end));
    }
    for (std::uint32_t name : by_name) append_bytes(out, names_[name]);
    return out;
}

std::optional<DocumentValues> DocumentValues::open(Bytes bytes, const DocumentTable& documents,
                                                   std::uint32_t last_docid, std::string& why) {
    DocumentValues values;
    values.last_docid_ = last_docid;
    ByteReader reader(bytes);
    Bytes ends;
    if (!reader.take(8 * std::size_t{last_docid}, values.bytes_) ||
        !reader.fixed(values.source_count_) ||
        !reader.take(4 * std::size_t{values.source_count_}, ends)) {
        why = "its document values are cut short";
        return std::nullopt;
    }
    values.source_ends_ = ends;
    const std::uint32_t total =
        values.source_count_ == 0 ? 0 : load<std::uint32_t>(ends.data() + ends.size() - 4);
    if (reader.remaining() != total) {
        why = "its table of sources does not end where its section does";
        return std::nullopt;
    }
    (void)reader.take(total, values.source_bytes_);
    std::uint32_t previous_end = 0;
    for (std::uint32_t ordinal = 1; ordinal <= values.source_count_; ++ordinal) {
        const auto end = load<std::uint32_t>(ends.data() + 4 * std::size_t{ordinal - 1});
        if (end <= previous_end || end > total) {
            why = "its table of sources has a source empty or past its strings";
            return std::nullopt;
        }
        if (ordinal > 1 && values.source_name(ordinal - 1) >= values.source_name(ordinal)) {
            why = "its sources are not distinct and in byte order";
            return std::nullopt;
        }
        previous_end = end;
    }

    values.documents_by_source_.assign(values.source_count_ + std::size_t{1}, 0);
    dates::DayNumber earliest = UINT32_MAX;
    dates::DayNumber latest = 0;
    values.summaries_.resize((std::size_t{last_docid} + kDocidsPerSummary - 1) / kDocidsPerSummary);
    for (std::uint32_t docid = 1; docid <= last_docid; ++docid) {
        const dates::DayNumber day = values.day(docid);
        const std::uint32_t source = values.source(docid);
        if (!documents.exists(docid) && (day != dates::kNoDay || source != kNoSource)) {
            why = "it holds a value for a docid no document has";
            return std::nullopt;
        }
        if (source > values.source_count_) {
            why = "a document's source is past its table of sources";
            return std::nullopt;
        }
        ++values.documents_by_source_[source];
        if (day == dates::kNoDay) continue;
        if (!dates::is_day(day)) {
            why = "a document's day does not exist";
            return std::nullopt;
        }
        DaySummary& summary = values.summaries_[(docid - 1) / kDocidsPerSummary];
        summary.earliest = std::min(summary.earliest, day);
        summary.latest = std::max(summary.latest, day);
        ++summary.dated;
        earliest = std::min(earliest, day);
        latest = std::max(latest, day);
    }
    if (std::find(values.documents_by_source_.begin() + 1, values.documents_by_source_.end(), 0) !=
        values.documents_by_source_.end()) {
        why = "its table of sources names a source no document has";
        return std::nullopt;
    }
    if (latest != 0) {
        values.first_year_ = earliest / 10000;
        values.last_year_ = latest / 10000;
    }
    return values;
}

std::string_view DocumentValues::source_name(std::uint32_t ordinal) const {
    const std::uint32_t begin =
        ordinal == 1 ? 0 : load<std::uint32_t>(source_ends_.data() + 4 * std::size_t{ordinal - 2});
    const auto end = load<std::uint32_t>(source_ends_.data() + 4 * std::size_t{ordinal - 1});
    return as_text(source_bytes_.subspan(begin, end - begin));
}

std::uint32_t DocumentValues::next_dated(std::uint32_t docid, dates::DayNumber first_day,
                                         dates::DayNumber last_day) const {
    std::uint64_t candidate = std::max<std::uint32_t>(docid, 1);
    while (candidate <= last_docid_) {
        const std::size_t run = (candidate - 1) / kDocidsPerSummary;
        const std::uint64_t run_end =
            std::min<std::uint64_t>(last_docid_, (run + 1) * std::uint64_t{kDocidsPerSummary});
        const DaySummary& summary = summaries_[run];
        if (summary.dated != 0 && summary.latest >= first_day && summary.earliest <= last_day) {
            for (; candidate <= run_end; ++candidate) {
                if (in_range(day(static_cast<std::uint32_t>(candidate)), first_day, last_day)) {
                    return static_cast<std::uint32_t>(candidate);
                }
            }
        }
        candidate = run_end + 1;
    }
    return UINT32_MAX;
}

std::uint64_t DocumentValues::count_dated(dates::DayNumber first_day,
                                          dates::DayNumber last_day) const {
    std::uint64_t count = 0;
    for (std::size_t run = 0; run < summaries_.size(); ++run) {
        const DaySummary& summary = summaries_[run];
        if (summary.dated == 0 || summary.latest < first_day || summary.earliest > last_day) {
            continue;
        }
        if (summary.earliest >= first_day && summary.latest <= last_day) {
            count += summary.dated;
            continue;
        }
        const std::uint64_t run_end =
            std::min<std::uint64_t>(last_docid_, (run + 1) * std::uint64_t{kDocidsPerSummary});
        for (std::uint64_t docid = run * kDocidsPerSummary + 1; docid <= run_end; ++docid) {
            if (in_range(day(static_cast<std::uint32_t>(docid)), first_day, last_day)) ++count;
        }
    }
    return count;
}

std::uint32_t DocumentValues::source_ordinal(std::string_view name) const {
    std::uint32_t low = 1;
    std::uint32_t high = source_count_;
    while (low <= high) {
        const std::uint32_t middle = low + (high - low) / 2;
        const std::string_view found = source_name(middle);
        if (found == name) return middle;
        if (found < name) {
            low = middle + 1;
        } else {
            high = middle - 1;
        }
    }
    return kNoSource;
}

std::uint32_t DocumentValues::next_from_source(std::uint32_t docid, std::uint32_t ordinal) const {
    for (std::uint64_t candidate = std::max<std::uint32_t>(docid, 1); candidate <= last_docid_;
         ++candidate) {
        if (source(static_cast<std::uint32_t>(candidate)) == ordinal) {
            return static_cast<std::uint32_t>(candidate);
        }
    }
    return UINT32_MAX;
}

}  // namespace trouvere::native
