// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd

/*
#include <stdint.h>
#include <stdlib.h>
#include <nfd/nfd.h>

void nfd_go_set_progress(struct nfd_oci_options *o, uintptr_t handle);
*/
import "C"

import (
	"context"
	"encoding/json"
	"errors"
	"runtime/cgo"
	"syscall"
	"time"
	"unsafe"
)

// Sentinel errors for errors.Is.  A failed call returns an *Error; these
// match it by errno.
var (
	// ErrNoArtifact: the image exists but has no compatibility artifact
	// attached (ENODATA from nfd_oci_fetch).
	ErrNoArtifact = errors.New("no compatibility artifact attached")
	// ErrNotFound: the image, tag, platform or file does not exist (ENOENT).
	ErrNotFound = errors.New("not found")
	// ErrUnauthorized: the registry refused or required credentials (EACCES).
	ErrUnauthorized = errors.New("unauthorized")
)

// Is matches the package's sentinel errors: ErrNoArtifact (ENODATA),
// ErrNotFound (ENOENT) and ErrUnauthorized (EACCES, EPERM).
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNoArtifact:
		return e.Errno == syscall.ENODATA
	case ErrNotFound:
		return e.Errno == syscall.ENOENT
	case ErrUnauthorized:
		return e.Errno == syscall.EACCES || e.Errno == syscall.EPERM
	}
	return false
}

// progressState is what the C progress hook reaches through a cgo.Handle.
type progressState struct {
	ctx context.Context
}

//export goNfdProgress
func goNfdProgress(handle C.uintptr_t, done, total C.ulonglong) C.int {
	st := cgo.Handle(handle).Value().(*progressState)
	if st.ctx.Err() != nil {
		return 1
	}
	return 0
}

// ociCallContext is ociCall with cancellation: the library's progress hook
// stops the call when ctx is done, and the error is then ctx.Err().
func ociCallContext(ctx context.Context, ref string, o *OCIOptions, digest string,
	fn func(c *C.struct_nfd_ctx, ref *C.char, opts *C.struct_nfd_oci_options) C.int) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	h := cgo.NewHandle(&progressState{ctx: ctx})
	defer h.Delete()
	err := ociCall(ref, o, func(c *C.struct_nfd_ctx, pr *C.char, opts *C.struct_nfd_oci_options) C.int {
		if dl, ok := ctx.Deadline(); ok {
			// the per-request limit never outlives the context
			if ms := timeUntilMs(dl); opts.timeout_ms == 0 || C.long(ms) < opts.timeout_ms {
				opts.timeout_ms = C.long(ms)
			}
		}
		if digest != "" {
			p, free := cstr(digest, false)
			defer free()
			opts.artifact_digest = p
		}
		C.nfd_go_set_progress(opts, C.uintptr_t(h))
		return fn(c, pr, opts)
	})
	var e *Error
	if err != nil && errors.As(err, &e) && (e.Errno == syscall.ECANCELED || e.Errno == syscall.ETIMEDOUT) {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		// the library's timeout was cut to the deadline and may fire a
		// moment before the context's own timer does
		if dl, ok := ctx.Deadline(); ok && e.Errno == syscall.ETIMEDOUT &&
			!time.Now().Add(20*time.Millisecond).Before(dl) {
			return context.DeadlineExceeded
		}
	}
	return err
}

// Artifact is a fetched compatibility artifact with the digests a caller
// needs for caching and audit.
type Artifact struct {
	ImageRef      string // the reference fetched
	ImageDigest   string // the image manifest it resolved to (the platform's)
	IndexDigest   string // the index it named, or ""
	SubjectDigest string // what the artifact refers to
	Digest        string // the artifact manifest
	SpecDigest    string // the spec layer
	Created       string // org.opencontainers.image.created, or ""
	Data          []byte // the spec
}

// Spec parses the artifact's spec.
func (a *Artifact) Spec() (*Spec, error) { return ParseSpec(a.Data, a.ImageRef) }

func goStr(p *C.char) string {
	if p == nil {
		return ""
	}
	return C.GoString(p)
}

