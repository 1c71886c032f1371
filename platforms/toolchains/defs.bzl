"""C/C++ toolchains for the cross targets, on Debian's compilers.

Each macro makes a cc_toolchain_config (Bazel's own
unix_cc_toolchain_config), its cc_toolchain and the toolchain() that
toolchain resolution picks for the matching //platforms platform. They are
registered by mongoose_dependencies() in //:deps.bzl and take effect with
--incompatible_enable_cc_toolchain_resolution (the configs in //:.bazelrc
set it).
"""

load("@bazel_tools//tools/cpp:unix_cc_toolchain_config.bzl", "cc_toolchain_config")
load("@rules_cc//cc:defs.bzl", "cc_toolchain")

# The machine that runs the compilers.
_EXEC = [
    "@platforms//cpu:x86_64",
    "@platforms//os:linux",
]

# Keeps compiler output independent of the build's time.
_REPRODUCIBLE = [
    "-Wno-builtin-macro-redefined",
    "-D__DATE__=\"redacted\"",
    "-D__TIMESTAMP__=\"redacted\"",
    "-D__TIME__=\"redacted\"",
]

def _toolchain(name, config, files, cpu_constraints):
    cc_toolchain(
        name = name + "_cc",
        toolchain_identifier = name,
        toolchain_config = config,
        all_files = files,
        ar_files = files,
        as_files = files,
        compiler_files = files,
        dwp_files = files,
        linker_files = files,
        objcopy_files = files,
        strip_files = files,
        supports_param_files = 1,
    )
    native.toolchain(
        name = name,
        exec_compatible_with = _EXEC,
        target_compatible_with = cpu_constraints,
        toolchain = ":" + name + "_cc",
        toolchain_type = "@bazel_tools//tools/cpp:toolchain_type",
    )

def gcc_cross_toolchain(name, triplet, cpu, target_constraints, arch_flags = [], extra_compile_flags = [], gcc_version = "12"):
    """A Debian gcc cross toolchain (gcc-TRIPLET, g++-TRIPLET).

    Args:
      name: the toolchain() target; NAME_config and NAME_cc are made too.
      triplet: GNU triplet, e.g. "aarch64-linux-gnu".
      cpu: Bazel's cpu string for the toolchain, e.g. "aarch64".
      target_constraints: constraint values of the target platform.
      arch_flags: -march and friends, for compiling and linking.
      extra_compile_flags: more flags for compiling only.
      gcc_version: the cross gcc's major version (Debian 12: 12).
    """
    tool = "/usr/bin/%s-" % triplet
    gcc_lib = "/usr/lib/gcc-cross/%s/%s" % (triplet, gcc_version)
    cc_toolchain_config(
        name = name + "_config",
        cpu = cpu,
        compiler = "gcc",
        toolchain_identifier = name,
        host_system_name = "x86_64-linux-gnu",
        target_system_name = triplet,
        target_libc = "glibc",
        abi_version = "gcc",
        abi_libc_version = "glibc",
        # Bazel checks every header a compile reads against the declared ones
        # and these directories (it normalises the ../ in the compiler's
        # spelling). Not /usr/include: that is the host's.
        cxx_builtin_include_directories = [
            "/usr/%s/include" % triplet,
            gcc_lib + "/include",
            gcc_lib + "/include-fixed",
        ],
        tool_paths = {
            "ar": tool + "ar",
            "cpp": tool + "cpp",
            "dwp": tool + "dwp",
            "gcc": tool + "gcc",
            "gcov": tool + "gcov",
            "ld": tool + "ld",
            "llvm-cov": "/bin/false",
            "nm": tool + "nm",
            "objcopy": tool + "objcopy",
            "objdump": tool + "objdump",
            "strip": tool + "strip",
        },
        compile_flags = arch_flags + extra_compile_flags + [
            "-U_FORTIFY_SOURCE",
            "-fstack-protector",
            "-Wall",
            "-Wunused-but-set-parameter",
            "-Wno-free-nonheap-object",
            "-fno-omit-frame-pointer",
        ],
        opt_compile_flags = [
            "-g0",
            "-O2",
            "-D_FORTIFY_SOURCE=1",
            "-DNDEBUG",
            "-ffunction-sections",
            "-fdata-sections",
        ],
        dbg_compile_flags = ["-g"],
        cxx_flags = ["-std=c++17"],
        link_flags = arch_flags + [
            "-Wl,-no-as-needed",
            "-Wl,-z,relro,-z,now",
            "-pass-exit-codes",
        ],
        link_libs = [
            "-lstdc++",
            "-lm",
        ],
        opt_link_flags = ["-Wl,--gc-sections"],
        unfiltered_compile_flags = [
            "-fno-canonical-system-headers",
            "-no-canonical-prefixes",
        ] + _REPRODUCIBLE,
        coverage_compile_flags = ["--coverage"],
        coverage_link_flags = ["--coverage"],
        supports_start_end_lib = False,
    )
    native.filegroup(name = name + "_files", srcs = [])
    _toolchain(name, ":" + name + "_config", ":" + name + "_files", target_constraints)

