"""Debian's rules_cc, made loadable by Bazel 4.2.3.

Debian ships a rules_cc newer than Bazel 4.2.3: two files load
`use_cpp_toolchain`, which 4.2.3's @bazel_tools lacks. This rule copies the
tree and replaces that call with the plain toolchain type label.
"""

def _debian_rules_cc_impl(ctx):
    src = ctx.path(ctx.attr.path)
    if not src.exists:
        fail("rules_cc not found at %s: run tools/bootstrap" % src)
    res = ctx.execute(["cp", "-r", str(src) + "/.", "."])
    if res.return_code != 0:
        fail("copying rules_cc failed: " + res.stderr)
    for f in ctx.attr.patch_files:
        text = ctx.read(f)
        text = text.replace(
            "\"find_cpp_toolchain\", \"use_cpp_toolchain\")",
            "\"find_cpp_toolchain\")",
        )
        text = text.replace(
            "use_cpp_toolchain()",
            "[\"@bazel_tools//tools/cpp:toolchain_type\"]",
        )
        ctx.file(f, text)

debian_rules_cc = repository_rule(
    implementation = _debian_rules_cc_impl,
    attrs = {
        "path": attr.string(default = "/usr/share/bazel/rules/cc"),
        "patch_files": attr.string_list(default = [
            "cc/private/rules_impl/cc_flags_supplier.bzl",
            "cc/private/rules_impl/compiler_flag.bzl",
        ]),
    },
    local = True,
)
