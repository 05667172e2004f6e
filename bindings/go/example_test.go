// SPDX-License-Identifier: LGPL-2.1-or-later

package nfd_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"libnfd.org/nfd"
)

// Check a node, from the features it exported, against a spec.
func ExampleSpec_Evaluate() {
	spec, err := nfd.ParseSpec([]byte(`
version: v1alpha1
compatibilities:
- tag: modern-kernel
  rules:
  - name: kernel 6
    matchFeatures:
    - feature: kernel.version
      matchExpressions:
        major: {op: Ge, value: ["6"]}
`), "spec.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer spec.Close()
	features, err := nfd.ParseFeatures([]byte(`{"attributes": {"kernel.version":
		{"elements": {"major": "6", "minor": "1"}}}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer features.Close()
	report, err := spec.Evaluate(features)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer report.Close()
	best := report.Sets()[report.BestSet()]
	fmt.Println(report.Compatible(), best.Tag)
	// Output: true modern-kernel
}

// Fetch the compatibility artifact of an image (here an OCI layout on
// disk), with the digests to cache the verdict under.
func ExampleFetch() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, err := nfd.Fetch(ctx, "oci:../../examples/oci-layout:v1",
		&nfd.OCIOptions{Platform: "linux/amd64", Timeout: 10 * time.Second})
	switch {
	case errors.Is(err, nfd.ErrNoArtifact):
		fmt.Println("nothing to check")
	case err != nil:
		fmt.Println(err)
	default:
		fmt.Println(a.Digest)
		fmt.Println(a.SubjectDigest == a.IndexDigest)
	}
	// Output:
	// sha256:8cb5b965cab29ac6ea9fdc6ed4ae13b6079607368e17683f402f01d5b7873d91
	// true
}

// Errors match the package's sentinels with errors.Is.
func ExampleError_Is() {
	_, err := nfd.Fetch(context.Background(), "oci:/nonexistent/layout:v1", nil)
	fmt.Println(errors.Is(err, nfd.ErrNotFound), errors.Is(err, nfd.ErrNoArtifact))
	// Output: true false
}
