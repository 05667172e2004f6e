#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""check_host: does this host (or a host root, or exported features) satisfy a spec?

    check_host.py [--root DIR] [--features FILE] [--tags T1,T2] SPEC

Prints every failing row with the node's value and the verdict.
Exit status: 0 compatible, 1 incompatible, 2 error.
"""

import argparse
import sys

import nfd


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", help="host root to discover (default /)")
    ap.add_argument("--features", help="exported features (JSON) instead of discovery")
    ap.add_argument("--tags", help="only the sets with one of these tags (T1,T2)")
    ap.add_argument("spec", help="spec file, or an image reference such as oci:DIR:TAG")
    args = ap.parse_args()
    try:
        if args.spec.startswith(("oci:", "oci-layout:")):
            spec = nfd.fetch_spec(args.spec)
        else:
            spec = nfd.Spec.from_file(args.spec)
        if args.features:
            features = nfd.Features.from_file(args.features)
        else:
            features = spec.discover(root=args.root)  # only the sources the spec needs
        report = spec.evaluate(features, tags=args.tags.split(",") if args.tags else None)
    except nfd.Error as e:
        print(f"check_host: {e.strerror}", file=sys.stderr)
        return 2
    with report:
        for s in report:
            print(f"set #{s.spec_index + 1}{' tag ' + s.tag if s.tag else ''}: "
                  f"{'compatible' if s.compatible else 'incompatible'}")
            for rule in s:
                if rule.is_match:
                    continue
                print(f'  rule "{rule.name}" failed')
                for row in rule:
                    if not row.is_match:
                        where = f"{row.feature}.{row.name}" if row.name else row.feature
                        print(f"    {where} {row.expression}: node has "
                              f"{row.node_value if row.node_value is not None else 'nothing'}")
        if report.compatible:
            best = report.sets[report.best_set]
            print(f"compatible (best set #{best.spec_index + 1}, weight {best.weight})")
            return 0
        print("incompatible")
        return 1


if __name__ == "__main__":
    sys.exit(main())
