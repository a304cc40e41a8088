/* SPDX-License-Identifier: MIT */
/* l2s/c/l2s.h: C interface to saved l2s policies, for hosts written in C (daemons, simulators).
 * Link with the compiled library l2s_c (CMake option L2S_BUILD_C_API; target l2s::c).
 *
 * A policy is loaded from its JSON (io::save_policy / `l2s train`), then decides one V/F level per island
 * from an observation held in caller arrays, writing into a caller buffer. No exception crosses the
 * interface; every call returns an l2s_status and, when given a buffer, a message. l2s_policy_act does not
 * allocate. One handle must not be used from two threads at once (act advances the feature history);
 * l2s_policy_probabilities may be called concurrently on one handle. See docs/capi.md. */
#ifndef L2S_C_L2S_H
#define L2S_C_L2S_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum l2s_status {
    L2S_OK = 0,
    L2S_ERR_INVALID_ARGUMENT = 1, /* null pointer, wrong size, out-of-range value */
    L2S_ERR_DIMENSION = 2,        /* the observation's island count differs from the policy's */
    L2S_ERR_IO = 3,               /* unreadable file, malformed JSON, wrong schema, version or kind */
    L2S_ERR_CONFIG = 4,           /* inconsistent policy document */
    L2S_ERR_INTERNAL = 5          /* anything else (out of memory, ...) */
} l2s_status;

typedef struct l2s_policy l2s_policy;

/* What a governor reads over the last interval; every pointer is an array of num_islands entries. */
typedef struct l2s_observation {
    size_t num_islands;
    size_t interval;              /* 0 restarts the feature history */
    const double* utilisation;    /* busy fraction of the busiest core, [0, 1] */
    const double* ipc;            /* instructions per cycle per active core */
    const double* mem_per_instr;  /* memory accesses per instruction */
    const double* mem_per_s;      /* memory accesses per second */
    const double* power_w;        /* island power */
    const double* temp_c;         /* island temperature */
    const double* freq_hz;        /* current frequency */
    const double* busy_time_s;    /* time the island worked */
    const uint32_t* active_cores; /* cores with work */
    const uint8_t* level;         /* current level */
    double interval_time_s;       /* wall time of the interval */
} l2s_observation;

/* Loads a saved policy from JSON text (len bytes; need not be NUL-terminated). On success *out owns a new
 * handle; on failure *out is NULL and err (if not NULL) receives a NUL-terminated message. */
l2s_status l2s_policy_load_json(const char* text, size_t len, l2s_policy** out, char* err, size_t errlen);
/* The same from a file. */
l2s_status l2s_policy_load_file(const char* path, l2s_policy** out, char* err, size_t errlen);
void l2s_policy_free(l2s_policy* p);

size_t l2s_policy_num_islands(const l2s_policy* p);
size_t l2s_policy_max_levels(const l2s_policy* p);
/* "softmax_linear", "mlp", "cart_tree" or "fixed_level"; valid while p lives. */
const char* l2s_policy_kind(const l2s_policy* p);
/* Forgets the feature history (start of an episode). */
void l2s_policy_reset(l2s_policy* p);

/* Writes one level per island into levels_out[0..n) (n must be >= the policy's islands). */
l2s_status l2s_policy_act(l2s_policy* p, const l2s_observation* obs, uint8_t* levels_out, size_t n, char* err,
                          size_t errlen);
/* Writes islands x max_levels probabilities, island-major, into out[0..n). */
l2s_status l2s_policy_probabilities(const l2s_policy* p, const l2s_observation* obs, double* out, size_t n, char* err,
                                    size_t errlen);

/* A static description of a status. */
const char* l2s_status_message(l2s_status s);
/* The library version, "major.minor.patch". */
const char* l2s_version(void);

#ifdef __cplusplus
}
#endif

#endif /* L2S_C_L2S_H */
