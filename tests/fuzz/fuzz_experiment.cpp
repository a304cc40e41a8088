// Fuzzes the experiment-file readers: studies::loo_config_from_json, studies::study_config_from_json and the scenario
// keys of the CLI.
#include <l2s/studies/json.hpp>

#include "fuzz_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return l2s::fuzz::run_json(data, size, [](const nlohmann::json& j) {
        if (j.is_object() && j.contains("workload")) {
            l2s::io::detail::strict_reader r(j, "scenario", "fuzz");
            const auto sc = l2s::studies::scenario_from(r, "scenario");
            (void)sc;
            return;
        }
        if (j.is_object() && (j.contains("platforms") || j.contains("strategies") || j.contains("mixes"))) {
            (void)l2s::studies::study_config_from_json(j);
            return;
        }
        (void)l2s::studies::loo_config_from_json(j);
    });
}
