"""Compiles a C library's sources as C++ (the reference promises both).

    load("//testing/cxx:defs.bzl", "mg_cxx_compile_test")

    mg_cxx_compile_test(
        name = "core_as_cxx_test",
        libs = ["//mg:core"],
    )

For every cc_library in `libs`, each of its `.c` sources is copied to a
`.cc` file and compiled as C++ with the library's own headers, defines and
include paths (its private headers included) and -Wall -Wextra -Werror.
The test builds only if every file compiles; running it prints what was
compiled. A plugin adds its library here (or calls the rule in its own
package) and needs no list of files: they come from the library itself.
"""

load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

_CxxSourcesInfo = provider(
    doc = "The C sources and private headers of a cc_library.",
    fields = {
        "srcs": "list of .c Files",
        "hdrs": "list of header Files among srcs",
        "compilation_context": "the library's CcInfo compilation context",
    },
)

def _sources_aspect_impl(target, ctx):
    srcs = []
    hdrs = []
    for f in getattr(ctx.rule.files, "srcs", []):
        if f.extension == "c":
            srcs.append(f)
        elif f.extension in ("h", "inc"):
            hdrs.append(f)
    return [_CxxSourcesInfo(
        srcs = srcs,
        hdrs = hdrs,
        compilation_context = target[CcInfo].compilation_context,
    )]

_sources_aspect = aspect(
    implementation = _sources_aspect_impl,
)

CXX_COPTS = ["-Wall", "-Wextra", "-Werror"]

def _cxx_compile_test_impl(ctx):
    cc_toolchain = find_cpp_toolchain(ctx)
    features = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    objects = []
    compiled = []
    for lib in ctx.attr.libs:
        info = lib[_CxxSourcesInfo]
        if not info.srcs:
            fail("%s has no .c sources to compile as C++" % lib.label)
        copies = []
        for src in info.srcs:
            # <name>_cxx/<package>/<file>.cc: the copy keeps the original's
            # relative path so file-relative includes still resolve.
            copy = ctx.actions.declare_file(
                "%s_cxx/%s/%s.cc" % (ctx.label.name, src.dirname, src.basename[:-2]),
            )
            ctx.actions.expand_template(
                template = src,
                output = copy,
                substitutions = {},
            )
            copies.append(copy)
            compiled.append(src.short_path)
        _, outputs = cc_common.compile(
            name = "%s_%s" % (ctx.label.name, lib.label.name),
            actions = ctx.actions,
            feature_configuration = features,
            cc_toolchain = cc_toolchain,
            srcs = copies,
            private_hdrs = info.hdrs,
            compilation_contexts = [info.compilation_context],
            user_compile_flags = CXX_COPTS + ctx.attr.copts,
        )
        objects.extend(outputs.objects + outputs.pic_objects)

    script = ctx.actions.declare_file(ctx.label.name + ".sh")
    ctx.actions.write(
        output = script,
        is_executable = True,
        content = "#!/bin/sh\necho 'compiled as C++ (%d files): %s'\n" % (
            len(compiled),
            " ".join(compiled),
        ),
    )
    return [DefaultInfo(
        executable = script,
        runfiles = ctx.runfiles(files = objects),
    )]

mg_cxx_compile_test = rule(
    implementation = _cxx_compile_test_impl,
    test = True,
    attrs = {
        "libs": attr.label_list(
            aspects = [_sources_aspect],
            providers = [CcInfo],
            mandatory = True,
            doc = "cc_library targets whose .c sources must compile as C++",
        ),
        "copts": attr.string_list(doc = "extra C++ compiler flags"),
        "_cc_toolchain": attr.label(
            default = "@bazel_tools//tools/cpp:current_cc_toolchain",
        ),
    },
    fragments = ["cpp"],
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
    doc = "Compiles the .c sources of C libraries as C++; passes if they compile.",
)
