// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd

/*
#include <stdlib.h>
#include <nfd/nfd.h>
*/
import "C"

import (
	"runtime"
	"time"
	"unsafe"
)

// OCIOptions say how to reach a registry (struct nfd_oci_options).  The zero
// value (or a nil *OCIOptions) means the defaults.
type OCIOptions struct {
	Platform    string // "os[/arch[/variant]][:os_version]"; "": this host's
	PlainHTTP   bool   // HTTP instead of HTTPS
	Username    string // basic auth
	Password    string
	Token       string // bearer or identity token
	AuthFile    string // docker/podman auth file; "": the usual places
	CAFile      string // extra trusted CA certificates (PEM)
	TimeoutMs   int64  // per-request timeout in ms; 0: 30 s (Timeout wins when set)
	MaxSpecSize uint64 // largest spec accepted; 0: 4 MiB
	// Timeout limits each HTTP request; 0: TimeoutMs, else 30 s.
	Timeout time.Duration
	// ArtifactDigest picks one artifact for Fetch ("sha256:..."); "": the newest.
	ArtifactDigest string
}

// timeUntilMs is the time left until t in whole milliseconds, at least 1.
func timeUntilMs(t time.Time) int64 {
	ms := time.Until(t).Milliseconds()
	if ms < 1 {
		ms = 1
	}
	return ms
}

// HasRegistry reports whether the library has the registry client; OCI
// layouts ("oci:PATH") work either way.
func HasRegistry() bool { return C.nfd_oci_has_registry() > 0 }

// cOptions fills a C options struct; call the returned function to free its
// strings.
func (o *OCIOptions) cOptions(c *C.struct_nfd_oci_options) (func(), error) {
	if err := check(C.nfd_oci_options_init(c, C.NFD_OCI_OPTIONS_VERSION), nil); err != nil {
		return func() {}, err
	}
	if o == nil {
		return func() {}, nil
	}
	if err := noNUL(o.Platform, o.Username, o.Password, o.Token, o.AuthFile, o.CAFile); err != nil {
		return func() {}, err
	}
	var frees []func()
	str := func(s string) *C.char {
		p, f := cstr(s, true)
		frees = append(frees, f)
		return p
	}
	c.platform = str(o.Platform)
	if o.PlainHTTP {
		c.plain_http = 1
	}
	c.username = str(o.Username)
	c.password = str(o.Password)
	c.token = str(o.Token)
	c.auth_file = str(o.AuthFile)
	c.ca_file = str(o.CAFile)
	c.timeout_ms = C.long(o.TimeoutMs)
	if o.Timeout > 0 {
		ms := o.Timeout.Milliseconds()
		if ms < 1 {
			ms = 1
		}
		c.timeout_ms = C.long(ms)
	}
	c.max_spec_size = C.size_t(o.MaxSpecSize)
	return func() {
		for _, f := range frees {
			f()
		}
	}, nil
}

// ociCall runs fn with a fresh context, the image reference and the options
// in C memory.  The options struct lives in C memory because it holds C
// pointers that the library reads.
func ociCall(ref string, o *OCIOptions, fn func(c *C.struct_nfd_ctx, ref *C.char,
	opts *C.struct_nfd_oci_options) C.int) error {
	if err := noNUL(ref); err != nil {
		return err
	}
	return withCtx(func(c *C.struct_nfd_ctx) error {
		opts := (*C.struct_nfd_oci_options)(C.calloc(1, C.sizeof_struct_nfd_oci_options))
		defer C.free(unsafe.Pointer(opts))
		free, err := o.cOptions(opts)
		defer free()
		if err != nil {
			return err
		}
		pr, freeRef := cstr(ref, false)
		defer freeRef()
		return check(fn(c, pr, opts), c)
	})
}

// FetchSpec fetches and parses the newest compatibility spec attached to an
// image: "registry/repo[:tag][@digest]", or an OCI layout as
// "oci:PATH[:TAG|@DIGEST]" or "oci-layout://PATH[:TAG|@DIGEST]".  Errors
// carry ENOENT (image or artifact not found; Fetch tells them apart with
// ErrNoArtifact), EACCES (authentication),
// EPROTO, EBADMSG, ETIMEDOUT, ECONNREFUSED, ENOTSUP (no registry client), ...
func FetchSpec(ref string, o *OCIOptions) (*Spec, error) {
	var s *Spec
	err := ociCall(ref, o, func(c *C.struct_nfd_ctx, pr *C.char, opts *C.struct_nfd_oci_options) C.int {
		var out *C.struct_nfd_spec
		r := C.nfd_oci_fetch_spec(c, pr, opts, &out)
		if r >= 0 {
			s = wrapSpec(out)
		}
		return r
	})
	return s, err
}

// FetchSpecData is FetchSpec without parsing: the spec's bytes.
func FetchSpecData(ref string, o *OCIOptions) ([]byte, error) {
	var data []byte
	err := ociCall(ref, o, func(c *C.struct_nfd_ctx, pr *C.char, opts *C.struct_nfd_oci_options) C.int {
		var buf *C.char
		var n C.size_t
		r := C.nfd_oci_fetch_spec_data(c, pr, opts, &buf, &n)
		if r >= 0 {
			data = C.GoBytes(unsafe.Pointer(buf), C.int(n))
			C.free(unsafe.Pointer(buf))
		}
		return r
	})
	return data, err
}

// AttachSpec validates spec and pushes it as a referrer artifact of the
// image; it returns the artifact manifest's digest ("sha256:...").
func AttachSpec(ref string, spec []byte, o *OCIOptions) (string, error) {
	var digest string
	err := ociCall(ref, o, func(c *C.struct_nfd_ctx, pr *C.char, opts *C.struct_nfd_oci_options) C.int {
		buf, free := cbytes(spec)
		defer free()
		var out *C.char
		r := C.nfd_oci_attach_spec(c, pr, buf, C.size_t(len(spec)), opts, &out)
		if r >= 0 && out != nil {
			digest = C.GoString(out)
			C.free(unsafe.Pointer(out))
		}
		return r
	})
	runtime.KeepAlive(spec)
	return digest, err
}
