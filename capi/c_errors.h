// How the C API turns C++ exceptions into statuses and error objects (trouvere/trouvere_c.h,
// "Errors"): every API function runs its body through guarded(), so that nothing thrown crosses
// into C.
#pragma once

#include <cstddef>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "trouvere/trouvere_c.h"

/// The error object a failed call hands its caller: a status and its message.
struct trouvere_error {
    trouvere_status code = TROUVERE_OK;
    std::string message;
};

namespace trouvere::capi {

/// A call made wrongly from C: NULL where a value is needed, text that is not valid UTF-8, a value
/// outside its enumeration. It becomes TROUVERE_ERROR_USAGE, its message prefixed with the name of
/// the function called.
class UsageError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// The error object reporting that memory ran out: one for the whole process, allocated before it
/// is needed, which trouvere_error_destroy leaves alone.
[[nodiscard]] trouvere_error* out_of_memory_error() noexcept;

/// The status of the exception being handled (call it only from a catch block) and, when `error`
/// is not NULL, an error object with its message in *error. `function` names the API function,
/// for usage errors. When the error object cannot be allocated, the status and the object are
/// those of out_of_memory_error().
[[nodiscard]] trouvere_status report_current_exception(std::string_view function,
                                                       trouvere_error** error) noexcept;

/// Runs `body` for the API function named `function` (its `__func__`): TROUVERE_OK with *error
/// set to NULL when it returns, else what report_current_exception() gives.
template <std::size_t N, typename Body>
// NOLINTNEXTLINE(modernize-avoid-c-arrays): __func__, taken whole so that it does not decay
[[nodiscard]] trouvere_status guarded(const char (&function)[N], trouvere_error** error,
                                      Body&& body) noexcept {
    if (error != nullptr) *error = nullptr;
    try {
        std::forward<Body>(body)();
        return TROUVERE_OK;
    } catch (...) {
        return report_current_exception(std::string_view(std::data(function), N - 1), error);
    }
}

}  // namespace trouvere::capi
