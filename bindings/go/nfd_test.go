// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// The test data is shared with the Python binding's tests.
var dataDir = func() string {
	d, err := filepath.Abs(filepath.Join("..", "python", "tests", "data"))
	if err != nil {
		panic(err)
	}
	return d
}()

func data(name string) string { return filepath.Join(dataDir, name) }

func mustFeatures(t *testing.T) *Features {
	t.Helper()
	f, err := ParseFeaturesFile(data("features.json"))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func mustSpec(t *testing.T, name string) *Spec {
	t.Helper()
	s, err := ParseSpecFile(data(name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestVersionAndSources(t *testing.T) {
	if strings.Count(Version(), ".") != 2 {
		t.Errorf("Version() = %q", Version())
	}
	names := SourceNames()
	if len(names) < 4 || names[0] != "cpu" {
		t.Errorf("SourceNames() = %v", names)
	}
}

func TestBuildFeatures(t *testing.T) {
	f, err := NewFeatures()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.AddFlag("cpu.cpuid", "AVX2"))
	must(f.AddFlag("cpu.cpuid", "SSE4"))
	must(f.SetAttribute("kernel.version", "major", "6"))
	must(f.Declare(Flag, "kernel.loadedmodule"))
	if i, err := f.AddInstance("pci.device", map[string]string{"vendor": "10de", "class": "0302"}); i != 0 || err != nil {
		t.Fatalf("AddInstance = %d, %v", i, err)
	}
	if i, err := f.AddInstance("pci.device", nil); i != 1 || err != nil {
		t.Fatalf("AddInstance = %d, %v", i, err)
	}
	must(f.Seal())
	err = f.AddFlag("cpu.cpuid", "AVX512F")
	if !errors.Is(err, syscall.EPERM) {
		t.Errorf("AddFlag after Seal: %v, want EPERM", err)
	}
	if flags, _ := f.Flags("cpu.cpuid"); !reflect.DeepEqual(flags, []string{"AVX2", "SSE4"}) {
		t.Errorf("Flags = %v", flags)
	}
	if flags, err := f.Flags("kernel.loadedmodule"); err != nil || len(flags) != 0 {
		t.Errorf("declared Flags = %v, %v", flags, err)
	}
	if _, err := f.Flags("cpu.none"); !errors.Is(err, syscall.ENOENT) {
		t.Errorf("Flags(missing) err = %v", err)
	}
	if !f.HasFlag("cpu.cpuid", "AVX2") || f.HasFlag("cpu.cpuid", "AVX512F") {
		t.Error("HasFlag")
	}
	if v, ok := f.Attribute("kernel.version", "major"); v != "6" || !ok {
		t.Errorf("Attribute = %q, %v", v, ok)
	}
	if _, ok := f.Attribute("kernel.version", "minor"); ok {
		t.Error("Attribute(minor) exists")
	}
	inst, err := f.Instances("pci.device")
	want := []map[string]string{{"vendor": "10de", "class": "0302"}, {}}
	if err != nil || !reflect.DeepEqual(inst, want) {
		t.Errorf("Instances = %v, %v", inst, err)
	}
	if v, ok := f.InstanceAttribute("pci.device", 0, "vendor"); v != "10de" || !ok {
		t.Errorf("InstanceAttribute = %q, %v", v, ok)
	}
	if _, ok := f.InstanceAttribute("pci.device", 2, "vendor"); ok {
		t.Error("InstanceAttribute out of range")
	}
	if got := f.FeatureNames(Flag); !reflect.DeepEqual(got, []string{"cpu.cpuid", "kernel.loadedmodule"}) {
		t.Errorf("FeatureNames = %v", got)
	}
	if !f.HasFeature(Instance, "pci.device") || f.HasFeature(Attribute, "pci.device") {
		t.Error("HasFeature")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	want, err := os.ReadFile(data("features.json"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseFeatures(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.JSON(0)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("JSON() differs from the input: %v\n%s", err, got)
	}
	compact, err := json.Marshal(f)
	if err != nil || bytes.Contains(compact, []byte("\n")) {
		t.Fatalf("MarshalJSON: %v %s", err, compact)
	}
	g, err := ParseFeatures(compact)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := g.JSON(0); !bytes.Equal(again, want) {
		t.Errorf("compact round trip differs:\n%s", again)
	}
}

func TestErrors(t *testing.T) {
	_, err := ParseFeatures([]byte(`{"flags": `))
	var e *Error
	if !errors.As(err, &e) || e.Errno != syscall.EBADMSG || e.Msg == "" {
		t.Fatalf("bad JSON: %#v", err)
	}
	if !strings.Contains(err.Error(), e.Msg) {
		t.Errorf("Error() = %q", err.Error())
	}
	_, err = ParseFeaturesFile(data("missing.json"))
	if !errors.Is(err, syscall.ENOENT) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	_, err = ParseSpecFile(data("bad-spec.yaml"))
	if !errors.As(err, &e) || e.Errno != syscall.EBADMSG || !strings.Contains(e.Msg, "bad-spec.yaml:") {
		t.Errorf("bad spec: %#v", err)
	}
	s, err := ParseSpecFile(data("problem-spec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if p := s.Problems(); len(p) != 1 || !strings.Contains(p[0], "problem-spec.yaml:11:") {
		t.Errorf("Problems = %q", p)
	}
	if _, err := s.Evaluate(mustFeatures(t)); !errors.As(err, &e) || e.Errno != syscall.EBADMSG || e.Msg == "" {
		t.Errorf("evaluating a problem: %#v", err)
	}
	_, err = Discover(data("root"), []string{"no-such-source"})
	if !errors.Is(err, syscall.EINVAL) {
		t.Errorf("unknown source: %v", err)
	}
}

func TestDiscoverRoot(t *testing.T) {
	f, err := Discover(data("root"), []string{"memory"})
	if err != nil {
		t.Fatal(err)
	}
	hp, err := f.Attributes("memory.hugepages")
	if err != nil || hp["enabled"] != "true" || hp["hugepages-1Gi"] != "2" || hp["hugepages-2Mi"] != "0" {
		t.Errorf("memory.hugepages = %v, %v", hp, err)
	}
	ctx, err := NewContext()
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	if err := ctx.SetRoot(data("root")); err != nil {
		t.Fatal(err)
	}
	if ctx.Path(PathSys) != filepath.Join(data("root"), "sys") {
		t.Errorf("Path(PathSys) = %q", ctx.Path(PathSys))
	}
	if err := ctx.SetRoot("relative"); !errors.Is(err, syscall.EINVAL) {
		t.Errorf("SetRoot(relative) = %v", err)
	}
	s := mustSpec(t, "hugepages.spec.yaml")
	if src, err := s.Sources(); err != nil || !reflect.DeepEqual(src, []string{"memory"}) {
		t.Errorf("Sources = %v, %v", src, err)
	}
	lazy, err := s.Discover(data("root"))
	if err != nil {
		t.Fatal(err)
	}
	if r, err := s.Evaluate(lazy); err != nil || !r.Compatible() {
		t.Errorf("hugepages spec: %v, %v", r, err)
	}
}

func TestWorkBudget(t *testing.T) {
	s := mustSpec(t, "spec.yaml")
	f := mustFeatures(t)
	ctx, err := NewContext()
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	if got := ctx.WorkBudget(); got != 40000000 {
		t.Errorf("WorkBudget = %d", got)
	}
	if err := ctx.SetWorkBudget(1); err != nil {
		t.Fatal(err)
	}
	_, err = ctx.Evaluate(s, f)
	if !errors.Is(err, syscall.ETIME) || !strings.Contains(err.Error(), "work budget of 1 units") {
		t.Errorf("a spent budget: %v", err)
	}
	if err := ctx.SetWorkBudget(WorkBudgetUnlimited); err != nil {
		t.Fatal(err)
	}
	r, err := ctx.Evaluate(s, f)
	if err != nil || !r.Compatible() {
		t.Errorf("unlimited: %v", err)
	}
	if err := ctx.SetWorkBudget(0); err != nil || ctx.WorkBudget() != 40000000 {
		t.Errorf("0 restores the default: %v %d", err, ctx.WorkBudget())
	}
}

func TestEvaluate(t *testing.T) {
	s := mustSpec(t, "spec.yaml")
	f := mustFeatures(t)
	if got := s.Sets(); !reflect.DeepEqual(got, []SpecSet{{"gpu", "NVIDIA GPU node", 10}, {"avx512", "AVX-512 node", 20}}) {
		t.Errorf("Sets = %v", got)
	}
	r, err := s.Evaluate(f)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Compatible() || r.BestSet() != 0 {
		t.Errorf("Compatible %v BestSet %d", r.Compatible(), r.BestSet())
	}
	sets := r.Sets()
	if len(sets) != 2 || !sets[0].Compatible || sets[1].Compatible || sets[1].SpecIndex != 1 {
		t.Fatalf("sets = %+v", sets)
	}
	row := sets[1].Rules[0].Rows[1]
	if row.Feature != "system.osrelease" || row.Name != "ID" || row.Match || row.NodeValue != "debian" ||
		!reflect.DeepEqual(row.Values, []string{"rhel", "centos"}) || row.AnyIndex != -1 {
		t.Errorf("row = %+v", row)
	}
	if absent := sets[1].Rules[0].Rows[0]; absent.HasNodeValue || absent.Op != "Exists" {
		t.Errorf("row = %+v", absent)
	}
	any := sets[1].Rules[1]
	if !any.Match || len(any.Rows) != 2 || any.Rows[0].AnyIndex != 0 || !any.Rows[0].MatchName {
		t.Errorf("matchAny rule = %+v", any)
	}
	r2, err := s.Evaluate(f, "avx512")
	if err != nil || r2.Compatible() || r2.BestSet() != -1 || len(r2.Sets()) != 1 {
		t.Errorf("tags avx512: %v %v", r2, err)
	}
	text, err := r2.Text(0)
	if err != nil || !strings.Contains(text, "debian") || strings.Contains(text, "\x1b[") {
		t.Errorf("Text: %v\n%s", err, text)
	}
}

// The binding gives what the nfd command prints for the same input.
func TestSameAsCLI(t *testing.T) {
	bin := os.Getenv("NFD_BIN")
	if bin == "" {
		skipOrFail(t, "NFD_BIN is not set (run through make check)")
	}
	s := mustSpec(t, "spec.yaml")
	f := mustFeatures(t)
	for _, tags := range [][]string{nil, {"avx512"}, {"gpu"}} {
		args := []string{"compat", "validate-node", "--spec", data("spec.yaml"),
			"--features", data("features.json"), "--output-json"}
		if tags != nil {
			args = append(args, "--tags", strings.Join(tags, ","))
		}
		var stdout, stderr bytes.Buffer
		cmd := exec.Command(bin, args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		r, err := s.Evaluate(f, tags...)
		if err != nil {
			t.Fatal(err)
		}
		want := 1
		if r.Compatible() {
			want = 0
		}
		if code != want {
			t.Errorf("tags %v: nfd exited %d, binding says %d: %s", tags, code, want, stderr.String())
		}
		js, err := r.JSON()
		if err != nil || !bytes.Equal(js, stdout.Bytes()) {
			t.Errorf("tags %v: JSON differs (%v)\nbinding: %s\nnfd:     %s", tags, err, js, stdout.Bytes())
		}
	}
}

// Eight goroutines evaluate one shared Spec and Features at once.
func TestConcurrentEvaluate(t *testing.T) {
	s := mustSpec(t, "spec.yaml")
	f := mustFeatures(t)
	r, err := s.Evaluate(f)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := r.JSON()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				r, err := s.Evaluate(f)
				if err != nil {
					errs <- err
					return
				}
				got, err := r.JSON()
				if err != nil || !bytes.Equal(got, want) || !r.Compatible() {
					errs <- errors.New("concurrent result differs: " + string(got))
					return
				}
				r.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// Objects outlive each other in any order; Close is idempotent and the
// finalizers release what was not closed.
func TestLifetime(t *testing.T) {
	s := mustSpec(t, "spec.yaml")
	f := mustFeatures(t)
	r, err := s.Evaluate(f)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := r.JSON()
	s.Close()
	f.Close()
	f.Close()
	runtime.GC()
	if got, _ := r.JSON(); !bytes.Equal(got, want) {
		t.Error("report changed after its spec and features were closed")
	}
	r.Close()
	for i := 0; i < 100; i++ {
		f := mustFeatures(t)
		_ = f.FeatureNames(Flag)
	}
	runtime.GC()
	defer func() {
		if recover() == nil {
			t.Error("use after Close did not panic")
		}
	}()
	r.Compatible()
}

func TestFetchSpec(t *testing.T) {
	_, err := FetchSpec("oci:"+filepath.Join(t.TempDir(), "none")+":latest", nil)
	if !errors.Is(err, syscall.ENOENT) {
		t.Errorf("missing layout: %v", err)
	}
	layout := filepath.Join("..", "..", "examples", "oci-layout")
	if top := os.Getenv("NFD_TOP_SRCDIR"); top != "" {
		layout = filepath.Join(top, "examples", "oci-layout")
	}
	if _, err := os.Stat(filepath.Join(layout, "index.json")); err != nil {
		t.Fatal("examples/oci-layout is missing")
	}
	ref := "oci:" + layout + ":v1"
	data, err := FetchSpecData(ref, &OCIOptions{TimeoutMs: 5000})
	if err != nil || !bytes.Contains(data, []byte("compatibilities")) {
		t.Fatalf("FetchSpecData: %v", err)
	}
	s, err := FetchSpec(ref, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Version() != "v1alpha1" || len(s.Sets()) == 0 {
		t.Errorf("fetched spec: %q %v", s.Version(), s.Sets())
	}
}

func TestContext(t *testing.T) {
	ctx, err := NewContext()
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	if ctx.Root() != "/" {
		t.Errorf("Root() = %q", ctx.Root())
	}
	if err := ctx.SetHostPrefix("/host-"); err != nil || ctx.Path(PathEtc) != "/host-etc" {
		t.Errorf("SetHostPrefix: %v, %q", err, ctx.Path(PathEtc))
	}
	if err := ctx.SetPath(PathProc, "/elsewhere/proc"); err != nil || ctx.Path(PathProc) != "/elsewhere/proc" {
		t.Errorf("SetPath: %v, %q", err, ctx.Path(PathProc))
	}
	ctx.SetLogPriority(7)
	if ctx.LogPriority() != 7 {
		t.Errorf("LogPriority() = %d", ctx.LogPriority())
	}
	ctx.SetLogPriority(3)
	if err := ctx.SetRoot(data("root")); err != nil {
		t.Fatal(err)
	}
	f, err := ctx.Discover([]string{"memory"})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.Attribute("memory.hugepages", "hugepages-1Gi"); v != "2" {
		t.Errorf("hugepages-1Gi = %q", v)
	}
	s := mustSpec(t, "hugepages.spec.yaml")
	g, err := ctx.DiscoverForSpec(s)
	if err != nil {
		t.Fatal(err)
	}
	ctx.Close()
	ctx.Close()
	runtime.GC()
	if r, err := s.Evaluate(g); err != nil || !r.Compatible() {
		t.Errorf("features outliving their context: %v", err)
	}
}

// Attach a spec to a copy of the example layout and fetch it back.
func TestAttachSpec(t *testing.T) {
	src := filepath.Join("..", "..", "examples", "oci-layout")
	if top := os.Getenv("NFD_TOP_SRCDIR"); top != "" {
		src = filepath.Join(top, "examples", "oci-layout")
	}
	if _, err := os.Stat(filepath.Join(src, "index.json")); err != nil {
		t.Fatal("examples/oci-layout is missing")
	}
	dst := filepath.Join(t.TempDir(), "layout")
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	spec, err := os.ReadFile(data("hugepages.spec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ref := "oci:" + dst + ":v1"
	digest, err := AttachSpec(ref, spec, nil)
	if err != nil || !strings.HasPrefix(digest, "sha256:") {
		t.Fatalf("AttachSpec = %q, %v", digest, err)
	}
	got, err := FetchSpecData(ref, nil)
	if err != nil || !bytes.Equal(got, spec) {
		t.Errorf("fetched back %v:\n%s", err, got)
	}
	if _, err := AttachSpec(ref, []byte("version: [\n"), nil); !errors.Is(err, syscall.EBADMSG) {
		t.Errorf("attaching a bad spec: %v", err)
	}
}

func TestLogFunc(t *testing.T) {
	ctx, err := NewContext()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(t.TempDir(), "nothing")
	if err := ctx.SetRoot(root); err != nil {
		t.Fatal(err)
	}
	type msg struct {
		prio       int
		text, file string
		line       int
	}
	var got []msg
	ctx.SetLogFunc(func(prio int, text, file string, line int, fn string) {
		got = append(got, msg{prio, text, file, line})
	})
	ctx.SetLogPriority(7)
	f, err := ctx.Discover([]string{"kernel"})
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, m := range got {
		if m.prio == 4 && strings.Contains(m.text, root) && !strings.Contains(m.text, "%") &&
			strings.HasSuffix(m.file, ".c") && m.line > 0 {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no formatted warning about %s: %+v", root, got)
	}
	n := len(got)
	ctx.SetLogFunc(nil)
	if _, err := ctx.Discover([]string{"kernel"}); err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Error("messages after SetLogFunc(nil)")
	}
	ctx.SetLogFunc(func(int, string, string, int, string) {})
	ctx.Close()
	if _, err := f.JSON(0); err != nil {
		t.Error(err)
	}
}

// Discovery of every fixture host root gives its expected.json.
func TestFixtureRoots(t *testing.T) {
	roots := os.Getenv("NFD_FIXTURE_ROOTS")
	if roots == "" {
		roots = filepath.Join("..", "..", "tests", "fixtures", "roots")
	}
	expected, _ := filepath.Glob(filepath.Join(roots, "*", "expected.json"))
	if len(expected) == 0 {
		t.Fatalf("no fixture roots under %s", roots)
	}
	if v, ok := os.LookupEnv("NODE_NAME"); ok { // system.name comes from it
		os.Unsetenv("NODE_NAME")
		defer os.Setenv("NODE_NAME", v)
	}
	for _, exp := range expected {
		dir, _ := filepath.Abs(filepath.Dir(exp))
		t.Run(filepath.Base(dir), func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(dir, "sources"))
			if err != nil {
				t.Fatal(err)
			}
			ctx, err := NewContext()
			if err != nil {
				t.Fatal(err)
			}
			defer ctx.Close()
			if err := ctx.SetRoot(dir); err != nil {
				t.Fatal(err)
			}
			if dump := filepath.Join(dir, "cpuid.dump"); fileExists(dump) {
				if err := ctx.SetCPUIDDump(dump); err != nil {
					t.Fatal(err)
				}
			}
			f, err := ctx.Discover(strings.Split(strings.TrimSpace(string(src)), ","))
			if err != nil {
				t.Fatal(err)
			}
			got, err := f.JSON(0)
			want, _ := os.ReadFile(exp)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("differs from expected.json (%v):\n%s", err, got)
			}
		})
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// skipOrFail skips a test whose input is missing, or fails it under
// NFD_NO_SKIP=1 (CI installs every dependency, so a skip there is a bug).
func skipOrFail(t *testing.T, args ...interface{}) {
	t.Helper()
	if os.Getenv("NFD_NO_SKIP") == "1" {
		t.Fatal(append([]interface{}{"NFD_NO_SKIP=1: "}, args...)...)
	}
	t.Skip(args...)
}

func fixtureRoots() string {
	if roots := os.Getenv("NFD_FIXTURE_ROOTS"); roots != "" {
		return roots
	}
	return filepath.Join("..", "..", "tests", "fixtures", "roots")
}

// Verdicts known from the fixture trees themselves (see
// tests/fixtures/roots/README.md), not from the CLI: gpu-server has NVIDIA
// display controllers and the nvidia modules but no SR-IOV NIC or vfio;
// sriov-nic has SR-IOV NICs, vfio-pci and an IOMMU but no GPU.
func TestKnownVerdicts(t *testing.T) {
	cases := []struct {
		root, spec string
		compatible bool
		failing    []string
	}{
		{"gpu-server", "nvidia-gpu", true, nil},
		{"gpu-server", "sriov-dpdk", false, []string{"sriov-capable-nic", "vfio-and-iommu"}},
		{"sriov-nic", "sriov-dpdk", true, nil},
		{"sriov-nic", "nvidia-gpu", false, []string{"nvidia-gpu"}},
	}
	for _, c := range cases {
		t.Run(c.root+"/"+c.spec, func(t *testing.T) {
			s, err := ParseSpecFile(filepath.Join("..", "..", "examples", c.spec+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			root, _ := filepath.Abs(filepath.Join(fixtureRoots(), c.root))
			f, err := s.Discover(root)
			if err != nil {
				t.Fatal(err)
			}
			r, err := s.Evaluate(f)
			if err != nil {
				t.Fatal(err)
			}
			if r.Compatible() != c.compatible {
				t.Fatalf("Compatible() = %v, want %v", r.Compatible(), c.compatible)
			}
			if c.compatible && r.BestSet() != 0 {
				t.Errorf("BestSet() = %d, want 0", r.BestSet())
			}
			failed := map[string]bool{}
			for _, rule := range r.Sets()[0].Rules {
				if !rule.Match {
					failed[rule.Name] = true
				}
			}
			for _, name := range c.failing {
				if !failed[name] {
					t.Errorf("rule %s did not fail (failed: %v)", name, failed)
				}
			}
		})
	}
}

// A string with an embedded NUL is refused (EINVAL), never cut short: C
// would see "/tmp" in "/tmp\x00/x".
func TestEmbeddedNUL(t *testing.T) {
	if _, err := Discover(t.TempDir()+"\x00/x", []string{"system"}); err == nil {
		t.Fatal("Discover accepted a root with a NUL")
	}
	f, err := NewFeatures()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	err = f.AddFlag("a.b", "x\x00y")
	var e *Error
	if !errors.As(err, &e) || e.Errno != syscall.EINVAL {
		t.Fatalf("AddFlag with a NUL: %v", err)
	}
	if f.HasFlag("a.b", "x") {
		t.Fatal("the flag was added cut short")
	}
	if _, err := ParseSpec([]byte("version: v1alpha1\ncompatibilties: []\n"), "a\x00b"); err == nil {
		t.Fatal("ParseSpec accepted a name with a NUL")
	}
}
