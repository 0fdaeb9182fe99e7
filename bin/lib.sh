# Shared set-up for bin/demo and bin/test: install what is missing, nothing more.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# ensure_debian_packages PKG... : apt-get install the ones not installed yet.
ensure_debian_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo ">> installing Debian packages: ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# ensure_python_env [--dev]: a .venv with the locked dependencies (uv.lock).
ensure_python_env() {
    if ! command -v uv >/dev/null 2>&1; then
        echo ">> installing uv"
        python3 -m pip install --quiet --disable-pip-version-check uv
    fi
    local groups=(--no-dev)
    [ "${1:-}" = "--dev" ] && groups=()
    uv sync --frozen --quiet "${groups[@]}"
}

# Debian packages the platform itself needs at run time: CJK fonts for pages and PDFs,
# gettext for the catalogues, Pango/HarfBuzz for WeasyPrint's PDF rendering.
RUNTIME_PACKAGES=(fonts-noto-cjk gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
