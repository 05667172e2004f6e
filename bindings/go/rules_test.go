// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd

import (
	"reflect"
	"strings"
	"testing"
)

const testRules = `apiVersion: nfd.k8s-sigs.io/v1alpha1
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
    labels: {major: "@kernel.version.major", "bad label": "1"}
    vars: {a-var: "true"}
    taints: [{key: example.com/t, value: v, effect: NoExecute}]
    matchFeatures:
    - feature: kernel.version
      matchExpressions: {major: {op: Gt, value: ["4"]}}
`

func TestRulesEvaluate(t *testing.T) {
	rules, err := ParseRules([]byte(testRules), "rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer rules.Close()
	if p := rules.Problems(); len(p) != 1 || !strings.HasPrefix(p[0], "rules.yaml:18:") {
		t.Errorf("problems %q", p)
	}
	if w := rules.Warnings(); len(w) != 0 {
		t.Errorf("warnings %q", w)
	}
	dup, err := ParseRules([]byte(strings.Replace(testRules, `labels: {seen: "true"}`,
		`labels: {seen: "true", seen: "2"}`, 1)), "dup.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer dup.Close()
	if w := dup.Warnings(); len(w) != 1 || !strings.Contains(w[0], `duplicate key "seen" (first at dup.yaml:7:14)`) {
		t.Errorf("warnings of a repeated key %q", w)
	}
	f, err := NewFeatures()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.SetAttribute("kernel.version", "major", "6"); err != nil {
		t.Fatal(err)
	}
	if err := f.Seal(); err != nil {
		t.Fatal(err)
	}
	res, err := rules.Evaluate(f, RulesOptions{NodeLabels: map[string]string{"major": "w", "x": "1"}, EnableTaints: true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"feature.node.kubernetes.io/major": "6",
		"feature.node.kubernetes.io/x":     "1",
		"feature.node.kubernetes.io/seen":  "true",
	}
	if !reflect.DeepEqual(res.Labels, want) {
		t.Errorf("labels %v, want %v", res.Labels, want)
	}
	if !reflect.DeepEqual(res.Taints, []Taint{{"example.com/t", "v", "NoExecute"}}) {
		t.Errorf("taints %v", res.Taints)
	}
	if len(res.Messages) != 1 || res.Messages[0].Kind != "label" ||
		!strings.Contains(res.Messages[0].Message, `invalid label key "feature.node.kubernetes.io/bad label"`) {
		t.Errorf("messages %v", res.Messages)
	}
	if _, err := ParseRules([]byte("kind: Pod\n"), "pod.yaml"); err == nil || !strings.Contains(err.Error(), "pod.yaml:1:1:") {
		t.Errorf("Pod: %v", err)
	}
}
