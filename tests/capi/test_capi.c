/* tests/capi/test_capi.c: the C interface from a C program. Argument: a saved policy (written by
 * `l2s train` in tests/cli). Exit status 0 when every check passes. */
#include <l2s/c/l2s.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;
#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            ++failures;                                                      \
        }                                                                    \
    } while (0)

int main(int argc, char** argv) {
    char err[256];
    l2s_policy* p = NULL;
    CHECK(argc == 2);
    if (argc != 2) return 1;

    /* bad documents and arguments: typed status, message, no handle */
    CHECK(l2s_policy_load_json("{\"schema\": \"nope\"}", 17, &p, err, sizeof err) == L2S_ERR_IO);
    CHECK(p == NULL);
    CHECK(strlen(err) > 0);
    CHECK(l2s_policy_load_json("{\"schema\"", 9, &p, err, sizeof err) == L2S_ERR_IO);
    CHECK(l2s_policy_load_json(NULL, 0, &p, err, sizeof err) == L2S_ERR_INVALID_ARGUMENT);
    CHECK(l2s_policy_load_file("/nonexistent/policy.json", &p, err, sizeof err) == L2S_ERR_IO);
    CHECK(strstr(err, "cannot open") != NULL);
    CHECK(l2s_policy_load_file(argv[1], &p, err, 4) == L2S_OK || 1); /* tiny buffers are safe */
    l2s_policy_free(p);
    p = NULL;

    /* the trained policy */
    CHECK(l2s_policy_load_file(argv[1], &p, err, sizeof err) == L2S_OK);
    if (!p) {
        fprintf(stderr, "load failed: %s\n", err);
        return 1;
    }
    const size_t K = l2s_policy_num_islands(p), L = l2s_policy_max_levels(p);
    CHECK(K == 4);
    CHECK(L == 8);
    CHECK(strcmp(l2s_policy_kind(p), "softmax_linear") == 0);
    CHECK(strlen(l2s_version()) >= 5);
    CHECK(strcmp(l2s_status_message(L2S_ERR_DIMENSION), "dimension mismatch") == 0);

    double util[4] = {0.9, 0.5, 0.2, 1.0}, ipc[4] = {1.5, 0.6, 0.3, 2.0}, mpi[4] = {0.001, 0.01, 0.02, 0.0005};
    double mps[4] = {1e6, 5e6, 8e6, 2e5}, pw[4] = {6, 4, 3, 7}, temp[4] = {55, 52, 50, 57};
    double f[4] = {4e9, 3e9, 2e9, 4e9}, busy[4] = {1e-3, 6e-4, 3e-4, 1e-3};
    uint32_t active[4] = {4, 4, 2, 4};
    uint8_t level[4] = {7, 5, 2, 7};
    l2s_observation obs = {4, 0, util, ipc, mpi, mps, pw, temp, f, busy, active, level, 1e-3};
    uint8_t out[4] = {255, 255, 255, 255};
    for (int t = 0; t < 1000; ++t) {
        obs.interval = (size_t)t;
        CHECK(l2s_policy_act(p, &obs, out, 4, err, sizeof err) == L2S_OK);
    }
    for (size_t k = 0; k < K; ++k) CHECK(out[k] < L);
    double prob[32];
    CHECK(l2s_policy_probabilities(p, &obs, prob, 32, err, sizeof err) == L2S_OK);
    for (size_t k = 0; k < K; ++k) {
        double s = 0.0;
        for (size_t l = 0; l < L; ++l) s += prob[k * L + l];
        CHECK(fabs(s - 1.0) < 1e-9);
    }
    /* bad calls: typed status, outputs untouched */
    uint8_t keep[4] = {9, 9, 9, 9};
    obs.num_islands = 3;
    CHECK(l2s_policy_act(p, &obs, keep, 4, err, sizeof err) == L2S_ERR_DIMENSION);
    CHECK(strstr(err, "l2s_policy_act") != NULL);
    CHECK(keep[0] == 9);
    obs.num_islands = 4;
    CHECK(l2s_policy_act(p, &obs, keep, 3, err, sizeof err) == L2S_ERR_INVALID_ARGUMENT);
    CHECK(l2s_policy_act(p, NULL, keep, 4, err, sizeof err) == L2S_ERR_INVALID_ARGUMENT);
    obs.ipc = NULL;
    CHECK(l2s_policy_act(p, &obs, keep, 4, err, sizeof err) == L2S_ERR_INVALID_ARGUMENT);
    CHECK(keep[0] == 9);
    CHECK(l2s_policy_probabilities(p, &obs, prob, 31, err, sizeof err) == L2S_ERR_INVALID_ARGUMENT);
    l2s_policy_reset(p);
    l2s_policy_free(p);
    l2s_policy_free(NULL);
    if (failures) fprintf(stderr, "%d checks failed\n", failures);
    else printf("C interface: all checks passed\n");
    return failures ? 1 : 0;
}
