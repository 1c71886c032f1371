"""Declares every external repository the project needs.

All of them come from Debian packages installed by tools/bootstrap; nothing
is downloaded. Another workspace uses this one with:

    local_repository(name = "mongoose", path = "...")
    load("@mongoose//:deps.bzl", "mongoose_dependencies")
    mongoose_dependencies()

and depends on "@mongoose//:mongoose".
"""

load("//third_party/rules_cc:repo.bzl", "debian_rules_cc")
load("//third_party/coverage_tools:repo.bzl", "local_coverage_tools")

def _maybe(rule, name, **kwargs):
    if name not in native.existing_rules():
        rule(name = name, **kwargs)

def mongoose_dependencies():
    """Declares rules_cc, rules_java, platforms, skylib, googletest, boringssl, abseil.

    Also registers the cross toolchains of //platforms/toolchains.
    """
    _maybe(debian_rules_cc, name = "rules_cc")
    _maybe(
        native.local_repository,
        name = "rules_java",
        path = "/usr/share/bazel/rules/java",
    )
    _maybe(
        native.local_repository,
        name = "platforms",
        path = "/usr/share/bazel/tools/platforms",
    )
    _maybe(
        native.local_repository,
        name = "bazel_skylib",
        path = "/usr/share/bazel/tools/skylib",
    )
    _maybe(
        local_coverage_tools,
        name = "remote_coverage_tools",
        build_file = Label("//third_party/coverage_tools:BUILD.coverage_tools"),
    )
    _maybe(
        native.new_local_repository,
        name = "googletest",
        path = "/usr/src/googletest",
        build_file = str(Label("//third_party/googletest:BUILD.googletest")),
    )
    _maybe(
        native.new_local_repository,
        name = "boringssl",
        path = "/usr/include/android",
        build_file = str(Label("//third_party/boringssl:BUILD.boringssl")),
    )
    _maybe(
        native.new_local_repository,
        name = "abseil",
        path = "/usr/include",
        build_file = str(Label("//third_party/abseil:BUILD.abseil")),
    )

    # The cross toolchains (ARM, wasm32; see //platforms). They are only
    # consulted with --incompatible_enable_cc_toolchain_resolution, so the
    # default x86_64 build keeps Bazel's auto-configured gcc.
    native.register_toolchains(
        str(Label("//platforms/toolchains:linux_armv7")),
        str(Label("//platforms/toolchains:linux_aarch64")),
        str(Label("//platforms/toolchains:wasm32")),
    )
