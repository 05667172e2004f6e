// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd

/*
#include <stdlib.h>
#include <nfd/nfd.h>
*/
import "C"

import "runtime"

// Spec is a parsed image compatibility spec (NFD v1alpha1).  It is
// immutable and may be evaluated from many goroutines at once.
type Spec struct {
	s *C.struct_nfd_spec
}

// SpecSet is one compatibility set as written in the spec.
type SpecSet struct {
	Tag         string
	Description string
	Weight      int
}

func wrapSpec(p *C.struct_nfd_spec) *Spec {
	s := &Spec{s: p}
	runtime.SetFinalizer(s, (*Spec).Close)
	return s
}

// Close drops the C reference; calling it twice is harmless.
func (s *Spec) Close() {
	if s.s != nil {
		C.nfd_spec_unref(s.s)
		s.s = nil
	}
	runtime.SetFinalizer(s, nil)
}

func (s *Spec) ptr() *C.struct_nfd_spec {
	if s == nil || s.s == nil {
		panic("nfd: use of a closed or nil Spec")
	}
	return s.s
}

func parseSpec(c *C.struct_nfd_ctx, data []byte, name string) (*Spec, error) {
	if err := noNUL(name); err != nil {
		return nil, err
	}
	buf, freeBuf := cbytes(data)
	defer freeBuf()
	pn, free := cstr(name, true)
	defer free()
	var out *C.struct_nfd_spec
	if err := check(C.nfd_spec_parse(c, buf, C.size_t(len(data)), pn, &out), c); err != nil {
		return nil, err
	}
	return wrapSpec(out), nil
}

// ParseSpec parses a spec (YAML or JSON); name (a file name, or "") is used
// in error messages.  An invalid spec gives an *Error with Errno EBADMSG and
// name:line:column in Msg.
func ParseSpec(data []byte, name string) (*Spec, error) {
	var s *Spec
	err := withCtx(func(c *C.struct_nfd_ctx) (err error) {
		s, err = parseSpec(c, data, name)
		return
	})
	return s, err
}

// ParseSpecFile parses a spec file ("-" for stdin).
func ParseSpecFile(path string) (*Spec, error) {
	if err := noNUL(path); err != nil {
		return nil, err
	}
	var s *Spec
	err := withCtx(func(c *C.struct_nfd_ctx) error {
		p, free := cstr(path, false)
		defer free()
		var out *C.struct_nfd_spec
		if err := check(C.nfd_spec_parse_file(c, p, &out), c); err != nil {
			return err
		}
		s = wrapSpec(out)
		return nil
	})
	return s, err
}

// Version returns the spec's "version" field.
func (s *Spec) Version() string {
	defer runtime.KeepAlive(s)
	return C.GoString(C.nfd_spec_get_version(s.ptr()))
}

// Sets returns the compatibility sets in spec order.
func (s *Spec) Sets() []SpecSet {
	defer runtime.KeepAlive(s)
	p := s.ptr()
	n := int(C.nfd_spec_count_sets(p))
	out := make([]SpecSet, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, SpecSet{
			Tag:         C.GoString(C.nfd_spec_set_get_tag(p, C.size_t(i))),
			Description: C.GoString(C.nfd_spec_set_get_description(p, C.size_t(i))),
			Weight:      int(C.nfd_spec_set_get_weight(p, C.size_t(i))),
		})
	}
	return out
}

// Warnings returns the lint warnings recorded while parsing.
func (s *Spec) Warnings() []string {
	defer runtime.KeepAlive(s)
	p := s.ptr()
	n := int(C.nfd_spec_count_warnings(p))
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, C.GoString(C.nfd_spec_get_warning(p, C.size_t(i))))
	}
	return out
}

// Problems returns what NFD reports only at evaluation time (an unknown
// op, a bad bound) or kubectl-nfd's validation rejects, as
// "name:line:column: message".  Evaluating such an expression fails with
// EBADMSG; `nfd compat validate-spec` treats problems as errors.
func (s *Spec) Problems() []string {
	defer runtime.KeepAlive(s)
	p := s.ptr()
	n := int(C.nfd_spec_count_problems(p))
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, C.GoString(C.nfd_spec_get_problem(p, C.size_t(i))))
	}
	return out
}

// Sources returns the discovery sources the spec's rules reference, sorted.
func (s *Spec) Sources() ([]string, error) {
	defer runtime.KeepAlive(s)
	keys, _, err := drain(func(it **C.struct_nfd_iter) C.int {
		return C.nfd_spec_iter_sources(s.ptr(), it)
	})
	return keys, err
}

func discoverForSpec(c *C.struct_nfd_ctx, s *Spec) (*Features, error) {
	defer runtime.KeepAlive(s)
	var out *C.struct_nfd_features
	if err := check(C.nfd_discover_for_spec(c, s.ptr(), &out), c); err != nil {
		return nil, err
	}
	return wrapFeatures(out), nil
}

// Discover reads only the sources the spec references from the host at root
// ("" for this host).
func (s *Spec) Discover(root string) (*Features, error) {
	if err := noNUL(root); err != nil {
		return nil, err
	}
	var f *Features
	err := withCtx(func(c *C.struct_nfd_ctx) error {
		if root != "" {
			p, free := cstr(root, false)
			defer free()
			if err := check(C.nfd_ctx_set_root(c, p), c); err != nil {
				return err
			}
		}
		var err error
		f, err = discoverForSpec(c, s)
		return err
	})
	return f, err
}

// DiscoverForSpec reads only the sources s references from the context's host.
func (ctx *Context) DiscoverForSpec(s *Spec) (*Features, error) {
	defer runtime.KeepAlive(ctx)
	return discoverForSpec(ctx.ptr(), s)
}

// Evaluate checks features against the spec as `nfd compat validate-node`
// does.  With tags, only the sets carrying one of them are evaluated.  An
// incompatible node is a result (Compatible() false), not an error.  Safe to
// call from many goroutines on one Spec and one Features.
func (s *Spec) Evaluate(features *Features, tags ...string) (*Report, error) {
	var rep *Report
	err := withCtx(func(c *C.struct_nfd_ctx) error {
		var err error
		rep, err = evaluate(c, s, features, tags)
		return err
	})
	return rep, err
}

// Evaluate is Spec.Evaluate with ctx's settings (its work budget: see
// SetWorkBudget).  A Context serves one goroutine at a time.
func (ctx *Context) Evaluate(s *Spec, features *Features, tags ...string) (*Report, error) {
	defer runtime.KeepAlive(ctx)
	return evaluate(ctx.ptr(), s, features, tags)
}

func evaluate(c *C.struct_nfd_ctx, s *Spec, features *Features, tags []string) (*Report, error) {
	if err := noNUL(tags...); err != nil {
		return nil, err
	}
	var t []string
	if len(tags) > 0 {
		t = tags
	}
	arr, free := cArray(t)
	defer free()
	defer runtime.KeepAlive(s)
	defer runtime.KeepAlive(features)
	var out *C.struct_nfd_report
	if err := check(C.nfd_evaluate(c, s.ptr(), features.ptr(), arr, &out), c); err != nil {
		return nil, err
	}
	return wrapReport(out), nil
}
