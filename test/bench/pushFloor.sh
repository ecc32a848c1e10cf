#!/usr/bin/env bash
# The floor for `oci-gitops push`: what standard tools need to push the same folder as an OCI
# artifact to the same registry, streaming: tar | gzip -6 -n | curl (one PATCH with the stream),
# then the digest, the config blob and the manifest, one curl each.
#   pushFloor.sh <registry-url> <repository> <folder> <scratch-dir>
set -euo pipefail
R=$1 REPO=$2 DIR=$3 TMP=$4
location() { tr -d '\r' | awk 'tolower($1) == "location:" { print $2 }'; }
absolute() { case "$1" in http*) echo "$1" ;; *) echo "$R$1" ;; esac; }
with_digest() { case "$1" in *\?*) echo "$1&digest=$2" ;; *) echo "$1?digest=$2" ;; esac; }

upload=$(absolute "$(curl -sSf -X POST -o /dev/null -D - "$R/v2/$REPO/blobs/uploads/" | location)")
next=$(tar -C "$DIR" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - . | gzip -6 -n | tee "$TMP/layer.tar.gz" \
  | curl -sSf -X PATCH -H 'Content-Type: application/octet-stream' -T - -o /dev/null -D - "$upload" | location)
digest="sha256:$(sha256sum "$TMP/layer.tar.gz" | cut -d' ' -f1)"
size=$(stat -c %s "$TMP/layer.tar.gz")
curl -sSf -X PUT -o /dev/null "$(with_digest "$(absolute "$next")" "$digest")"

empty=sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a
upload=$(absolute "$(curl -sSf -X POST -o /dev/null -D - "$R/v2/$REPO/blobs/uploads/" | location)")
curl -sSf -X PUT -H 'Content-Type: application/octet-stream' --data-binary '{}' -o /dev/null "$(with_digest "$upload" "$empty")"

manifest="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"$empty\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"$digest\",\"size\":$size}]}"
curl -sSf -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' --data-binary "$manifest" -o /dev/null "$R/v2/$REPO/manifests/1.0.0"
