#pragma once

// Xapian 1.4's BM25Weight with its default parameters (k1 = 1, k2 = 0, k3 = 1, b = 0.5,
// min_normlen = 0.5), computed as Xapian computes it, operation for operation, so that the native
// engine's scores are Xapian's to the last bit where the summation order is the same. A term's
// score in a document is term_weight(termfreq) * tf_part(wdf, length); a query's is the sum over
// its weighted terms that match (k2 = 0: no per-document extra).

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "native/collection_stats.h"

namespace trouvere::native {

class Bm25 {
public:
    static constexpr double kK1 = 1;
    static constexpr double kK3 = 1;
    static constexpr double kB = 0.5;
    static constexpr double kMinNormalizedLength = 0.5;

    explicit Bm25(const CollectionStats& stats) : document_count_(stats.document_count) {
        // Xapian's average length, then its reciprocal, which it multiplies by.
        const double average = stats.document_count == 0
                                   ? 0
                                   : static_cast<double>(stats.total_length) /
                                         static_cast<double>(stats.document_count);
        length_factor_ = average == 0 ? 0 : 1 / average;
    }

    /// The weight of a term indexing `term_frequency` documents, for one occurrence in the
    /// query: Xapian's IDF, raised for terms in more than a third of the documents so that it
    /// never falls to zero or below, times the query part (1 for wqf 1) and k1 + 1.
    [[nodiscard]] double term_weight(std::uint32_t term_frequency) const {
        double ratio =
            (static_cast<double>(document_count_) - term_frequency + 0.5) / (term_frequency + 0.5);
        if (ratio < 2) ratio = ratio * 0.5 + 1;
        double weight = std::log(ratio) * 1.0;
        constexpr double kWqf = 1;
        weight *= (kK3 + 1) * kWqf / (kK3 + kWqf);
        weight *= (kK1 + 1);
        return weight;
    }

    /// The part of a term's score that depends on the document.
    [[nodiscard]] double tf_part(std::uint32_t wdf, std::uint32_t length) const {
        const double normalized = std::max(length * length_factor_, kMinNormalizedLength);
        const double wdf_double = wdf;
        const double denominator = kK1 * (normalized * kB + (1 - kB)) + wdf_double;
        return wdf_double / denominator;
    }

private:
    std::uint32_t document_count_;
    double length_factor_ = 0;
};

}  // namespace trouvere::native
