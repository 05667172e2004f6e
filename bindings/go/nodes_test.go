// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd

import (
	"encoding/json"
	"fmt"
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

// longList is a NodeFeature list of ~12 MB, long enough for the reader to
// cut it into runs read on several threads, with skipped items inside.
func longList(t *testing.T) []byte {
	t.Helper()
	roots := []string{"this-vm", "h200-gpu-vm", "gpu-server", "arm64-host"}
	feats := map[string]interface{}{}
	for _, r := range roots {
		b, err := os.ReadFile(filepath.Join(rootsDir(), r, "expected.json"))
		if err != nil {
			t.Fatal(err)
		}
		var f interface{}
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatal(err)
		}
		feats[r] = f
	}
	type item map[string]interface{}
	var items []item
	for i := 0; i < 480; i++ {
		name := fmt.Sprintf("node-%04d", i)
		items = append(items, item{"apiVersion": "nfd.k8s-sigs.io/v1alpha1", "kind": "NodeFeature",
			"metadata": item{"name": name, "namespace": "node-feature-discovery",
				"labels": item{"nfd.node.kubernetes.io/node-name": name}},
			"spec": item{"features": feats[roots[i%len(roots)]]}})
		if i%37 == 5 {
			items = append(items, item{"apiVersion": "nfd.k8s-sigs.io/v1alpha1",
				"kind": "NodeFeature", "metadata": item{"name": fmt.Sprintf("orphan-%d", i)},
				"spec": item{"features": feats["arm64-host"]}})
		}
	}
	doc, err := json.Marshal(item{"apiVersion": "v1", "kind": "List", "items": items})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc) < 10<<20 {
		t.Fatalf("list of %d bytes: too short to be cut", len(doc))
	}
	return doc
}

// Threads (struct nfd_nodes_options version 2, and the evaluating
// goroutines) never change the result: nodes, warnings, features, verdicts.
func TestNodesThreads(t *testing.T) {
	doc := longList(t)
	spec, err := ParseSpecFile(filepath.Join(topDir, "examples", "nvidia-gpu.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	type outcome struct {
		Names, Warnings []string
		Features        []string
		Verdicts        map[string]bool
	}
	var first *outcome
	for _, threads := range []int{1, 2, 4, 0} {
		nodes, err := ParseNodes(doc, &NodesOptions{Threads: threads})
		if err != nil {
			t.Fatalf("threads %d: %v", threads, err)
		}
		o := &outcome{Names: nodes.Names(), Warnings: nodes.Warnings()}
		for _, n := range []string{"node-0000", "node-0081", "node-0159"} {
			b, err := nodes.Features(n).JSON(0)
			if err != nil {
				t.Fatal(err)
			}
			o.Features = append(o.Features, string(b))
		}
		res, err := spec.EvaluateNodesWith(nodes, &EvaluateNodesOptions{Threads: threads + 1})
		if err != nil {
			t.Fatal(err)
		}
		o.Verdicts = verdicts(t, res)
		nodes.Close()
		if len(o.Names) != 480 || len(o.Warnings) != 13 || len(o.Verdicts) != 480 {
			t.Fatalf("threads %d: %d nodes, %d warnings, %d verdicts", threads,
				len(o.Names), len(o.Warnings), len(o.Verdicts))
		}
		if first == nil {
			first = o
		} else if !reflect.DeepEqual(first, o) {
			t.Fatalf("threads %d: the result differs from threads 1", threads)
		}
	}
	if !first.Verdicts["node-0002"] || first.Verdicts["node-0003"] {
		t.Fatalf("verdicts: gpu-server %v, arm64-host %v", first.Verdicts["node-0002"],
			first.Verdicts["node-0003"])
	}
	// a list cut deep inside fails alike on any thread count
	var msgs []string
	for _, threads := range []int{1, 4} {
		_, err := ParseNodes(doc[:len(doc)*2/3], &NodesOptions{Threads: threads})
		if err == nil {
			t.Fatalf("threads %d: a truncated list was accepted", threads)
		}
		msgs = append(msgs, err.Error())
	}
	if msgs[0] != msgs[1] {
		t.Fatalf("truncated list: %q vs %q", msgs[0], msgs[1])
	}
	if _, err := ParseNodes(doc, &NodesOptions{Threads: -1}); err == nil {
		t.Fatal("threads -1 was accepted")
	}
	nodes, err := ParseNodesFile(nodesFixture("merge.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := spec.EvaluateNodesWith(nodes, &EvaluateNodesOptions{Threads: -2}); err == nil {
		t.Fatal("threads -2 was accepted")
	}
}
