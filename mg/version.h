#ifndef MG_VERSION_H
#define MG_VERSION_H
/* Library version. */
#define MG_VERSION "6.18.0"
/* The same as a number: major * 10000 + minor * 100 + patch. */
#define MG_VERSION_NUMBER 61800
#endif
