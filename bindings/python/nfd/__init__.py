# SPDX-License-Identifier: LGPL-2.1-or-later
"""Python binding of libnfd: node feature discovery and image compatibility.

A thin ctypes layer over the C library ``libnfd.so.1``; no compiler is needed.
The library is found through ``$NFD_LIBRARY`` (a path), then a build tree
(``$NFD_TOP_BUILDDIR`` or the source tree this package sits in), then the
system loader.

::

    import nfd

    features = nfd.discover()                       # this host
    spec = nfd.Spec.from_file("compat.yaml")        # or nfd.fetch_spec("oci:layout:tag")
    report = spec.evaluate(features)
    print(report.to_text())
    for s in report:
        for rule in s:
            for row in rule:
                if not row.is_match:
                    print(row.feature, row.name, row.expression, row.node_value)

Many nodes (``kubectl get nodefeatures -A -o json``), one verdict each::

    for node, report in nfd.evaluate_nodes(spec, "nodefeatures.json"):
        print(node, report.compatible)

Errors raise :class:`nfd.Error`, an :class:`OSError` with ``errno`` and the
library's message, built as the errno's usual subclass too (``except
FileNotFoundError`` catches ENOENT); an image without a compatibility
artifact raises :class:`nfd.NoArtifact`.  Objects release their C references on :meth:`close`, at
the end of a ``with`` block, or when collected.  Threads: built features,
specs and reports may be shared; every call uses the calling thread's own
context unless a :class:`nfd.Context` is passed explicitly.
"""

from ._lib import Error, NoArtifact, lib as _cdll
from .context import Context, Path
from .features import (AttributeMap, FeatureMap, Features, FeaturesBuilder, FeatureType,
                       FlagSet, Instance, InstanceList, discover, source_names)
from .nodes import Nodes, evaluate_nodes
from .oci import (Artifact, attach_spec, fetch, fetch_spec, fetch_spec_data, has_registry,
                  list_artifacts, remove_artifact)
from .report import Report, ReportRow, ReportRule, ReportSet
from .rules import Rules, RulesResult, Taint
from .spec import Spec, SpecSet

__all__ = [
    "Error", "NoArtifact", "Context", "Path", "Features", "FeaturesBuilder", "FeatureType", "FeatureMap",
    "FlagSet", "AttributeMap", "Instance", "InstanceList", "discover", "source_names",
    "Nodes", "evaluate_nodes", "Spec", "SpecSet", "Rules", "RulesResult", "Taint", "Report",
    "ReportSet", "ReportRule", "ReportRow",
    "fetch_spec", "fetch_spec_data", "attach_spec", "has_registry", "library_version",
    "fetch", "Artifact", "list_artifacts", "remove_artifact",
    "__version__",
]

__version__ = "0.1.0"


def library_version() -> str:
    """The version of the loaded libnfd (``nfd_version()``)."""
    return _cdll.nfd_version().decode()
