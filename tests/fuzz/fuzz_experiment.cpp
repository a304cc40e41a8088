// Fuzzes the experiment-file readers: io::loo_config_from_json, io::study_config_from_json and the scenario
// keys of the CLI.
#include <l2s/io/experiment.hpp>

#include "fuzz_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return l2s::fuzz::run_json(data, size, [](const nlohmann::json& j) {
        if (j.is_object() && j.contains("workload")) {
            l2s::io::detail::strict_reader r(j, "scenario", "fuzz");
            const auto sc = l2s::io::scenario_from(r, "scenario");
            (void)sc;
            return;
        }
        if (j.is_object() && (j.contains("platforms") || j.contains("strategies") || j.contains("mixes"))) {
            (void)l2s::io::study_config_from_json(j);
            return;
        }
        (void)l2s::io::loo_config_from_json(j);
    });
}
