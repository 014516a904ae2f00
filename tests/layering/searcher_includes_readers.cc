// Must not build: the searching layer does not link the document readers.
#include "readers/readers.h"
