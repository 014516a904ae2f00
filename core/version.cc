#include "trouvere/version.h"

namespace trouvere {

std::string_view version() {
    return TROUVERE_VERSION;
}

}  // namespace trouvere
