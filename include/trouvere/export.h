#pragma once

// Marks what the shared library exports: the library is built with every other symbol hidden,
// so only the public API can be linked against.
// TROUVERE_HIDDEN marks the library's own class that an exported class holds (its Impl): nested
// in an exported class, it would be exported too, and with it every template instantiated over it.
#if defined(_WIN32)
#define TROUVERE_EXPORT
#define TROUVERE_HIDDEN
#else
#define TROUVERE_EXPORT __attribute__((visibility("default")))
#define TROUVERE_HIDDEN __attribute__((visibility("hidden")))
#endif
