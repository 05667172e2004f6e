#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Writes examples/oci-layout: an OCI image layout holding a tiny two-platform
# image (linux/amd64, linux/arm64) tagged v1, and an NFD image-compatibility
# spec attached to the image index the way `oras attach --oci-layout` does
# (the artifact manifest listed in index.json without a tag, its "subject"
# pointing at the index).  Deterministic: the same bytes on every run, so the
# committed layout can be checked against this script (tests/oci/layout.sh).
#
#   examples/make-oci-layout.sh [OUTDIR]        (default: examples/oci-layout)
#   nfd compat validate-node --image oci:examples/oci-layout:v1
set -euo pipefail

out=${1:-$(dirname "$0")/oci-layout}
created=2026-01-01T00:00:00Z

rm -rf "$out"
mkdir -p "$out/blobs/sha256"

# put FILE-CONTENT -> prints "sha256:<hex> <size>" and stores the blob
put() {
	local tmp hex size
	tmp=$(mktemp)
	printf '%s' "$1" >"$tmp"
	hex=$(sha256sum "$tmp" | cut -d' ' -f1)
	size=$(stat -c %s "$tmp")
	mv "$tmp" "$out/blobs/sha256/$hex"
	chmod 0644 "$out/blobs/sha256/$hex"
	echo "sha256:$hex $size"
}

spec='# An image-compatibility spec (NFD v1alpha1) for the example image.
version: v1alpha1
compatibilities:
- description: "Linux 4.0 or later with an os-release"
  tag: base
  weight: 10
  rules:
  - name: kernel-4-or-later
    matchFeatures:
    - feature: kernel.version
      matchExpressions:
        major: {op: Gt, value: ["3"]}
  - name: os-release
    matchFeatures:
    - feature: system.osrelease
      matchExpressions:
        ID: {op: Exists}
'

# an empty tar archive (two zero blocks) as the image's only layer
tmp=$(mktemp)
printf '%*s' 1024 '' | tr ' ' '\0' >"$tmp"
layer_hex=$(sha256sum "$tmp" | cut -d' ' -f1)
mv "$tmp" "$out/blobs/sha256/$layer_hex"
chmod 0644 "$out/blobs/sha256/$layer_hex"

manifests=()
for arch in amd64 arm64; do
	read -r cfg cfg_size < <(put "{\"architecture\":\"$arch\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$layer_hex\"]}}")
	read -r man man_size < <(put "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"$cfg\",\"size\":$cfg_size},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$layer_hex\",\"size\":1024}]}")
	manifests+=("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"$man\",\"size\":$man_size,\"platform\":{\"architecture\":\"$arch\",\"os\":\"linux\"}}")
done
read -r idx idx_size < <(put "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[${manifests[0]},${manifests[1]}]}")

read -r empty _ < <(put '{}')
read -r sp sp_size < <(put "$spec")
read -r art art_size < <(put "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\"application/vnd.nfd.image-compatibility.v1alpha1\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"$empty\",\"size\":2,\"data\":\"e30=\"},\"layers\":[{\"mediaType\":\"application/vnd.nfd.image-compatibility.spec.v1alpha1+yaml\",\"digest\":\"$sp\",\"size\":$sp_size}],\"subject\":{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"$idx\",\"size\":$idx_size},\"annotations\":{\"org.opencontainers.image.created\":\"$created\"}}")

printf '{"imageLayoutVersion":"1.0.0"}' >"$out/oci-layout"
cat >"$out/index.json" <<JSON
{
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {
      "mediaType": "application/vnd.oci.image.index.v1+json",
      "digest": "$idx",
      "size": $idx_size,
      "annotations": {
        "org.opencontainers.image.ref.name": "v1"
      }
    },
    {
      "mediaType": "application/vnd.oci.image.manifest.v1+json",
      "digest": "$art",
      "size": $art_size,
      "artifactType": "application/vnd.nfd.image-compatibility.v1alpha1",
      "annotations": {
        "org.opencontainers.image.created": "$created"
      }
    }
  ]
}
JSON
echo "$out: image $idx (tag v1), spec artifact $art"
