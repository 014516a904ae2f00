#pragma once

// Marks what the shared library exports: the library is built with every other symbol hidden,
// so only the public API can be linked against.
#if defined(_WIN32)
#define TROUVERE_EXPORT
#else
#define TROUVERE_EXPORT __attribute__((visibility("default")))
#endif
