#include "trouvere/index_writer.h"

#include <xapian.h>

#include <filesystem>

#include "core/stored_document.h"
#include "core/term_scheme.h"
#include "core/xapian_errors.h"
#include "trouvere/analyzer.h"
#include "trouvere/error.h"

namespace trouvere {

struct IndexWriter::Impl {
    std::string path;
    Xapian::WritableDatabase db;
    Analyzer analyzer;

    // Adds `text` to `document` from `first_position` on and returns the next free position.
    // Title words also go into the title family and weigh kTitleWdf in the unprefixed one.
    Xapian::termpos index_text(Xapian::Document& document, std::string_view text,
                               Xapian::termpos first_position, bool is_title) {
        Xapian::termpos next = first_position;
        for (const Token& token : analyzer.analyze(text, first_position)) {
            next = token.position + 1;
            document.add_posting(token.term, token.position, is_title ? scheme::kTitleWdf : 1);
            if (is_title) {
                document.add_posting(std::string(scheme::kTitlePrefix) + token.term,
                                     token.position);
            }
            if (!token.accented_term.empty()) {
                document.add_term(std::string(scheme::kAccentedPrefix) + token.accented_term);
            }
        }
        return next;
    }
};

IndexWriter::IndexWriter(const std::string& path) : impl_(std::make_unique<Impl>()) {
    impl_->path = path;
    try {
        std::error_code ignored;
        std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
        impl_->db = Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
        auto scheme_version = impl_->db.get_metadata(std::string(scheme::kSchemeKey));
        if (scheme_version.empty() && impl_->db.get_doccount() == 0) {
            impl_->db.set_metadata(std::string(scheme::kSchemeKey),
                                   std::string(scheme::kSchemeVersion));
        } else if (scheme_version != scheme::kSchemeVersion) {
            throw DatabaseError("database " + path +
                                " was not written by this version of trouvere; delete it and "
                                "index again");
        }
        // Everything until commit() is one transaction, so Xapian's automatic flushes (every
        // 10,000 documents by default) never make half of a run visible.
        impl_->db.begin_transaction();
    } catch (const Xapian::DatabaseLockError&) {
        throw DatabaseError("database " + path + " is locked: another search-index is writing it");
    } catch (const Xapian::Error& error) {
        xapian_errors::rethrow_as_database_error(path, error);
    }
}

IndexWriter::~IndexWriter() {
    if (!impl_) return;
    try {
        impl_->db.cancel_transaction();
    } catch (const Xapian::Error&) {
        // Closing without the commit discards the changes either way.
    }
}

IndexWriter::IndexWriter(IndexWriter&&) noexcept = default;
IndexWriter& IndexWriter::operator=(IndexWriter&&) noexcept = default;

void IndexWriter::add_or_replace(const Document& document) {
    if (document.id.empty()) throw DocumentError("document has an empty id");
    try {
        Xapian::Document xapian_document;
        xapian_document.set_data(stored::encode(document));
        std::string id_term = scheme::id_term(document.id);
        xapian_document.add_boolean_term(id_term);
        Xapian::termpos next = impl_->index_text(xapian_document, document.title, 1, true);
        impl_->index_text(xapian_document, document.body, next + scheme::kBodyPositionGap, false);
        if (!document.date.empty()) xapian_document.add_value(scheme::kDateSlot, document.date);
        impl_->db.replace_document(id_term, xapian_document);
    } catch (const Xapian::Error& error) {
        xapian_errors::rethrow_as_database_error(impl_->path, error);
    }
}

bool IndexWriter::remove(std::string_view id) {
    try {
        std::string id_term = scheme::id_term(id);
        if (!impl_->db.term_exists(id_term)) return false;
        impl_->db.delete_document(id_term);
        return true;
    } catch (const Xapian::Error& error) {
        xapian_errors::rethrow_as_database_error(impl_->path, error);
    }
}

bool IndexWriter::contains(std::string_view id) const {
    try {
        return impl_->db.term_exists(scheme::id_term(id));
    } catch (const Xapian::Error& error) {
        xapian_errors::rethrow_as_database_error(impl_->path, error);
    }
}

std::optional<std::string> IndexWriter::metadata(std::string_view key) const {
    try {
        std::string value = impl_->db.get_metadata(std::string(key));
        if (value.empty()) return std::nullopt;
        return value;
    } catch (const Xapian::Error& error) {
        xapian_errors::rethrow_as_database_error(impl_->path, error);
    }
}

void IndexWriter::set_metadata(std::string_view key, std::string_view value) {
    try {
        impl_->db.set_metadata(std::string(key), std::string(value));
    } catch (const Xapian::Error& error) {
        xapian_errors::rethrow_as_database_error(impl_->path, error);
    }
}

std::vector<std::string> IndexWriter::metadata_keys(std::string_view prefix) const {
    try {
        std::vector<std::string> keys;
        std::string prefix_string(prefix);
        for (auto key = impl_->db.metadata_keys_begin(prefix_string);
             key != impl_->db.metadata_keys_end(prefix_string); ++key) {
            keys.push_back(*key);
        }
        return keys;
    } catch (const Xapian::Error& error) {
        xapian_errors::rethrow_as_database_error(impl_->path, error);
    }
}

void IndexWriter::commit() {
    try {
        impl_->db.commit_transaction();
        impl_->db.begin_transaction();
    } catch (const Xapian::Error& error) {
        xapian_errors::rethrow_as_database_error(impl_->path, error);
    }
}

std::size_t IndexWriter::document_count() const {
    return impl_->db.get_doccount();
}

const std::string& IndexWriter::path() const {
    return impl_->path;
}

}  // namespace trouvere