// Fetch fetches the compatibility artifact of an image (the newest, or with
// o.ArtifactDigest that one), stopping when ctx is done (the error is then
// ctx.Err()).  errors.Is(err, ErrNoArtifact) tells an image without an
// artifact from one that does not exist (ErrNotFound).
func Fetch(ctx context.Context, ref string, o *OCIOptions) (*Artifact, error) {
	var a *Artifact
	digest := ""
	if o != nil {
		digest = o.ArtifactDigest
	}
	err := ociCallContext(ctx, ref, o, digest, func(c *C.struct_nfd_ctx, pr *C.char, opts *C.struct_nfd_oci_options) C.int {
		var out *C.struct_nfd_oci_artifact
		r := C.nfd_oci_fetch(c, pr, opts, &out)
		if r < 0 {
			return r
		}
		defer C.nfd_oci_artifact_unref(out)
		var n C.size_t
		data := C.nfd_oci_artifact_get_data(out, &n)
		a = &Artifact{
			ImageRef:      ref,
			ImageDigest:   goStr(C.nfd_oci_artifact_get_image_digest(out)),
			IndexDigest:   goStr(C.nfd_oci_artifact_get_index_digest(out)),
			SubjectDigest: goStr(C.nfd_oci_artifact_get_subject_digest(out)),
			Digest:        goStr(C.nfd_oci_artifact_get_digest(out)),
			SpecDigest:    goStr(C.nfd_oci_artifact_get_spec_digest(out)),
			Created:       goStr(C.nfd_oci_artifact_get_created(out)),
			Data:          C.GoBytes(unsafe.Pointer(data), C.int(n)),
		}
		return r
	})
	return a, err
}

// FetchSpecContext is FetchSpec that stops when ctx is done.
func FetchSpecContext(ctx context.Context, ref string, o *OCIOptions) (*Spec, error) {
	a, err := Fetch(ctx, ref, o)
	if err != nil {
		return nil, err
	}
	return a.Spec()
}

// AttachSpecContext is AttachSpec that stops when ctx is done.
func AttachSpecContext(ctx context.Context, ref string, spec []byte, o *OCIOptions) (string, error) {
	var digest string
	err := ociCallContext(ctx, ref, o, "", func(c *C.struct_nfd_ctx, pr *C.char, opts *C.struct_nfd_oci_options) C.int {
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
	return digest, err
}

// ArtifactInfo describes one compatibility artifact attached to an image.
type ArtifactInfo struct {
	Digest  string `json:"digest"`
	Created string `json:"created"`
	Size    int64  `json:"size"`
	Subject string `json:"subject"`
	Chosen  bool   `json:"chosen"` // the one Fetch takes
}

// ListArtifacts lists the compatibility artifacts attached to an image,
// newest first (none is not an error).
func ListArtifacts(ctx context.Context, ref string, o *OCIOptions) ([]ArtifactInfo, error) {
	var list []ArtifactInfo
	var jerr error
	err := ociCallContext(ctx, ref, o, "", func(c *C.struct_nfd_ctx, pr *C.char, opts *C.struct_nfd_oci_options) C.int {
		var out *C.char
		r := C.nfd_oci_list_artifacts(c, pr, opts, &out)
		if r >= 0 {
			jerr = json.Unmarshal([]byte(C.GoString(out)), &list)
			C.free(unsafe.Pointer(out))
		}
		return r
	})
	if err == nil {
		err = jerr
	}
	return list, err
}

// RemoveArtifact deletes a compatibility artifact from a registry (digest
// "": the one Fetch takes) and returns the digest removed.
func RemoveArtifact(ctx context.Context, ref, digest string, o *OCIOptions) (string, error) {
	var removed string
	err := ociCallContext(ctx, ref, o, "", func(c *C.struct_nfd_ctx, pr *C.char, opts *C.struct_nfd_oci_options) C.int {
		var pd *C.char
		if digest != "" {
			p, free := cstr(digest, false)
			defer free()
			pd = p
		}
		var out *C.char
		r := C.nfd_oci_remove_artifact(c, pr, pd, opts, &out)
		if r >= 0 && out != nil {
			removed = C.GoString(out)
			C.free(unsafe.Pointer(out))
		}
		return r
	})
	return removed, err
}
