// The SSI cases with MG_ENABLE_HTTP_SSI_EXEC: <!--#exec --> runs.
#include "plugins/ssi/ssi_test_body.h"

#if !MG_ENABLE_HTTP_SSI_EXEC
#error "this test must be built with the exec variant of the ssi plugin"
#endif
