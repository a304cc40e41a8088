// src/capi/l2s_c.cpp: the C interface (include/l2s/c/l2s.h) over io::load_any_policy and policy::any_policy.
#include <l2s/c/l2s.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <new>
#include <sstream>
#include <string>

#include <l2s/core/error.hpp>
#include <l2s/io/policy.hpp>
#include <l2s/policy/any_policy.hpp>
#include <l2s/version.hpp>

struct l2s_policy {
    l2s::policy::any_policy policy;
    std::string kind;
    mutable l2s::dvfs::observation obs;  // sized once; overwritten by each call (not shared between threads)
    l2s::dvfs::action action;
};

namespace {

l2s_status fail(l2s_status s, const std::string& msg, char* err, std::size_t errlen) noexcept {
    if (err && errlen > 0) {
        const std::size_t n = std::min(errlen - 1, msg.size());
        std::memcpy(err, msg.data(), n);
        err[n] = '\0';
    }
    return s;
}

template <class F>
l2s_status guarded(F&& f, char* err, std::size_t errlen) noexcept {
    try {
        return f();
    } catch (const l2s::io_error& e) {
        return fail(L2S_ERR_IO, e.what(), err, errlen);
    } catch (const l2s::dimension_mismatch& e) {
        return fail(L2S_ERR_DIMENSION, e.what(), err, errlen);
    } catch (const l2s::invalid_config& e) {
        return fail(L2S_ERR_CONFIG, e.what(), err, errlen);
    } catch (const l2s::error& e) {
        return fail(L2S_ERR_INVALID_ARGUMENT, e.what(), err, errlen);
    } catch (const std::bad_alloc&) {
        return fail(L2S_ERR_INTERNAL, "l2s_c: out of memory", err, errlen);
    } catch (const std::exception& e) {
        return fail(L2S_ERR_INTERNAL, std::string("l2s_c: ") + e.what(), err, errlen);
    } catch (...) {
        return fail(L2S_ERR_INTERNAL, "l2s_c: unknown error", err, errlen);
    }
}

/// Copies the caller's arrays into the handle's observation (no allocation: sizes fixed at load).
l2s_status fill(const l2s_policy* p, const l2s_observation* o, const char* who, char* err, std::size_t errlen) noexcept {
    if (!o) return fail(L2S_ERR_INVALID_ARGUMENT, std::string(who) + ": null observation", err, errlen);
    const std::size_t K = p->obs.num_islands();
    if (o->num_islands != K)
        return fail(L2S_ERR_DIMENSION,
                    std::string(who) + ": observation has " + std::to_string(o->num_islands) + " islands, the policy " +
                        std::to_string(K),
                    err, errlen);
    const double* arrays[] = {o->utilisation, o->ipc, o->mem_per_instr, o->mem_per_s, o->power_w,
                              o->temp_c,      o->freq_hz, o->busy_time_s};
    for (const double* a : arrays)
        if (!a) return fail(L2S_ERR_INVALID_ARGUMENT, std::string(who) + ": null observation array", err, errlen);
    if (!o->active_cores || !o->level)
        return fail(L2S_ERR_INVALID_ARGUMENT, std::string(who) + ": null observation array", err, errlen);
    auto& s = p->obs;
    std::copy_n(o->utilisation, K, s.utilisation.begin());
    std::copy_n(o->ipc, K, s.ipc.begin());
    std::copy_n(o->mem_per_instr, K, s.mem_per_instr.begin());
    std::copy_n(o->mem_per_s, K, s.mem_per_s.begin());
    std::copy_n(o->power_w, K, s.power_w.begin());
    std::copy_n(o->temp_c, K, s.temp_c.begin());
    std::copy_n(o->freq_hz, K, s.freq_hz.begin());
    std::copy_n(o->busy_time_s, K, s.busy_time_s.begin());
    std::copy_n(o->active_cores, K, s.active_cores.begin());
    std::copy_n(o->level, K, s.level.begin());
    s.interval = o->interval;
    s.interval_time_s = o->interval_time_s;
    s.chip_power_w = 0.0;
    s.max_temp_c = K ? s.temp_c[0] : 0.0;
    for (std::size_t k = 0; k < K; ++k) {
        s.chip_power_w += s.power_w[k];
        s.max_temp_c = std::max(s.max_temp_c, s.temp_c[k]);
    }
    return L2S_OK;
}

}  // namespace

