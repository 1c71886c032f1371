"""A local stand-in for @remote_coverage_tools (see BUILD.coverage_tools)."""

def _coverage_tools_impl(ctx):
    ctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % ctx.name)
    ctx.file(
        "unavailable.sh",
        "#!/bin/sh\necho 'coverage tools are not available offline' >&2\nexit 1\n",
        executable = True,
    )
    ctx.symlink(ctx.attr.build_file, "BUILD")

local_coverage_tools = repository_rule(
    implementation = _coverage_tools_impl,
    attrs = {"build_file": attr.label(allow_single_file = True)},
)
