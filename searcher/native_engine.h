#pragma once

#include <memory>
#include <optional>
#include <string>

#include "native/native_index.h"
#include "searcher/match_engine.h"

namespace trouvere::searcher {

/// The engine over trouvere's own index (native/): ranks with the exact arithmetic of Xapian's
/// BM25Weight over the statistics Xapian keeps, so that its answers are Xapian's, and reads the
/// stored header and full record of a hit from the index too, as Xapian's value slots hold them.
/// Reading a damaged part of the index throws native::Damaged (a DatabaseError).
class NativeEngine final : public MatchEngine {
public:
    explicit NativeEngine(std::shared_ptr<const native::NativeIndex> index);

    Matches match(const TermQuery& query, const Request& request) override;
    std::string_view header(DocumentNumber document, std::string& buffer) override;
    std::string_view full_record(DocumentNumber document, std::string& buffer) override;
    /// The index's checksums cover the records, whose bodies its builder checked.
    [[nodiscard]] stored::BodyCheck body_check() const override {
        return stored::BodyCheck::vouched_for;
    }
    /// One lookup of the term and one walk of its list serve every document.
    std::vector<std::vector<std::uint32_t>> positions(
        const std::string& term, std::span<const DocumentNumber> documents) override;
    std::uint32_t frequency(const std::string& term) override;
    /// The index's own, checked on the first call.
    const native::SpellingDictionary& spelling_dictionary() override;
    [[nodiscard]] std::size_t document_count() const override;
    State state() override;
    /// The index is immutable: moving on is opening the next one (open_native_engine).
    void move_to_latest() override {}

    [[nodiscard]] const native::NativeIndex& index() const { return *index_; }

private:
    std::shared_ptr<const native::NativeIndex> index_;
    std::optional<native::SpellingDictionary> spelling_;
};

/// The native engine for the database at `path`, when its native index exists and was built
/// from the state `records` answers from; otherwise none, and why.
struct NativeOpening {
    std::unique_ptr<NativeEngine> engine;
    /// Why there is no engine, for people.
    std::string reason;
    /// The file is there but damaged or of another format: worth a warning, where a missing or
    /// stale index (built from an older commit) is the expected state between a commit and the
    /// end of the run that made it.
    bool damaged_or_foreign = false;
};

/// `current`, when given, is kept if its file is still the one at the path and still matches.
[[nodiscard]] NativeOpening open_native_engine(const std::string& path, MatchEngine& records,
                                               std::unique_ptr<NativeEngine> current = nullptr);

}  // namespace trouvere::searcher
