// Headers only (include/CEpoll.h); SwiftPM wants one source file in a C target.
#include "CEpoll.h"
