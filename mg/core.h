/* Everything the core offers a program: include "mongoose.h" instead. */
#ifndef MG_CORE_H
#define MG_CORE_H

#include "mg/features.h"
#include "mg/platform.h"
#include "mg/version.h"
#include "mg/str.h"
#include "mg/mbuf.h"
#include "mg/util.h"
#include "mg/uri.h"
#include "mg/net.h"
#include "mg/iface.h"

#endif /* MG_CORE_H */
