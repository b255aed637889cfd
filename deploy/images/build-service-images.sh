#!/usr/bin/env bash
# Builds LearnApp's service images from the local base images (see build-base-images.sh, which it runs first), under
# the names deploy/compose/compose.yaml uses by default:
#   learnapp-api:latest      Api/Dockerfile, the one .NET image (modes: api, worker, scheduler, migrate)
#   frontend:latest          Frontend/Dockerfile (Vite build served by unprivileged nginx, /api proxied)
# Unchanged sources rebuild from Docker's layer cache in seconds. Restores inside the builds reach NuGet and npm.
# Usage: deploy/images/build-service-images.sh   (as root)
set -Eeuo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
DOCKER=/usr/bin/docker
fail() { echo "build-service-images: $*" >&2; exit 1; }
say() { echo "build-service-images: $*" >&2; }

"$here/build-base-images.sh"

log="$(mktemp /tmp/learnapp-service-images.XXXXXX.log)"
trap 'rm -f "$log"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# build NAME CONTEXT DOCKERFILE BUILD-ARG...
build() {
    local name="$1" context="$2" dockerfile="$3"
    shift 3
    local args=() started=$SECONDS
    for arg in "$@"; do args+=(--build-arg "$arg"); done
    say "building $name"
    local previous
    previous="$("$DOCKER" image inspect --format '{{.Id}}' "$name" 2>/dev/null || true)"
    if ! "$DOCKER" build --force-rm "${args[@]}" --label org.learnapp.service=1 -f "$dockerfile" -t "$name" "$context" > "$log" 2>&1; then
        fail "docker build of $name failed; last lines: $(tail -n 8 "$log" | tr '\n' ' ')"
    fi
    # The version this build replaced, unless something still uses it: only ever our own image.
    if [ -n "$previous" ] && [ "$previous" != "$("$DOCKER" image inspect --format '{{.Id}}' "$name")" ]; then
        "$DOCKER" image rm "$previous" >/dev/null 2>&1 || true
    fi
    say "built $name in $((SECONDS - started)) s, $("$DOCKER" image inspect --format '{{.Size}}' "$name" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
}

dotnet_bases=(SDK_IMAGE=learnapp/dotnet-sdk:10.0 RUNTIME_IMAGE=learnapp/dotnet-runtime:10.0)
build learnapp-api:latest "$root" "$root/Api/Dockerfile" "${dotnet_bases[@]}"
build frontend:latest "$root/Frontend" "$root/Frontend/Dockerfile" NODE_IMAGE=learnapp/node:20 NGINX_IMAGE=learnapp/nginx-unprivileged:1.22
