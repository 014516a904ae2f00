#include "native/term_dictionary.h"

#include <algorithm>

namespace trouvere::native {

namespace {

// Reads one front-coded entry after `previous`, which becomes the entry's term.
bool read_entry(ByteReader& reader, bool first_of_block, std::string& previous, TermInfo& info) {
    std::uint64_t shared = 0;
    std::uint64_t suffix_length = 0;
    Bytes suffix;
    if (!reader.varint(shared) || !reader.varint(suffix_length) ||
        !reader.take(static_cast<std::size_t>(std::min<std::uint64_t>(suffix_length, SIZE_MAX)),
                     suffix) ||
        shared > previous.size() || (first_of_block && shared != 0)) {
        return false;
    }
    // Strictly ascending, as the terms were written: past the shared bytes, the suffix comes
    // after what the previous term had there.
    const std::string_view rest = as_text(suffix);
    if (!first_of_block && rest <= std::string_view(previous).substr(shared)) return false;
    previous.resize(static_cast<std::size_t>(shared));
    previous.append(rest);
    return reader.varint32(info.frequency) && info.frequency > 0 &&
           reader.varint(info.postings_offset) && reader.varint(info.postings_length) &&
           reader.varint(info.positions_offset) && reader.varint(info.positions_length);
}

}  // namespace

void TermDictionaryWriter::add(std::string_view term, const TermInfo& info) {
    std::size_t shared = 0;
    if (in_block_ == kTermsPerBlock || block_offsets_.empty()) {
        block_offsets_.push_back(static_cast<std::uint32_t>(blocks_.size()));
        first_term_offsets_.push_back(static_cast<std::uint32_t>(first_terms_.size()));
        first_terms_.append(term);
        in_block_ = 0;
    } else {
        const std::size_t limit = std::min(term.size(), previous_.size());
        while (shared < limit && term[shared] == previous_[shared]) ++shared;
    }
    append_varint(blocks_, shared);
    append_varint(blocks_, term.size() - shared);
    append_bytes(blocks_, term.substr(shared));
    append_varint(blocks_, info.frequency);
    append_varint(blocks_, info.postings_offset);
    append_varint(blocks_, info.postings_length);
    append_varint(blocks_, info.positions_offset);
    append_varint(blocks_, info.positions_length);
    previous_ = term;
    ++in_block_;
}

Buffer TermDictionaryWriter::index_bytes() const {
    Buffer out;
    append<std::uint32_t>(out, static_cast<std::uint32_t>(block_offsets_.size()));
    for (std::size_t k = 0; k < block_offsets_.size(); ++k) {
        append<std::uint32_t>(out, first_term_offsets_[k]);
        append<std::uint32_t>(out, block_offsets_[k]);
    }
    append<std::uint32_t>(out, static_cast<std::uint32_t>(first_terms_.size()));
    append<std::uint32_t>(out, static_cast<std::uint32_t>(blocks_.size()));
    append_bytes(out, first_terms_);
    return out;
}

std::optional<TermDictionary> TermDictionary::open(Bytes index, Bytes blocks, std::string& why) {
    ByteReader reader(index);
    std::uint32_t count = 0;
    Bytes entries;
    if (!reader.fixed(count) || !reader.take(8 * (std::size_t{count} + 1), entries)) {
        why = "its term index is cut short";
        return std::nullopt;
    }
    TermDictionary dictionary;
    dictionary.entries_ = entries;
    dictionary.block_count_ = count;
    (void)reader.take(reader.remaining(), dictionary.first_terms_);
    dictionary.blocks_ = blocks;
    std::uint32_t previous_term = 0;
    std::uint32_t previous_block = 0;
    for (std::size_t k = 0; k <= count; ++k) {
        const auto term_offset = load<std::uint32_t>(entries.data() + 8 * k);
        const auto block_offset = load<std::uint32_t>(entries.data() + 8 * k + 4);
        const bool last = k == count;
        if (term_offset < previous_term || term_offset > dictionary.first_terms_.size() ||
            (last && term_offset != dictionary.first_terms_.size()) ||
            (k > 0 && block_offset <= previous_block) || (k == 0 && block_offset != 0) ||
            block_offset > blocks.size() || (last && block_offset != blocks.size())) {
            why = "its term index does not hold";
            return std::nullopt;
        }
        previous_term = term_offset;
        previous_block = block_offset;
    }
    for (std::size_t k = 1; k < count; ++k) {
        if (dictionary.first_term(k) <= dictionary.first_term(k - 1)) {
            why = "its term index is out of order";
            return std::nullopt;
        }
    }
    return dictionary;
}

std::string_view TermDictionary::first_term(std::size_t block) const {
    const auto begin = load<std::uint32_t>(entries_.data() + 8 * block);
    const auto end = load<std::uint32_t>(entries_.data() + 8 * (block + 1));
    return as_text(first_terms_.subspan(begin, end - begin));
}

std::size_t TermDictionary::block_offset(std::size_t block) const {
    return load<std::uint32_t>(entries_.data() + 8 * block + 4);
}

std::size_t TermDictionary::block_length(std::size_t block) const {
    return block_offset(block + 1) - block_offset(block);
}

std::optional<std::size_t> TermDictionary::block_for(std::string_view term) const {
    std::size_t low = 0;
    std::size_t high = block_count_;
    // The first block whose first term is after `term`; the one before it may hold it.
    while (low < high) {
        const std::size_t middle = low + (high - low) / 2;
        if (first_term(middle) <= term) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    if (low == 0) return std::nullopt;
    return low - 1;
}

TermDictionary::Lookup TermDictionary::find_in_block(std::size_t block, std::string_view term,
                                                     TermInfo& info) const {
    ByteReader reader(blocks_.subspan(block_offset(block), block_length(block)));
    std::string current;
    for (bool first = true; !reader.at_end(); first = false) {
        TermInfo read;
        if (!read_entry(reader, first, current, read)) return Lookup::damaged;
        if (first && current != first_term(block)) return Lookup::damaged;
        if (current == term) {
            info = read;
            return Lookup::found;
        }
        if (current > term) return Lookup::absent;
    }
    return Lookup::absent;
}

bool TermDictionary::read_block(std::size_t block,
                                std::vector<std::pair<std::string, TermInfo>>& terms) const {
    ByteReader reader(blocks_.subspan(block_offset(block), block_length(block)));
    std::string current;
    for (bool first = true; !reader.at_end(); first = false) {
        TermInfo read;
        if (!read_entry(reader, first, current, read)) return false;
        if (first && current != first_term(block)) return false;
        terms.emplace_back(current, read);
    }
    return true;
}

}  // namespace trouvere::native
