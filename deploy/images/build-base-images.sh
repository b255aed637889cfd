#!/usr/bin/env bash
# Makes LearnApp's base images locally, with no image registry: installs docker.io + debootstrap when missing, starts
# dockerd when it does not answer, then builds (each only when missing or when its inputs changed):
#   learnapp/debian:bookworm            debootstrap --variant=minbase rootfs, imported
#   learnapp/dotnet-runtime:10.0        ASP.NET Core runtime from this machine's /usr/share/dotnet, user 1654 "app"
#   learnapp/dotnet-sdk:10.0            the whole .NET SDK from this machine
#   learnapp/node:20                    this machine's Node + npm
#   learnapp/nginx-unprivileged:1.22    Debian's nginx as uid 101 on 8080, templates rendered at start
#   docker.io/library/postgres:17.6     Debian's PostgreSQL 15 with the official image's env contract
#   docker.io/library/redis:8.2         Debian's Redis 7 with the official image's conventions
# The last two carry the names deploy/compose/compose.yaml uses, so that file runs unchanged.
# Usage: deploy/images/build-base-images.sh [--engine-only]   (as root; FORCE=1 rebuilds everything)
# Env: LEARNAPP_DOCKERD_LOG (default /var/log/learnapp-dockerd.log), DEBIAN_MIRROR (default: this machine's).
set -Eeuo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fail() { echo "build-base-images: $*" >&2; exit 1; }
say() { echo "build-base-images: $*" >&2; }
trap 'fail "failed at line $LINENO: $BASH_COMMAND"' ERR

# Debian's client speaks the daemon's API version and has the classic builder; prefer it over any other on PATH.
DOCKER=/usr/bin/docker
DOTNET_ROOT_DIR="${DOTNET_ROOT:-/usr/share/dotnet}"
DEBIAN_SUITE=bookworm
DEBIAN_MIRROR="${DEBIAN_MIRROR:-$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DOCKERD_LOG="${LEARNAPP_DOCKERD_LOG:-/var/log/learnapp-dockerd.log}"

[ "$(id -u)" = 0 ] || fail "run as root (apt-get, dockerd and debootstrap need it)"

ensure_packages() {
    local missing=()
    command -v /usr/sbin/dockerd >/dev/null || missing+=(docker.io)
    [ -x "$DOCKER" ] || missing+=(docker.io)
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    command -v docker-compose >/dev/null || missing+=(docker-compose)
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing ${missing[*]}"
    # One apt at a time on a shared machine.
    if ! flock /var/lib/apt/.learnapp.lock bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"' _ "${missing[@]}" >/dev/null; then
        fail "apt-get install ${missing[*]} failed"
    fi
}

ensure_daemon() {
    "$DOCKER" info >/dev/null 2>&1 && return 0
    exec 9>/run/learnapp-dockerd.lock
    flock 9
    if ! "$DOCKER" info >/dev/null 2>&1; then
        say "starting dockerd (log: $DOCKERD_LOG)"
        # Its own session, so it outlives this script and the test run that called it.
        setsid /usr/sbin/dockerd >>"$DOCKERD_LOG" 2>&1 < /dev/null &
        local deadline=$((SECONDS + 60))
        until "$DOCKER" info >/dev/null 2>&1; do
            [ $SECONDS -lt $deadline ] || fail "dockerd did not answer within 60 s; see $DOCKERD_LOG"
            sleep 0.2
        done
    fi
    flock -u 9
}

# The hash of an image's inputs, stored as a label: a changed Dockerfile or base rebuilds, an unchanged one is skipped.
inputs_hash() { cat "$@" | sha256sum | cut -c1-16; }

current_hash() {
    "$DOCKER" image inspect --format '{{ index .Config.Labels "org.learnapp.base.inputs" }}' "$1" 2>/dev/null || true
}

image_id() { "$DOCKER" image inspect --format '{{.Id}}' "$1"; }

