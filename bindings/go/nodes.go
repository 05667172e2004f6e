// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd

/*
#include <stdlib.h>
#include <nfd/nfd.h>

static struct nfd_nodes_options *nodes_options_new(const char *ns, unsigned int threads)
{
	struct nfd_nodes_options *o = calloc(1, sizeof(*o));

	// version 2: the struct has threads
	if (o && nfd_nodes_options_init(o, 2) < 0) {
		free(o);
		return NULL;
	}
	if (o) {
		o->nfd_namespace = ns;
		o->threads = threads;
	}
	return o;
}
*/
import "C"

import (
	"fmt"
	"runtime"
	"sort"
	"sync"
	"syscall"
	"unsafe"
)

// Nodes are the nodes of a NodeFeature list (what `kubectl get nodefeatures
// -A -o json` prints), sorted by name.  Objects are grouped by their
// nfd.node.kubernetes.io/node-name label and merged the way nfd-master
// merges them; objects without the label are skipped (see Warnings).  Nodes
// are immutable and may be shared between goroutines.
type Nodes struct {
	n *C.struct_nfd_nodes
}

// NodeResult is one node's verdict.
type NodeResult struct {
	Node   string
	Report *Report
}

// NodesOptions say how to read a list; the zero value is the defaults.
type NodesOptions struct {
	// NFDNamespace is the namespace nfd-master runs in (its objects
	// merge first); "" means "node-feature-discovery".
	NFDNamespace string
	// OnlyFor keeps only the features these specs reference.
	OnlyFor []*Spec
	// Threads that read a long list (several megabytes): 0 means one per
	// CPU (at most 16), 1 the calling thread only.  The result does not
	// depend on it.
	Threads int
}

// EvaluateNodesOptions say how to evaluate many nodes; the zero value is
// the defaults.
type EvaluateNodesOptions struct {
	// Tags selects the sets with one of these tags; empty: all.
	Tags []string
	// Threads is the number of goroutines that evaluate nodes (each with
	// its own C context): 0 means one per CPU.  The result does not depend
	// on it.
	Threads int
}

func badThreads(n int) error {
	return &Error{Errno: syscall.EINVAL,
		Msg: fmt.Sprintf("threads must be 0 (one per CPU) or a positive count, not %d", n)}
}

func wrapNodes(p *C.struct_nfd_nodes) *Nodes {
	n := &Nodes{n: p}
	runtime.SetFinalizer(n, (*Nodes).Close)
	return n
}

// Close drops the C reference; calling it twice is harmless.
func (n *Nodes) Close() {
	if n.n != nil {
		C.nfd_nodes_unref(n.n)
		n.n = nil
	}
	runtime.SetFinalizer(n, nil)
}

func (n *Nodes) ptr() *C.struct_nfd_nodes {
	if n == nil || n.n == nil {
		panic("nfd: use of a closed or nil Nodes")
	}
	return n.n
}

func parseNodes(data []byte, path string, opts *NodesOptions) (*Nodes, error) {
	if opts == nil {
		opts = &NodesOptions{}
	}
	if opts.Threads < 0 || uint64(opts.Threads) > uint64(^C.uint(0)) {
		return nil, badThreads(opts.Threads)
	}
	var nodes *Nodes
	err := withCtx(func(c *C.struct_nfd_ctx) error {
		var ns *C.char
		if opts.NFDNamespace != "" {
			p, free := cstr(opts.NFDNamespace, false)
			defer free()
			ns = p
		}
		o := C.nodes_options_new(ns, C.uint(opts.Threads))
		if o == nil {
			return &Error{Errno: syscall.ENOMEM, Msg: "out of memory"}
		}
		defer C.free(unsafe.Pointer(o))
		if opts.OnlyFor != nil {
			n := len(opts.OnlyFor) + 1
			base := (**C.struct_nfd_spec)(C.calloc(C.size_t(n), C.size_t(unsafe.Sizeof(uintptr(0)))))
			if base == nil {
				return &Error{Errno: syscall.ENOMEM, Msg: "out of memory"}
			}
			defer C.free(unsafe.Pointer(base))
			arr := unsafe.Slice(base, n)
			for i, s := range opts.OnlyFor {
				arr[i] = s.ptr()
			}
			defer runtime.KeepAlive(opts.OnlyFor)
			o.only_for_specs = base
		}
		var out *C.struct_nfd_nodes
		var r C.int
		if data != nil {
			buf, freeBuf := cbytes(data)
			defer freeBuf()
			r = C.nfd_nodes_parse_json(c, buf, C.size_t(len(data)), o, &out)
		} else {
			p, free := cstr(path, false)
			defer free()
			r = C.nfd_nodes_parse_file(c, p, o, &out)
		}
		if err := check(r, c); err != nil {
			return err
		}
		nodes = wrapNodes(out)
		return nil
	})
	return nodes, err
}

