// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var topDir = func() string {
	if d := os.Getenv("NFD_TOP_SRCDIR"); d != "" {
		return d
	}
	d, _ := filepath.Abs(filepath.Join("..", ".."))
	return d
}()

func nodesFixture(name string) string {
	return filepath.Join(topDir, "tests", "fixtures", "nodes", name)
}

func rootsDir() string {
	if d := os.Getenv("NFD_FIXTURE_ROOTS"); d != "" {
		return d
	}
	return filepath.Join(topDir, "tests", "fixtures", "roots")
}

func verdicts(t *testing.T, res []NodeResult) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, r := range res {
		out[r.Node] = r.Report.Compatible()
	}
	return out
}

func TestNodesMergeOrder(t *testing.T) {
	nodes, err := ParseNodesFile(nodesFixture("merge.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer nodes.Close()
	if got := nodes.Names(); !reflect.DeepEqual(got, []string{"worker-1", "worker-2"}) {
		t.Fatalf("names %v", got)
	}
	if w := nodes.Warnings(); len(w) != 1 || !strings.Contains(w[0], "orphan") {
		t.Fatalf("warnings %v", w)
	}
	f := nodes.Features("worker-1")
	if v, _ := f.Attribute("kernel.version", "major"); v != "6" {
		t.Fatalf("third-party object should win: major %q", v)
	}
	if nodes.Features("orphan") != nil {
		t.Fatal("an unlabelled object became a node")
	}
	other, err := ParseNodesFile(nodesFixture("merge.json"), &NodesOptions{NFDNamespace: "third-party"})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := other.Features("worker-1").Attribute("kernel.version", "major"); v != "7" {
		t.Fatalf("with nfd-master in third-party: major %q, want 7", v)
	}
}

func TestEvaluateNodesKnownAnswers(t *testing.T) {
	spec, err := ParseSpecFile(nodesFixture("kernel6.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	nodes, err := ParseNodesFile(nodesFixture("merge.json"), &NodesOptions{OnlyFor: []*Spec{spec}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := spec.EvaluateNodes(nodes)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Node != "worker-1" || res[1].Node != "worker-2" {
		t.Fatalf("order %v %v", res[0].Node, res[1].Node)
	}
	if got := verdicts(t, res); !reflect.DeepEqual(got, map[string]bool{"worker-1": true, "worker-2": false}) {
		t.Fatalf("verdicts %v", got)
	}
}

// The chimera (GPU + Debian) is incompatible on every fixture node, and the
// per-node verdicts equal the CLI's and each node's own.
func TestEvaluateNodesFixtures(t *testing.T) {
	matches, _ := filepath.Glob(filepath.Join(rootsDir(), "*", "expected.json"))
	if len(matches) < 5 {
		t.Fatalf("only %d fixture nodes", len(matches))
	}
	type item map[string]interface{}
	var items []item
	for _, m := range matches {
		var feats interface{}
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &feats); err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(filepath.Dir(m))
		items = append(items, item{"apiVersion": "nfd.k8s-sigs.io/v1alpha1", "kind": "NodeFeature",
			"metadata": item{"name": name, "namespace": "node-feature-discovery",
				"labels": item{"nfd.node.kubernetes.io/node-name": name}},
			"spec": item{"features": feats}})
	}
	doc, _ := json.Marshal(item{"apiVersion": "v1", "kind": "List", "items": items})
	list := filepath.Join(t.TempDir(), "list.json")
	if err := os.WriteFile(list, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, specPath := range []string{nodesFixture("chimera.yaml"),
		filepath.Join(topDir, "examples", "nvidia-gpu.yaml")} {
		spec, err := ParseSpecFile(specPath)
		if err != nil {
			t.Fatal(err)
		}
		nodes, err := ParseNodes(doc, nil)
		if err != nil {
			t.Fatal(err)
		}
		res, err := spec.EvaluateNodes(nodes)
		if err != nil {
			t.Fatal(err)
		}
		got := verdicts(t, res)
		for _, m := range matches {
			f, err := ParseFeaturesFile(m)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := spec.Evaluate(f)
			if err != nil {
				t.Fatal(err)
			}
			want := rep.Compatible()
			if got[filepath.Base(filepath.Dir(m))] != want {
				t.Errorf("%s: %s: list verdict differs from the node's own", specPath, m)
			}
		}
		if strings.HasSuffix(specPath, "chimera.yaml") {
			for n, ok := range got {
				if ok {
					t.Errorf("chimera: %s compatible", n)
				}
			}
		} else if !got["gpu-server"] || got["arm64-host"] {
			t.Errorf("nvidia-gpu: %v", got)
		}
		if bin := os.Getenv("NFD_BIN"); bin != "" {
			out, _ := exec.Command(bin, "compat", "validate-node", "--spec", specPath,
				"--features", list, "--output-json").Output()
			var cli []struct {
				Node       string `json:"node"`
				Compatible bool   `json:"compatible"`
			}
			if err := json.Unmarshal(out, &cli); err != nil {
				t.Fatalf("CLI output: %v", err)
			}
			for i, c := range cli {
				if c.Node != res[i].Node || c.Compatible != got[c.Node] {
					t.Errorf("CLI says %s %v, binding %s %v", c.Node, c.Compatible,
						res[i].Node, got[c.Node])
				}
			}
		}
	}
}

func TestNodesBadInput(t *testing.T) {
	_, err := ParseNodes([]byte(`{"kind":"List","items":[{"kind":"Node","metadata":{"name":"n"}}]}`), nil)
	if err == nil || !strings.Contains(err.Error(), "expected kind NodeFeature, got kind 'Node'") {
		t.Fatalf("kind Node: %v", err)
	}
	if _, err := ParseNodes([]byte(`{"kind":"List","items":[`), nil); err == nil {
		t.Fatal("a truncated list was accepted")
	}
}