extern "C" {

l2s_status l2s_policy_load_json(const char* text, size_t len, l2s_policy** out, char* err, size_t errlen) {
    if (out) *out = nullptr;
    if (!text || !out) return fail(L2S_ERR_INVALID_ARGUMENT, "l2s_policy_load_json: null argument", err, errlen);
    return guarded(
        [&] {
            auto h = std::make_unique<l2s_policy>();
            h->policy = l2s::io::load_any_policy(std::string_view(text, len));
            h->kind = h->policy.kind();
            h->obs.resize(h->policy.num_islands());
            h->action.assign(h->policy.num_islands(), 0);
            *out = h.release();
            return L2S_OK;
        },
        err, errlen);
}

l2s_status l2s_policy_load_file(const char* path, l2s_policy** out, char* err, size_t errlen) {
    if (out) *out = nullptr;
    if (!path || !out) return fail(L2S_ERR_INVALID_ARGUMENT, "l2s_policy_load_file: null argument", err, errlen);
    return guarded(
        [&] {
            std::ifstream in(path, std::ios::binary);
            if (!in) throw l2s::io_error(std::string("l2s_policy_load_file: cannot open ") + path);
            std::stringstream s;
            s << in.rdbuf();
            const std::string text = s.str();
            return l2s_policy_load_json(text.data(), text.size(), out, err, errlen);
        },
        err, errlen);
}

void l2s_policy_free(l2s_policy* p) { delete p; }

size_t l2s_policy_num_islands(const l2s_policy* p) { return p ? p->policy.num_islands() : 0; }
size_t l2s_policy_max_levels(const l2s_policy* p) { return p ? p->policy.max_levels() : 0; }
const char* l2s_policy_kind(const l2s_policy* p) { return p ? p->kind.c_str() : ""; }
void l2s_policy_reset(l2s_policy* p) {
    if (p) p->policy.reset();
}

l2s_status l2s_policy_act(l2s_policy* p, const l2s_observation* obs, uint8_t* levels_out, size_t n, char* err,
                          size_t errlen) {
    constexpr const char* who = "l2s_policy_act";
    if (!p || !levels_out) return fail(L2S_ERR_INVALID_ARGUMENT, std::string(who) + ": null argument", err, errlen);
    const std::size_t K = p->policy.num_islands();
    if (n < K)
        return fail(L2S_ERR_INVALID_ARGUMENT, std::string(who) + ": levels_out holds " + std::to_string(n) + " < " + std::to_string(K),
                    err, errlen);
    if (const auto s = fill(p, obs, who, err, errlen); s != L2S_OK) return s;
    p->policy.act(p->obs, p->action);
    std::copy_n(p->action.begin(), K, levels_out);
    return L2S_OK;
}

l2s_status l2s_policy_probabilities(const l2s_policy* p, const l2s_observation* obs, double* out, size_t n, char* err,
                                    size_t errlen) {
    constexpr const char* who = "l2s_policy_probabilities";
    if (!p || !out) return fail(L2S_ERR_INVALID_ARGUMENT, std::string(who) + ": null argument", err, errlen);
    const std::size_t need = p->policy.num_islands() * p->policy.max_levels();
    if (n < need)
        return fail(L2S_ERR_INVALID_ARGUMENT, std::string(who) + ": out holds " + std::to_string(n) + " < " + std::to_string(need),
                    err, errlen);
    // a private observation: probabilities may run concurrently on one handle
    return guarded(
        [&] {
            l2s_policy tmp_view{};
            tmp_view.obs.resize(p->policy.num_islands());
            if (const auto s = fill(&tmp_view, obs, who, err, errlen); s != L2S_OK) return s;
            p->policy.probabilities(tmp_view.obs, std::span<double>(out, need));
            return L2S_OK;
        },
        err, errlen);
}

const char* l2s_status_message(l2s_status s) {
    switch (s) {
        case L2S_OK: return "ok";
        case L2S_ERR_INVALID_ARGUMENT: return "invalid argument";
        case L2S_ERR_DIMENSION: return "dimension mismatch";
        case L2S_ERR_IO: return "input/output or document error";
        case L2S_ERR_CONFIG: return "invalid configuration";
        case L2S_ERR_INTERNAL: return "internal error";
    }
    return "unknown status";
}

#define L2S_C_STR2(x) #x
#define L2S_C_STR(x) L2S_C_STR2(x)
const char* l2s_version(void) {
    return L2S_C_STR(L2S_VERSION_MAJOR) "." L2S_C_STR(L2S_VERSION_MINOR) "." L2S_C_STR(L2S_VERSION_PATCH);
}

}  // extern "C"
