// Builds: the searching layer links the analysis layer.
#include "analysis/word_segmenter.h"
