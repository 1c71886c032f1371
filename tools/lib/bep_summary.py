#!/usr/bin/env python3
"""Counts the tests of one `bazel test` run from its build event file.

Usage: bep_summary.py BEP_JSON BAZEL_EXIT_CODE EXCLUDED_TAGS

Prints one line per failed target ("FAIL <label> <why>"), then a last line
"<passed> <failed> <skipped>". Honest counting:
- a test with a summary passed if its status is PASSED or FLAKY;
- a test that failed to build or analyse counts as failed;
- a test that never got a status (Bazel stopped early) counts as failed,
  unless it carries an excluded tag (filtered out on purpose) or was skipped
  as incompatible with the platform;
- if Bazel failed but no test failed (a library or binary did not build),
  that is one failure ("build");
- a missing or unreadable event file is one failure.
"""
import json
import sys


def main():
    path, rc, excluded = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    excluded = {t for t in excluded.split(",") if t}
    tests = {}        # label -> tags of every test target
    summary = {}      # label -> overall status
    broken = {}       # label -> why it did not build
    skipped = set()   # incompatible with the platform
    nontest_broken = []
    try:
        with open(path) as f:
            events = [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError) as e:
        print("FAIL (bazel) no build events: %s" % e)
        print("0 1 0")
        return
    kinds = {}
    for ev in events:
        eid = ev.get("id", {})
        if "targetConfigured" in eid and "configured" in ev:
            label = eid["targetConfigured"]["label"]
            kind = ev["configured"].get("targetKind", "")
            kinds[label] = kind
            if kind.endswith("_test rule"):
                tests[label] = set(ev["configured"].get("tag", []))
    for ev in events:
        eid = ev.get("id", {})
        for key in ("targetCompleted", "configuredLabel", "targetConfigured"):
            if key not in eid or "aborted" not in ev:
                continue
            label = eid[key]["label"]
            reason = ev["aborted"].get("reason", "ABORTED")
            if reason == "SKIPPED":
                skipped.add(label)
            elif label in tests or kinds.get(label, "").endswith("_test rule"):
                broken.setdefault(label, reason.lower().replace("_", " "))
            else:
                nontest_broken.append(label)
        if "targetCompleted" in eid and "completed" in ev:
            label = eid["targetCompleted"]["label"]
            if not ev["completed"].get("success", False):
                if label in tests:
                    broken.setdefault(label, "failed to build")
                else:
                    nontest_broken.append(label)
        if "testSummary" in eid and "testSummary" in ev:
            label = eid["testSummary"]["label"]
            summary[label] = ev["testSummary"].get("overallStatus", "NO_STATUS")
    passed = failed = nskipped = 0
    for label in sorted(tests):
        if label in summary:
            status = summary[label]
            if status in ("PASSED", "FLAKY"):
                passed += 1
                if status == "FLAKY":
                    print("FLAKY %s" % label)
            else:
                failed += 1
                print("FAIL %s %s" % (label, status.lower().replace("_", " ")))
        elif label in broken:
            failed += 1
            print("FAIL %s %s" % (label, broken[label]))
        elif label in skipped or tests[label] & excluded:
            nskipped += 1
        else:
            failed += 1
            print("FAIL %s no status" % label)
    if failed == 0 and (nontest_broken or rc not in (0, 3, 4)):
        failed = 1
        what = ", ".join(sorted(set(nontest_broken))) or "bazel exit %d" % rc
        print("FAIL (build) %s" % what)
    print("%d %d %d" % (passed, failed, nskipped))


if __name__ == "__main__":
    main()