// ParseNodes reads a NodeFeature list, a NodeFeature or an export document.
// A malformed or truncated list is an error (no partial result).
func ParseNodes(data []byte, opts *NodesOptions) (*Nodes, error) {
	if data == nil {
		data = []byte{}
	}
	return parseNodes(data, "", opts)
}

// ParseNodesFile reads a list from a file ("-" for stdin).
func ParseNodesFile(path string, opts *NodesOptions) (*Nodes, error) {
	return parseNodes(nil, path, opts)
}

// Len is the number of nodes.
func (n *Nodes) Len() int {
	defer runtime.KeepAlive(n)
	return int(C.nfd_nodes_count(n.ptr()))
}

// Names are the node names, sorted.
func (n *Nodes) Names() []string {
	defer runtime.KeepAlive(n)
	out := make([]string, n.Len())
	for i := range out {
		out[i] = C.GoString(C.nfd_nodes_get_name(n.ptr(), C.size_t(i)))
	}
	return out
}

// Warnings are the items that were skipped (no or an empty node-name label).
func (n *Nodes) Warnings() []string {
	defer runtime.KeepAlive(n)
	out := make([]string, int(C.nfd_nodes_count_warnings(n.ptr())))
	for i := range out {
		out[i] = C.GoString(C.nfd_nodes_get_warning(n.ptr(), C.size_t(i)))
	}
	return out
}

// Features are one node's merged features, or nil when there is no such node.
func (n *Nodes) Features(name string) *Features {
	defer runtime.KeepAlive(n)
	p, free := cstr(name, false)
	defer free()
	i := C.nfd_nodes_find(n.ptr(), p)
	if i < 0 {
		return nil
	}
	return wrapFeatures(C.nfd_features_ref(C.nfd_nodes_get_features(n.ptr(), C.size_t(i))))
}

// EvaluateNodes evaluates s against every node, on one goroutine per CPU
// (each with its own C context; specs and features are shared read-only),
// and returns the results sorted by node name.  When any node fails to
// evaluate, the error names the first such node and no results are returned.
func (s *Spec) EvaluateNodes(nodes *Nodes, tags ...string) ([]NodeResult, error) {
	return s.EvaluateNodesWith(nodes, &EvaluateNodesOptions{Tags: tags})
}

// EvaluateNodesWith is EvaluateNodes with options: the tags, and how many
// goroutines evaluate the nodes.
func (s *Spec) EvaluateNodesWith(nodes *Nodes, opts *EvaluateNodesOptions) ([]NodeResult, error) {
	if opts == nil {
		opts = &EvaluateNodesOptions{}
	}
	if opts.Threads < 0 {
		return nil, badThreads(opts.Threads)
	}
	tags := opts.Tags
	names := nodes.Names()
	res := make([]NodeResult, len(names))
	errs := make([]error, len(names))
	next := make(chan int)
	var wg sync.WaitGroup
	workers := runtime.NumCPU()
	if opts.Threads > 0 {
		workers = opts.Threads
	}
	if workers > len(names) {
		workers = len(names)
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f := wrapFeatures(C.nfd_features_ref(
					C.nfd_nodes_get_features(nodes.ptr(), C.size_t(i))))
				rep, err := s.Evaluate(f, tags...)
				f.Close()
				res[i] = NodeResult{Node: names[i], Report: rep}
				errs[i] = err
			}
		}()
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	runtime.KeepAlive(nodes)
	for i, err := range errs {
		if err != nil {
			for _, r := range res {
				if r.Report != nil {
					r.Report.Close()
				}
			}
			if e, ok := err.(*Error); ok {
				return nil, &Error{Errno: e.Errno, Msg: "node '" + names[i] + "': " + e.Msg}
			}
			return nil, err
		}
	}
	if !sort.SliceIsSorted(res, func(a, b int) bool { return res[a].Node < res[b].Node }) {
		panic("nfd: nodes are not sorted")
	}
	return res, nil
}
