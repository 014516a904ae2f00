// French (and English) dates as news pages print them, and as metadata gives them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trouvere::readers {

/// A line that holds a date and nothing else but a publication word and a time of day.
struct DateLine {
    /// ISO 8601, `2024-11-22`.
    std::string iso;
    /// The line begins with `Publié`/`Published`: it dates the article even far from the top.
    bool introduced = false;
};

/// Recognises `vendredi, novembre 22, 2024`, `Publié jeudi 04 juillet 2024 à 15:40`,
/// `22 novembre 2024`, `1er mai 2024`, `22/11/2024`, `2024-11-22` and the like: French (or
/// English) month and weekday names, any case, accents optional, words spaced by any white space.
/// Anything more on the line, or an impossible date, and it is not a date line.
[[nodiscard]] std::optional<DateLine> parse_date_line(std::string_view line);

/// A date given as metadata (front matter, JSON, HTML meta) as ISO `YYYY-MM-DD`: accepts ISO dates
/// and date-times (the date part is kept) and whatever parse_date_line accepts. nullopt when
/// unrecognised.
[[nodiscard]] std::optional<std::string> normalize_date(std::string_view value);

}  // namespace trouvere::readers
