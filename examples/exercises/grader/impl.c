/* rnn.h's implementation in double, compiled once and linked with every
   exercise's checks and the student's file. */
#define RNN_REAL double
#define RNN_IMPLEMENTATION
#include "../../../rnn.h"
#ifdef RNN_CELL_SHIM
#define RNN_CELL_SHIM_IMPLEMENTATION
#include "../cell_shim.h"
#endif
