// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Fetch tells "no artifact" from "not found", and carries the digests.
func TestFetchSentinels(t *testing.T) {
	addr := startFakeRegistry(t)
	o := &OCIOptions{PlainHTTP: true, Platform: "linux/amd64", Timeout: 5 * time.Second}
	ref := func(mode string) string { return addr + "/" + mode + "/app:v1" }
	ctx := context.Background()

	_, err := Fetch(ctx, ref("none"), o)
	if !errors.Is(err, ErrNoArtifact) || errors.Is(err, ErrNotFound) || !errors.Is(err, syscall.ENODATA) {
		t.Errorf("none: %v", err)
	}
	if _, err := FetchSpecData(ref("none"), o); !errors.Is(err, ErrNotFound) {
		t.Errorf("none with the 1.0 call: %v", err)
	}
	if _, err := Fetch(ctx, ref("missing"), o); !errors.Is(err, ErrNotFound) || errors.Is(err, ErrNoArtifact) {
		t.Errorf("missing: %v", err)
	}
	if _, err := Fetch(ctx, ref("e401"), o); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("e401: %v", err)
	}
	a, err := Fetch(ctx, ref("ok"), o)
	if err != nil || !bytes.HasPrefix(a.Data, []byte("# artifact: newest")) {
		t.Fatalf("ok: %v", err)
	}
	for _, d := range []string{a.ImageDigest, a.IndexDigest, a.SubjectDigest, a.Digest, a.SpecDigest} {
		if !strings.HasPrefix(d, "sha256:") || len(d) != 71 {
			t.Errorf("digest %q in %+v", d, a)
		}
	}
	list, err := ListArtifacts(ctx, ref("ok"), o)
	if err != nil || len(list) < 2 || !list[0].Chosen || list[0].Digest != a.Digest {
		t.Errorf("ListArtifacts: %v %+v", err, list)
	}
	o2 := *o
	o2.ArtifactDigest = list[1].Digest
	if b, err := Fetch(ctx, ref("ok"), &o2); err != nil || b.Digest != list[1].Digest {
		t.Errorf("ArtifactDigest: %v", err)
	}
}

// A cancelled or expired context stops a stalled fetch promptly.
func TestFetchContext(t *testing.T) {
	addr := startFakeRegistry(t)
	o := &OCIOptions{PlainHTTP: true, Platform: "linux/amd64", Timeout: 20 * time.Second}
	stall := addr + "/stall/app:v1"

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Fetch(ctx, stall, o); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled before: %v", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	go func() { time.Sleep(300 * time.Millisecond); cancel() }()
	start := time.Now()
	_, err := Fetch(ctx, stall, o)
	if !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
		t.Errorf("cancel during the call: %v after %v", err, time.Since(start))
	}

	ctx, cancel = context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err = FetchSpecContext(ctx, stall, o)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Errorf("deadline: %v after %v", err, time.Since(start))
	}

	// time.Duration timeouts reach the library
	start = time.Now()
	_, err = Fetch(context.Background(), stall, &OCIOptions{PlainHTTP: true, Timeout: 500 * time.Millisecond})
	if !errors.Is(err, syscall.ETIMEDOUT) || time.Since(start) > 5*time.Second {
		t.Errorf("Timeout: %v after %v", err, time.Since(start))
	}
}
