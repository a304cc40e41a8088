#!/usr/bin/env python3
"""Checks that headers include only the folders their layer may use (docs/architecture.md).

Reads every `#include <l2s/...>` in include/l2s/, apps/ and src/, maps the including file and the included
header to folders, and exits 1, listing file:line and the rule, when a file includes a folder that ALLOWED
below does not list for its own folder, or another folder's detail/ headers. ALLOWED is the one table of
allowed dependencies; docs/architecture.md draws the same table and must be changed with it.

Folders: include/l2s/<f>/ and the umbrella include/l2s/<f>.hpp are folder <f>; apps/include/l2s/studies/
and studies.hpp are `studies`; apps/<d>/ (the l2s tool, the demo) is `app`; src/capi/ is `c`. l2s.hpp and
concepts.hpp are `umbrella`; config.hpp (L2S_ASSERT, built on core/error.hpp) belongs to `core`; version.hpp
may be included by anyone. A folder may always include itself and the shared include/l2s/detail/ (std, Eigen
and xtensor only); folders that may use core may also include core/detail/ (numerics that throw l2s errors:
bounded L-BFGS, Sobol numbers).
"""
import glob, os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(root)

LIBRARY = ["detail", "core", "dvfs", "space", "kernel", "mean", "gp", "acquisition", "opt", "bo", "sim",
           "policy", "search", "learn", "online", "problems", "io", "host", "c"]

# folder -> folders it may include (besides itself, detail/ and version.hpp).
# Mirrored in docs/architecture.md (the diagram and the table); change both together.
ALLOWED = {
    "detail": set(),                                  # numerics; std, Eigen and xtensor only
    "core": set(),                                    # types, errors, observers
    "dvfs": {"core"},                                 # the DVFS vocabulary: observation, action, model concepts
    "space": {"core"},
    "kernel": {"core"},
    "mean": {"core"},
    "gp": {"core", "kernel", "mean"},
    "acquisition": {"core", "gp"},                    # acquisitions read a Surrogate's predictions
    "opt": {"core", "space"},
    "bo": {"core", "space", "kernel", "mean", "gp", "acquisition", "opt"},
    "sim": {"core", "dvfs"},
    "policy": {"core", "dvfs"},
    # lds reads a ProbabilisticPolicy; bo_guided searches with the GP/BO stack (bo::optimizer over a space)
    "search": {"core", "dvfs", "policy", "space", "kernel", "mean", "gp", "acquisition", "opt", "bo"},
    "learn": {"core", "dvfs", "policy", "search"},    # trainers emit policies; oracles come from search
    "online": {"core", "dvfs", "policy", "kernel", "mean", "gp"},  # wraps a ProbabilisticPolicy; online_gp
    "problems": {"core", "dvfs", "space"},            # shared test problems: nothing in the library includes them
    "host": {"core", "dvfs"},                         # adapters to a real machine: never the simulator
    "io": set(LIBRARY) - {"io", "host", "c"},         # the only nlohmann/json user; nothing below includes it
    "c": {"core", "policy", "io"},                    # the C ABI (include/l2s/c/, src/capi/): saved policies
    "umbrella": set(LIBRARY) - {"io", "host", "c"},   # l2s.hpp, concepts.hpp
    "studies": set(LIBRARY) - {"host", "c"} | {"umbrella"},  # application layer: composes public types
    "app": set(LIBRARY) | {"umbrella", "studies"},    # the l2s tool and the demo
}

# Known violations of the table, each with what should move. Listed, not allowed: the check reports any
# other include of the same kind, and says when an entry no longer occurs so it can be deleted.
EXCEPTIONS = {
    # deprecated umbrella: forwards sim::best_static_level to search::best_static_level for one release
    ("include/l2s/sim/governors.hpp", "search"),
}

ROOT_FILES = {"version.hpp"}


