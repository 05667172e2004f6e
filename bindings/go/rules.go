// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd

/*
#include <stdlib.h>
#include <nfd/nfd.h>
*/
import "C"

import (
	"runtime"
	"strings"
	"unsafe"
)

// Rules are parsed NodeFeatureRule and NodeFeatureGroup objects, evaluated
// as nfd-master does (doc/nodefeaturerule.md).  Immutable and shareable.
type Rules struct {
	r *C.struct_nfd_rules
}

// RulesOptions are the node's NodeFeature labels and nfd-master's settings.
type RulesOptions struct {
	NodeLabels        map[string]string
	EnableTaints      bool // nfd-master -enable-taints
	DisableAutoPrefix bool // the DisableAutoPrefix feature gate
	DenyLabelNs       []string
	ExtraLabelNs      []string
}

// Taint is a node taint a rule gives.
type Taint struct {
	Key, Value, Effect string
}

// RuleMessage is what nfd-master would log for a skipped rule or a dropped
// output; Kind is "rule", "label", "annotation", "extendedResource" or "taint".
type RuleMessage struct {
	Kind, Message string
}

// RulesResult is what the rules give one node.
type RulesResult struct {
	Labels            map[string]string
	Annotations       map[string]string
	ExtendedResources map[string]string
	Taints            []Taint
	Vars              map[string]string
	Groups            []string
	Messages          []RuleMessage
}

// ParseRules parses YAML (several documents, Lists); name is used in messages.
func ParseRules(data []byte, name string) (*Rules, error) {
	var out *C.struct_nfd_rules
	err := withCtx(func(c *C.struct_nfd_ctx) error {
		buf, freeBuf := cbytes(data)
		defer freeBuf()
		pn, free := cstr(name, true)
		defer free()
		return check(C.nfd_rules_parse(c, buf, C.size_t(len(data)), pn, &out), c)
	})
	if err != nil {
		return nil, err
	}
	r := &Rules{r: out}
	runtime.SetFinalizer(r, (*Rules).Close)
	return r, nil
}

// Close drops the C reference; calling it twice is harmless.
func (r *Rules) Close() {
	if r.r != nil {
		C.nfd_rules_unref(r.r)
		r.r = nil
	}
	runtime.SetFinalizer(r, nil)
}

func (r *Rules) ptr() *C.struct_nfd_rules {
	if r == nil || r.r == nil {
		panic("nfd: use of a closed or nil Rules")
	}
	return r.r
}

// Problems returns what kubectl-nfd's validate would report, as
// "name:line:column: message".
func (r *Rules) Problems() []string {
	defer runtime.KeepAlive(r)
	keys, _, _ := drain(func(it **C.struct_nfd_iter) C.int {
		return C.nfd_rules_iter_problems(r.ptr(), it)
	})
	return keys
}

// Warnings returns what NFD takes silently but is likely a mistake, such as a
// key repeated in a mapping ("name:line:column: duplicate key ... (first at
// name:line:column)"); they never fail a parse.
func (r *Rules) Warnings() []string {
	defer runtime.KeepAlive(r)
	keys, _, _ := drain(func(it **C.struct_nfd_iter) C.int {
		return C.nfd_rules_iter_warnings(r.ptr(), it)
	})
	return keys
}

// cstrv is a NULL-terminated C string vector (nil for an empty list) and its
// release function.
func cstrv(items []string) (**C.char, func()) {
	if len(items) == 0 {
		return nil, func() {}
	}
	size := unsafe.Sizeof((*C.char)(nil))
	v := (*[1 << 28]*C.char)(C.calloc(C.size_t(len(items)+1), C.size_t(size)))
	for i, s := range items {
		v[i] = C.CString(s)
	}
	return &v[0], func() {
		for i := range items {
			C.free(unsafe.Pointer(v[i]))
		}
		C.free(unsafe.Pointer(&v[0]))
	}
}

func resultMap(res *C.struct_nfd_rules_result, what C.enum_nfd_rules_output) ([]string, []string) {
	k, v, _ := drain(func(it **C.struct_nfd_iter) C.int {
		return C.nfd_rules_result_iter(res, what, it)
	})
	return k, v
}

func toMap(k, v []string) map[string]string {
	m := make(map[string]string, len(k))
	for i := range k {
		m[k[i]] = v[i]
	}
	return m
}

// Evaluate runs the rules for one node.
func (r *Rules) Evaluate(f *Features, o RulesOptions) (*RulesResult, error) {
	defer runtime.KeepAlive(r)
	defer runtime.KeepAlive(f)
	var flat []string
	for _, k := range sortedKeys(o.NodeLabels) {
		flat = append(flat, k, o.NodeLabels[k])
	}
	labels, freeLabels := cstrv(flat)
	defer freeLabels()
	deny, freeDeny := cstrv(o.DenyLabelNs)
	defer freeDeny()
	extra, freeExtra := cstrv(o.ExtraLabelNs)
	defer freeExtra()
	opts := C.struct_nfd_rules_options{version: C.NFD_RULES_OPTIONS_VERSION}
	if o.EnableTaints {
		opts.flags |= C.NFD_RULES_ENABLE_TAINTS
	}
	if o.DisableAutoPrefix {
		opts.flags |= C.NFD_RULES_DISABLE_AUTO_PREFIX
	}
	opts.node_labels = labels
	opts.deny_label_ns = deny
	opts.extra_label_ns = extra
	var res *C.struct_nfd_rules_result
	err := withCtx(func(c *C.struct_nfd_ctx) error {
		return check(C.nfd_rules_evaluate(c, r.ptr(), f.ptr(), &opts, &res), c)
	})
	if err != nil {
		return nil, err
	}
	defer C.nfd_rules_result_unref(res)
	out := &RulesResult{}
	out.Labels = toMap(resultMap(res, C.NFD_RULES_LABELS))
	out.Annotations = toMap(resultMap(res, C.NFD_RULES_ANNOTATIONS))
	out.ExtendedResources = toMap(resultMap(res, C.NFD_RULES_EXTENDED_RESOURCES))
	out.Vars = toMap(resultMap(res, C.NFD_RULES_VARS))
	out.Groups, _ = resultMap(res, C.NFD_RULES_GROUPS)
	k, v := resultMap(res, C.NFD_RULES_TAINTS)
	for i := range k {
		j := strings.LastIndex(v[i], ":")
		out.Taints = append(out.Taints, Taint{Key: k[i], Value: v[i][:j], Effect: v[i][j+1:]})
	}
	k, v = resultMap(res, C.NFD_RULES_MESSAGES)
	for i := range k {
		out.Messages = append(out.Messages, RuleMessage{Kind: k[i], Message: v[i]})
	}
	return out, nil
}
