// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd

/*
#include <stdlib.h>
#include <nfd/nfd.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// FeatureType is an element type (enum nfd_feature_type).
type FeatureType int

// Element types.
const (
	Flag      FeatureType = C.NFD_FEATURE_FLAG
	Attribute FeatureType = C.NFD_FEATURE_ATTRIBUTE
	Instance  FeatureType = C.NFD_FEATURE_INSTANCE
)

// JSONFlags are output options of (*Features).JSON.
type JSONFlags uint

// JSON output options.
const (
	JSONCompact   JSONFlags = C.NFD_JSON_COMPACT    // one line, not NFD's 4-space indent
	JSONNoNewline JSONFlags = C.NFD_JSON_NO_NEWLINE // no trailing newline
)

// Features is a node's features in NFD's model: feature names
// ("cpu.cpuid", "kernel.version", "pci.device") with flags, attributes
// and instances.  Features from Discover and ParseFeatures are sealed:
// immutable and safe to share between goroutines.  NewFeatures gives an
// unsealed object to fill with AddFlag, SetAttribute and AddInstance, then
// Seal.
type Features struct {
	f *C.struct_nfd_features
}

func wrapFeatures(p *C.struct_nfd_features) *Features {
	f := &Features{f: p}
	runtime.SetFinalizer(f, (*Features).Close)
	return f
}

// Close drops the C reference; calling it twice is harmless.
func (f *Features) Close() {
	if f.f != nil {
		C.nfd_features_unref(f.f)
		f.f = nil
	}
	runtime.SetFinalizer(f, nil)
}

func (f *Features) ptr() *C.struct_nfd_features {
	if f == nil || f.f == nil {
		panic("nfd: use of a closed or nil Features")
	}
	return f.f
}

func discover(c *C.struct_nfd_ctx, sources []string) (*Features, error) {
	if err := noNUL(sources...); err != nil {
		return nil, err
	}
	arr, free := cArray(sources)
	defer free()
	var out *C.struct_nfd_features
	if err := check(C.nfd_discover(c, arr, &out), c); err != nil {
		return nil, err
	}
	return wrapFeatures(out), nil
}

// Discover reads the features of the host whose filesystem is at root ("" or
// "/" for this host) from the given sources (nil for all, see SourceNames).
func Discover(root string, sources []string) (*Features, error) {
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
		f, err = discover(c, sources)
		return err
	})
	return f, err
}

// Discover reads the features of the context's host from the given sources
// (nil for all).
func (ctx *Context) Discover(sources []string) (*Features, error) {
	defer runtime.KeepAlive(ctx)
	return discover(ctx.ptr(), sources)
}

func parseFeatures(c *C.struct_nfd_ctx, data []byte) (*Features, error) {
	buf, free := cbytes(data)
	defer free()
	var out *C.struct_nfd_features
	if err := check(C.nfd_features_parse_json(c, buf, C.size_t(len(data)), &out), c); err != nil {
		return nil, err
	}
	return wrapFeatures(out), nil
}

// ParseFeatures parses `nfd export features` JSON, a NodeFeature object or a
// list of them.  Malformed input gives an *Error with Errno EBADMSG.
func ParseFeatures(data []byte) (*Features, error) {
	var f *Features
	err := withCtx(func(c *C.struct_nfd_ctx) (err error) {
		f, err = parseFeatures(c, data)
		return
	})
	return f, err
}

// ParseFeaturesFile parses a features file ("-" for stdin).
func ParseFeaturesFile(path string) (*Features, error) {
	if err := noNUL(path); err != nil {
		return nil, err
	}
	var f *Features
	err := withCtx(func(c *C.struct_nfd_ctx) error {
		p, free := cstr(path, false)
		defer free()
		var out *C.struct_nfd_features
		if err := check(C.nfd_features_parse_file(c, p, &out), c); err != nil {
			return err
		}
		f = wrapFeatures(out)
		return nil
	})
	return f, err
}

// NewFeatures returns an empty, unsealed features object.
func NewFeatures() (*Features, error) {
	var f *Features
	err := withCtx(func(c *C.struct_nfd_ctx) error {
		var out *C.struct_nfd_features
		if err := check(C.nfd_features_new(c, &out), c); err != nil {
			return err
		}
		f = wrapFeatures(out)
		return nil
	})
	return f, err
}

// Declare makes a feature exist with no elements of type t.
func (f *Features) Declare(t FeatureType, feature string) error {
	if err := noNUL(feature); err != nil {
		return err
	}
	p, free := cstr(feature, false)
	defer free()
	defer runtime.KeepAlive(f)
	return check(C.nfd_features_declare(f.ptr(), C.enum_nfd_feature_type(t), p), nil)
}

// AddFlag adds a flag to a feature of an unsealed object.
func (f *Features) AddFlag(feature, name string) error {
	if err := noNUL(feature, name); err != nil {
		return err
	}
	pf, free1 := cstr(feature, false)
	defer free1()
	pn, free2 := cstr(name, false)
	defer free2()
	defer runtime.KeepAlive(f)
	return check(C.nfd_features_add_flag(f.ptr(), pf, pn), nil)
}

// SetAttribute sets an attribute of a feature of an unsealed object.
func (f *Features) SetAttribute(feature, name, value string) error {
	if err := noNUL(feature, name, value); err != nil {
		return err
	}
	pf, free1 := cstr(feature, false)
	defer free1()
	pn, free2 := cstr(name, false)
	defer free2()
	pv, free3 := cstr(value, false)
	defer free3()
	defer runtime.KeepAlive(f)
	return check(C.nfd_features_set_attribute(f.ptr(), pf, pn, pv), nil)
}

// AddInstance appends an instance with the given attributes (names in
// sorted order) and returns its index.
func (f *Features) AddInstance(feature string, attrs map[string]string) (int, error) {
	if err := noNUL(feature); err != nil {
		return 0, err
	}
	for k, v := range attrs {
		if err := noNUL(k, v); err != nil {
			return 0, err
		}
	}
	pf, free1 := cstr(feature, false)
	defer free1()
	var flat []string
	for _, k := range sortedKeys(attrs) {
		flat = append(flat, k, attrs[k])
	}
	arr, free2 := cArray(flat)
	defer free2()
	defer runtime.KeepAlive(f)
	r := C.nfd_features_add_instance(f.ptr(), pf, arr)
	return int(r), check(r, nil)
}

// Merge copies every feature of from into f (flags united, the rest replaced).
func (f *Features) Merge(from *Features) error {
	defer runtime.KeepAlive(f)
	defer runtime.KeepAlive(from)
	return check(C.nfd_features_merge(f.ptr(), from.ptr()), nil)
}

// Seal makes f immutable and shareable between goroutines.
func (f *Features) Seal() error {
	defer runtime.KeepAlive(f)
	return check(C.nfd_features_seal(f.ptr()), nil)
}

// HasFeature reports whether a feature exists with elements of type t.
func (f *Features) HasFeature(t FeatureType, feature string) bool {
	if noNUL(feature) != nil {
		return false
	}
	p, free := cstr(feature, false)
	defer free()
	defer runtime.KeepAlive(f)
	return C.nfd_features_has_feature(f.ptr(), C.enum_nfd_feature_type(t), p) > 0
}

// HasFlag reports whether a feature has the flag.
func (f *Features) HasFlag(feature, name string) bool {
	if noNUL(feature, name) != nil {
		return false
	}
	pf, free1 := cstr(feature, false)
	defer free1()
	pn, free2 := cstr(name, false)
	defer free2()
	defer runtime.KeepAlive(f)
	return C.nfd_features_has_flag(f.ptr(), pf, pn) > 0
}

// Attribute returns an attribute's value and whether it exists.
func (f *Features) Attribute(feature, name string) (string, bool) {
	if noNUL(feature, name) != nil {
		return "", false
	}
	pf, free1 := cstr(feature, false)
	defer free1()
	pn, free2 := cstr(name, false)
	defer free2()
	defer runtime.KeepAlive(f)
	var v *C.char
	if C.nfd_features_get_attribute(f.ptr(), pf, pn, &v) < 0 {
		return "", false
	}
	return C.GoString(v), true
}

// InstanceCount returns the number of instances of a feature.
func (f *Features) InstanceCount(feature string) (int, error) {
	if err := noNUL(feature); err != nil {
		return 0, err
	}
	p, free := cstr(feature, false)
	defer free()
	defer runtime.KeepAlive(f)
	r := C.nfd_features_count_instances(f.ptr(), p)
	return int(r), check(r, nil)
}

// InstanceAttribute returns attribute name of instance i and whether it exists.
func (f *Features) InstanceAttribute(feature string, i int, name string) (string, bool) {
	if noNUL(feature, name) != nil {
		return "", false
	}
	pf, free1 := cstr(feature, false)
	defer free1()
	pn, free2 := cstr(name, false)
	defer free2()
	defer runtime.KeepAlive(f)
	var v *C.char
	if i < 0 || C.nfd_features_get_instance_attribute(f.ptr(), pf, C.size_t(i), pn, &v) < 0 {
		return "", false
	}
	return C.GoString(v), true
}

// drain collects a struct nfd_iter made by mk into key/value pairs.
func drain(mk func(**C.struct_nfd_iter) C.int) (keys, values []string, err error) {
	var it *C.struct_nfd_iter
	if err = check(mk(&it), nil); err != nil {
		return nil, nil, err
	}
	defer C.nfd_iter_free(it)
	for {
		var k, v *C.char
		r := C.nfd_iter_next(it, &k, &v)
		if r < 0 {
			return nil, nil, check(r, nil)
		}
		if r == 0 {
			return keys, values, nil
		}
		keys = append(keys, C.GoString(k))
		values = append(values, C.GoString(v))
	}
}

// FeatureNames returns the names of the features with elements of type t, sorted.
func (f *Features) FeatureNames(t FeatureType) []string {
	defer runtime.KeepAlive(f)
	keys, _, _ := drain(func(it **C.struct_nfd_iter) C.int {
		return C.nfd_features_iter_features(f.ptr(), C.enum_nfd_feature_type(t), it)
	})
	return keys
}

// Flags returns a feature's flags, sorted; an *Error (ENOENT) when there is
// no such flag feature.
func (f *Features) Flags(feature string) ([]string, error) {
	if err := noNUL(feature); err != nil {
		return nil, err
	}
	p, free := cstr(feature, false)
	defer free()
	defer runtime.KeepAlive(f)
	keys, _, err := drain(func(it **C.struct_nfd_iter) C.int {
		return C.nfd_features_iter_flags(f.ptr(), p, it)
	})
	if err == nil && keys == nil {
		keys = []string{}
	}
	return keys, err
}

func pairs(keys, values []string, err error) (map[string]string, error) {
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(keys))
	for i, k := range keys {
		m[k] = values[i]
	}
	return m, nil
}

// Attributes returns a feature's attributes; an *Error (ENOENT) when there
// is no such attribute feature.
func (f *Features) Attributes(feature string) (map[string]string, error) {
	if err := noNUL(feature); err != nil {
		return nil, err
	}
	p, free := cstr(feature, false)
	defer free()
	defer runtime.KeepAlive(f)
	return pairs(drain(func(it **C.struct_nfd_iter) C.int {
		return C.nfd_features_iter_attributes(f.ptr(), p, it)
	}))
}

// Instances returns a feature's instances in order; an *Error (ENOENT) when
// there is no such instance feature.
func (f *Features) Instances(feature string) ([]map[string]string, error) {
	if err := noNUL(feature); err != nil {
		return nil, err
	}
	n, err := f.InstanceCount(feature)
	if err != nil {
		return nil, err
	}
	p, free := cstr(feature, false)
	defer free()
	defer runtime.KeepAlive(f)
	out := make([]map[string]string, 0, n)
	for i := 0; i < n; i++ {
		m, err := pairs(drain(func(it **C.struct_nfd_iter) C.int {
			return C.nfd_features_iter_instance(f.ptr(), p, C.size_t(i), it)
		}))
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// JSON serialises NFD's export document (what `nfd export features` prints
// for flags 0).
func (f *Features) JSON(flags JSONFlags) ([]byte, error) {
	defer runtime.KeepAlive(f)
	var out *C.char
	r := C.nfd_features_to_json(f.ptr(), C.uint(flags), &out)
	if err := check(r, nil); err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(out))
	return C.GoBytes(unsafe.Pointer(out), r), nil
}

// MarshalJSON implements json.Marshaler with the compact export document.
func (f *Features) MarshalJSON() ([]byte, error) {
	return f.JSON(JSONCompact | JSONNoNewline)
}
