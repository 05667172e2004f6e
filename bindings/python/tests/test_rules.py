# SPDX-License-Identifier: LGPL-2.1-or-later
"""nfd.Rules: NodeFeatureRule evaluation as nfd-master does it."""

import json

import pytest

import nfd

RULES = """\
apiVersion: nfd.k8s-sigs.io/v1alpha1
kind: NodeFeatureRule
metadata: {name: b}
spec:
  rules:
  - name: sees-a
    labels: {seen: "true"}
    matchFeatures:
    - feature: rule.matched
      matchExpressions: {a-var: {op: IsTrue}}
---
apiVersion: nfd.k8s-sigs.io/v1alpha1
kind: NodeFeatureRule
metadata: {name: a}
spec:
  rules:
  - name: kernel
    labels: {major: "@kernel.version.major", "example.kubernetes.io/x": "1"}
    vars: {a-var: "true"}
    taints: [{key: example.com/t, value: v, effect: NoSchedule}]
    extendedResources: {widgets: "2"}
    matchFeatures:
    - feature: kernel.version
      matchExpressions: {major: {op: Gt, value: ["4"]}}
  - name: broken
    labels: {never: "true"}
    matchFeatures:
    - feature: kernel.version
      matchExpressions: {major: {op: Gt, value: ["x"]}}
"""


@pytest.fixture
def features():
    b = nfd.Features.build()
    b.set_attribute("kernel.version", "major", "6")
    return b.seal()


def test_evaluate(features):
    rules = nfd.Rules.from_string(RULES, "rules.yaml")
    assert len(rules) == 2
    res = rules.evaluate(features, node_labels={"major": "worker", "other": "1"},
                         enable_taints=True)
    assert res.labels == {
        "feature.node.kubernetes.io/major": "6",
        "feature.node.kubernetes.io/other": "1",
        "feature.node.kubernetes.io/seen": "true",
    }
    assert res.vars == {"a-var": "true"}
    assert res.taints == [nfd.Taint("example.com/t", "v", "NoSchedule")]
    assert res.extended_resources == {"feature.node.kubernetes.io/widgets": "2"}
    kinds = [k for k, _ in res.messages]
    assert kinds == ["rule", "label"], res.messages
    assert 'failed to process rule "broken"' in res.messages[0][1]
    assert 'namespace "example.kubernetes.io" is not allowed' in res.messages[1][1]
    assert json.loads(res.to_json())["taints"][0]["effect"] == "NoSchedule"


def test_taints_off_and_namespaces(features):
    res = nfd.Rules.from_string(RULES).evaluate(features, extra_label_ns=["example.kubernetes.io"])
    assert res.taints == []
    assert res.labels["example.kubernetes.io/x"] == "1"


def test_problems_and_errors():
    rules = nfd.Rules.from_string(RULES, "rules.yaml")
    assert any("rules.yaml:18:" in p and "namespace is not allowed" in p for p in rules.problems)
    assert rules.warnings == []
    dup = RULES.replace('labels: {seen: "true"}', 'labels: {seen: "true", seen: "2"}', 1)
    warnings = nfd.Rules.from_string(dup, "dup.yaml").warnings
    assert len(warnings) == 1 and 'duplicate key "seen" (first at dup.yaml:7:14)' in warnings[0]
    with pytest.raises(nfd.Error) as e:
        nfd.Rules.from_string("kind: Pod\n", "pod.yaml")
    assert "pod.yaml:1:1:" in str(e.value)
