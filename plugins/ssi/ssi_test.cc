// SSI as programs get it by default (exec built out); the cases are in
// ssi_test_body.h, shared with exec/exec_test.cc.
#include "plugins/ssi/ssi_test_body.h"