def folder_of_file(path):
    p = path.replace(os.sep, "/")
    if p.startswith("src/capi/"):
        return "c"
    if p.startswith("apps/include/l2s/"):
        return "studies"
    if p.startswith("apps/"):
        return "app"
    rel = p[len("include/l2s/"):]
    if "/" in rel:
        return rel.split("/")[0]
    if rel in ("l2s.hpp", "concepts.hpp"):
        return "umbrella"
    if rel == "config.hpp":
        return "core"
    if rel in ROOT_FILES:
        return "root"
    return rel[:-len(".hpp")] if rel.endswith(".hpp") else rel


def folder_of_include(inc):
    """<l2s/X/...> -> X; <l2s/X.hpp> -> X; l2s.hpp/concepts.hpp -> umbrella; config.hpp -> core; version.hpp -> root."""
    if "/" in inc:
        return inc.split("/")[0]
    if inc in ("l2s.hpp", "concepts.hpp"):
        return "umbrella"
    if inc == "config.hpp":
        return "core"
    if inc in ROOT_FILES:
        return "root"
    return inc[:-len(".hpp")] if inc.endswith(".hpp") else inc


def check_acyclic():
    seen, done = set(), set()
    def visit(f, path):
        if f in done:
            return None
        if f in seen:
            return path[path.index(f):] + [f]
        seen.add(f)
        for g in sorted(ALLOWED.get(f, ())):
            cyc = visit(g, path + [f])
            if cyc:
                return cyc
        done.add(f)
        return None
    for f in sorted(ALLOWED):
        cyc = visit(f, [])
        if cyc:
            return cyc
    return None


def main():
    cycle = check_acyclic()
    if cycle:
        print("ALLOWED has a cycle: " + " -> ".join(cycle))
        return 1
    files = sorted(set(glob.glob("include/l2s/**/*.hpp", recursive=True) + glob.glob("include/l2s/**/*.h", recursive=True)
                       + glob.glob("apps/**/*.hpp", recursive=True) + glob.glob("apps/**/*.cpp", recursive=True)
                       + glob.glob("src/**/*.cpp", recursive=True)))
    broken, used = [], set()
    for f in files:
        src = folder_of_file(f)
        if src not in ALLOWED and src != "root":
            broken.append(f"{f}: folder '{src}' is not in scripts/check_layers.py ALLOWED (add it, and to docs/architecture.md)")
            continue
        for i, line in enumerate(open(f, encoding="utf-8"), 1):
            m = re.match(r"\s*#\s*include\s*<l2s/([^>]+)>", line)
            if not m:
                continue
            inc = m.group(1)
            dst = folder_of_include(inc)
            parts = inc.split("/")
            # another folder's detail/ (core/detail/, numerics on core's types, is shared like detail/)
            if len(parts) > 2 and parts[1] == "detail" and dst != src and not (dst == "core" and src != "detail"):
                key = (f, dst + "/detail")
                if key in EXCEPTIONS:
                    used.add(key)
                else:
                    broken.append(f"{f}:{i}: includes <l2s/{inc}>: '{src}' may not use '{dst}/detail/' (not API)")
                continue
            if dst in (src, "detail", "root"):
                continue
            if src == "root":
                broken.append(f"{f}:{i}: includes <l2s/{inc}>: version.hpp includes no l2s header")
                continue
            if dst not in ALLOWED[src]:
                key = (f, dst)
                if key in EXCEPTIONS:
                    used.add(key)
                    continue
                broken.append(f"{f}:{i}: includes <l2s/{inc}>: '{src}' may not depend on '{dst}' "
                              f"(allowed: {', '.join(sorted(ALLOWED[src])) or 'nothing'})")
    for key in sorted(EXCEPTIONS - used):
        print(f"note: exception {key[0]} -> {key[1]} no longer occurs; delete it from EXCEPTIONS")
    if broken:
        print("\n".join(broken))
        return 1
    print(f"layers: {len(files)} files follow the table ({len(used)} listed exceptions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
