#!/bin/sh
# Our entrypoint for Debian's redis-server, honouring the official image's conventions.
set -eu

# `docker run IMAGE --requirepass x` or `docker run IMAGE /path/redis.conf` means the server with those arguments.
case "${1:-}" in
    -*|*.conf) set -- redis-server "$@" ;;
esac

if [ "${1:-}" = 'redis-server' ]; then
    # Started as root (e.g. `--user root`): own the data, then come back as redis.
    if [ "$(id -u)" = '0' ]; then
        find . \! -user redis -exec chown redis '{}' +
        exec setpriv --reuid=redis --regid=redis --init-groups -- "$0" "$@"
    fi
    # Without a config file the official image turns protected mode off: the container network is the boundary.
    case "${2:-}" in
        *.conf) ;;
        *) shift; set -- redis-server --protected-mode no "$@" ;;
    esac
fi

exec "$@"
