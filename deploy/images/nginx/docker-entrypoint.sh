#!/bin/sh
# As the official nginx images do: sources the executable /docker-entrypoint.d/*.envsh scripts in order (they may
# export variables for the templates), renders /etc/nginx/templates/*.template into /etc/nginx/conf.d, then runs the
# command. Only variables that are set, and that match NGINX_ENVSUBST_FILTER when given, are substituted, so
# nginx's own $variables survive.
set -eu

if [ "${1:-}" = "nginx" ] && [ -d /docker-entrypoint.d ]; then
    for script in $(find /docker-entrypoint.d -follow -type f -name "*.envsh" | sort -V); do
        if [ -x "$script" ]; then
            . "$script"
        fi
    done
fi

template_dir="${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
suffix="${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}"
output_dir="${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"
filter="${NGINX_ENVSUBST_FILTER:-}"

if [ "${1:-}" = "nginx" ] && [ -d "$template_dir" ]; then
    defined_envs=$(printf '${%s} ' $(env | cut -d= -f1 | grep -E "${filter:-.}" || true))
    for template in $(find "$template_dir" -follow -type f -name "*$suffix"); do
        relative="${template#"$template_dir"/}"
        output="$output_dir/${relative%"$suffix"}"
        mkdir -p "$(dirname "$output")"
        if ! envsubst "$defined_envs" < "$template" > "$output"; then
            echo "docker-entrypoint: cannot render $template into $output" >&2
            exit 1
        fi
    done
fi

exec "$@"
