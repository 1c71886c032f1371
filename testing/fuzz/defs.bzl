"""libFuzzer targets that double as corpus replay tests.

mg_fuzz_target(name, srcs, deps, corpus) makes one cc_test, `name`, whose
sources define LLVMFuzzerTestOneInput():
- default config (gcc): linked with a small main that feeds every corpus
  file to the target once, so `bazel test //...` replays the corpus;
- --config=fuzz (clang): linked with libFuzzer; tools/test runs it for a
  short smoke time on a copy of the corpus.
"""

load("@rules_cc//cc:defs.bzl", "cc_test")

def mg_fuzz_target(name, srcs, deps = [], corpus = [], tags = [], **kwargs):
    cc_test(
        name = name,
        srcs = srcs,
        deps = deps + select({
            str(Label("//testing/fuzz:libfuzzer")): [],
            "//conditions:default": [str(Label("//testing/fuzz:replay_main"))],
        }),
        linkopts = select({
            str(Label("//testing/fuzz:libfuzzer")): ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        args = ["$(location %s)" % c for c in corpus],
        data = corpus,
        tags = tags + ["fuzz"],
        **kwargs
    )
