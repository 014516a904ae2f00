#include "capi/c_errors.h"

#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <utility>

#include "trouvere/error.h"

namespace trouvere::capi {

trouvere_error* out_of_memory_error() noexcept {
    // Short enough for the string's own buffer: making it allocates nothing.
    static trouvere_error error{TROUVERE_ERROR_OUT_OF_MEMORY, "out of memory"};
    return &error;
}

trouvere_status report_current_exception(std::string_view function,
                                         trouvere_error** error) noexcept {
    try {
        trouvere_status code = TROUVERE_ERROR_OTHER;
        std::string message;
        try {
            throw;
        } catch (const UsageError& usage) {
            code = TROUVERE_ERROR_USAGE;
            message = std::string(function) + ": " + usage.what();
        } catch (const QueryError& query) {
            code = TROUVERE_ERROR_QUERY;
            message = query.what();
        } catch (const DocumentError& document) {
            code = TROUVERE_ERROR_DOCUMENT;
            message = document.what();
        } catch (const DatabaseError& database) {
            code = TROUVERE_ERROR_DATABASE;
            message = database.what();
        } catch (const std::bad_alloc&) {
            throw;
        } catch (const std::exception& other) {
            message = other.what();
        } catch (...) {
            message = std::string(function) + ": an exception of unknown type";
        }
        if (error != nullptr) *error = new trouvere_error{code, std::move(message)};
        return code;
    } catch (const std::bad_alloc&) {
        // Thrown by the call, or by making its message or error object here.
        if (error != nullptr) *error = out_of_memory_error();
        return TROUVERE_ERROR_OUT_OF_MEMORY;
    }
}

}  // namespace trouvere::capi
