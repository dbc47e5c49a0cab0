/* rnn.h's implementation in double, compiled once and linked with every
   exercise's checks and the student's file. */
#define RNN_REAL double
#define RNN_IMPLEMENTATION
#include "../../../rnn.h"