build_debian() {
    local name=learnapp/debian:bookworm
    local hash
    hash="$(printf '%s %s %s\n' "$DEBIAN_SUITE" "$DEBIAN_MIRROR" "v2" | sha256sum | cut -c1-16)"
    if [ -z "${FORCE:-}" ] && [ "$(current_hash "$name")" = "$hash" ]; then say "$name is up to date"; return 0; fi
    say "building $name (debootstrap $DEBIAN_SUITE from $DEBIAN_MIRROR)"
    local rootfs="$work/rootfs"
    debootstrap --variant=minbase "$DEBIAN_SUITE" "$rootfs" "$DEBIAN_MIRROR" > "$work/debootstrap.log" 2>&1 \
        || fail "debootstrap failed; last lines: $(tail -n 3 "$work/debootstrap.log" | tr '\n' ' ')"
    cat > "$rootfs/etc/apt/sources.list" <<SOURCES
deb $DEBIAN_MIRROR $DEBIAN_SUITE main
deb $DEBIAN_MIRROR $DEBIAN_SUITE-updates main
deb ${DEBIAN_MIRROR%/debian}/debian-security $DEBIAN_SUITE-security main
SOURCES
    # Mirrors here may serve snapshots whose Release files are past their Valid-Until.
    [ -f /etc/apt/apt.conf.d/99artifact-registry ] && cp /etc/apt/apt.conf.d/99artifact-registry "$rootfs/etc/apt/apt.conf.d/"
    # Small images: no docs, man pages or locales from later installs, no cached lists.
    cat > "$rootfs/etc/dpkg/dpkg.cfg.d/01-learnapp-nodoc" <<'NODOC'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
NODOC
    printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' > "$rootfs/etc/apt/apt.conf.d/01-learnapp-norecommends"
    # Like the official Debian images: no downloaded .deb files or package caches left in any layer.
    cat > "$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CLEAN'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CLEAN
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
        "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/* \
        "$rootfs"/var/log/*.log "$rootfs"/var/cache/debconf/*-old
    tar -C "$rootfs" -c . | "$DOCKER" import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' \
        --change "LABEL org.learnapp.base=1 org.learnapp.base.inputs=$hash" \
        - "$name" >/dev/null
    rm -rf "$rootfs"
}

# build_image NAME DIR BASE [EXTRA_HASH_INPUT]: builds DIR's Dockerfile (context: $work/ctx-NAME when staged).
build_image() {
    local name="$1" dir="$2" base="$3" extra="${4:-}"
    local context="$work/ctx-${name//[\/:]/-}"
    mkdir -p "$context"
    cp -a "$here/$dir/." "$context/"
    local hash
    hash="$( (cd "$here/$dir" && find . -type f -print0 | sort -z | xargs -0 sha256sum; image_id "$base"; printf '%s' "$extra") | sha256sum | cut -c1-16)"
    if [ -z "${FORCE:-}" ] && [ "$(current_hash "$name")" = "$hash" ]; then say "$name is up to date"; rm -rf "$context"; return 0; fi
    say "building $name"
    [ -n "${STAGE:-}" ] && "$STAGE" "$context"
    if ! "$DOCKER" build --quiet --build-arg "BASE_IMAGE=$base" \
        --label org.learnapp.base=1 --label "org.learnapp.base.inputs=$hash" \
        -t "$name" "$context" > "$work/build.log" 2>&1; then
        fail "docker build of $name failed; last lines: $(tail -n 5 "$work/build.log" | tr '\n' ' ')"
    fi
    rm -rf "$context"
}

dotnet_version() { ls "$DOTNET_ROOT_DIR/shared/$1" | sort -V | tail -n 1; }

stage_dotnet_runtime() {
    local d="$1/dotnet" v
    mkdir -p "$d/shared"
    cp -a "$DOTNET_ROOT_DIR/dotnet" "$DOTNET_ROOT_DIR/host" "$DOTNET_ROOT_DIR/LICENSE.txt" "$d/"
    for fw in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
        v="$(dotnet_version "$fw")"
        mkdir -p "$d/shared/$fw" && cp -a "$DOTNET_ROOT_DIR/shared/$fw/$v" "$d/shared/$fw/"
    done
}
stage_dotnet_sdk() { mkdir -p "$1/dotnet" && cp -a "$DOTNET_ROOT_DIR/." "$1/dotnet/"; }
stage_node() {
    cp -a "$(readlink -f "$(command -v node)")" "$1/node"
    mkdir -p "$1/node_modules" && cp -a /usr/lib/node_modules/npm "$1/node_modules/"
}

ensure_packages
ensure_daemon
[ "${1:-}" = "--engine-only" ] && exit 0

[ -x "$DOTNET_ROOT_DIR/dotnet" ] || fail "no .NET install at $DOTNET_ROOT_DIR"
command -v node >/dev/null && [ -d /usr/lib/node_modules/npm ] || fail "no node + npm on this machine"

work="$(mktemp -d /tmp/learnapp-base-images.XXXXXX)"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

build_debian
runtime_versions="$(dotnet_version Microsoft.NETCore.App) $(dotnet_version Microsoft.AspNetCore.App)"
STAGE=stage_dotnet_runtime build_image learnapp/dotnet-runtime:10.0 dotnet-runtime learnapp/debian:bookworm "$runtime_versions"
STAGE=stage_dotnet_sdk build_image learnapp/dotnet-sdk:10.0 dotnet-sdk learnapp/dotnet-runtime:10.0 "$(ls "$DOTNET_ROOT_DIR/sdk")"
STAGE=stage_node build_image learnapp/node:20 node learnapp/debian:bookworm "$(node --version) $(npm --version 2>/dev/null)"
build_image learnapp/nginx-unprivileged:1.22 nginx learnapp/debian:bookworm
build_image docker.io/library/postgres:17.6 postgres learnapp/debian:bookworm
build_image docker.io/library/redis:8.2 redis learnapp/debian:bookworm

say "done: $("$DOCKER" image ls --filter label=org.learnapp.base=1 --format '{{.Repository}}:{{.Tag}} {{.Size}}' | tr '\n' ';')"