# Where Debian's emscripten keeps its prebuilt system libraries and their
# headers. Debian's config sets FROZEN_CACHE: emcc never writes there, so it
# works read-only inside Bazel's sandbox. A toolchain for a writable cache
# elsewhere (EM_CACHE) would list that cache's sysroot/include instead.
EM_CACHE = "/usr/share/emscripten/cache"

def emscripten_toolchain(name, target_constraints, clang_version = "14.0.6", llvm = "llvm-14"):
    """Debian's emscripten (emcc 3.1.6) as a wasm32 toolchain.

    Programs link to a single .js file (-sSINGLE_FILE=1: Bazel keeps no side
    .wasm file) that runs under Node and in a browser page
    (//testing/browser). The build is single-threaded: -pthread in a
    target's linkopts is overridden (-sUSE_PTHREADS=0), since threads in a
    browser need cross-origin isolation.

    Args:
      name: the toolchain() target; NAME_config and NAME_cc are made too.
      target_constraints: constraint values of the target platform.
      clang_version: version of the clang that emcc drives.
      llvm: Debian's name for that llvm.
    """
    no_threads = ["-sUSE_PTHREADS=0"]
    cc_toolchain_config(
        name = name + "_config",
        cpu = "wasm32",
        compiler = "emscripten",
        toolchain_identifier = name,
        host_system_name = "x86_64-linux-gnu",
        target_system_name = "wasm32-unknown-emscripten",
        target_libc = "musl",
        abi_version = "emscripten",
        abi_libc_version = "musl",
        cxx_builtin_include_directories = [
            EM_CACHE + "/sysroot/include",
            "/usr/share/emscripten/system/include",
            "/usr/lib/clang/%s/include" % clang_version,
            "/usr/lib/%s/lib/clang/%s/include" % (llvm, clang_version),
        ],
        tool_paths = {
            "ar": "/usr/bin/emar",
            "cpp": "/bin/false",
            "dwp": "/bin/false",
            "gcc": "emcc.sh",
            "gcov": "/bin/false",
            "ld": "emcc.sh",
            "llvm-cov": "/bin/false",
            "nm": "/usr/lib/%s/bin/llvm-nm" % llvm,
            "objcopy": "/bin/false",
            "objdump": "/usr/lib/%s/bin/llvm-objdump" % llvm,
            "strip": "/bin/false",
        },
        compile_flags = no_threads + [
            "-Wall",
            "-fno-omit-frame-pointer",
        ],
        opt_compile_flags = [
            "-O2",
            "-DNDEBUG",
            "-ffunction-sections",
            "-fdata-sections",
        ],
        dbg_compile_flags = ["-g"],
        cxx_flags = ["-std=c++17"],
        link_flags = no_threads + [
            "-sSINGLE_FILE=1",
            "-sEXIT_RUNTIME=1",
            "-sALLOW_MEMORY_GROWTH=1",
        ],
        link_libs = [],
        opt_link_flags = ["-O2"],
        unfiltered_compile_flags = ["-no-canonical-prefixes"] + _REPRODUCIBLE,
        supports_start_end_lib = False,
    )
    native.filegroup(name = name + "_files", srcs = ["emcc.sh"])
    _toolchain(name, ":" + name + "_config", ":" + name + "_files", target_constraints)
