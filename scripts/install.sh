#!/usr/bin/env bash
# Installs dcrsite: the released binary for this machine when the release has one (its
# SHA-256 checked against the release's checksum file), else `cargo install --locked`.
#
#   install.sh            the release binary, else cargo
#   install.sh release    the release binary only; prints method=cargo when there is none
#   install.sh cargo      cargo only
#
# Settings (environment):
#   DCRSITE_VERSION      a release tag (v0.2.0) or `latest` (default)
#   DCRSITE_REPO         owner/name of the repository that publishes the releases
#   DCRSITE_GITHUB       the server, https://github.com unless set
#   DCRSITE_INSTALL_DIR  where the binary goes (default ~/.dcrsite/bin)
#   DCRSITE_TARGET       the release target, when the machine's is not the one wanted
# In GitHub Actions the folder is added to GITHUB_PATH and `method` and `version` are
# written to GITHUB_OUTPUT.
set -euo pipefail

mode="${1:-auto}"
version="${DCRSITE_VERSION:-latest}"
repo="${DCRSITE_REPO:-decred/dcrsite}"
server="${DCRSITE_GITHUB:-https://github.com}"
server="${server%/}"
install_dir="${DCRSITE_INSTALL_DIR:-$HOME/.dcrsite/bin}"

say() { echo "dcrsite install: $*" >&2; }
fail() { say "error: $*"; exit 1; }

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >>"$GITHUB_OUTPUT"; fi
  echo "$1"
}

# The release target of this machine, as the release workflow names its archives.
target() {
  if [ -n "${DCRSITE_TARGET:-}" ]; then echo "$DCRSITE_TARGET"; return; fi
  local os arch
  os="$(uname -s)"
  arch="$(uname -m)"
  case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) return 1 ;;
  esac
  case "$os" in
    Linux) echo "$arch-unknown-linux-musl" ;;
    Darwin) echo "$arch-apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) [ "$arch" = x86_64 ] && echo "x86_64-pc-windows-msvc" ;;
    *) return 1 ;;
  esac
}

# `latest` → the tag the server's latest release redirects to.
resolve_version() {
  if [ "$version" != latest ]; then echo "$version"; return; fi
  local url
  url="$(curl -fsSL -o /dev/null -w '%{url_effective}' "$server/$repo/releases/latest")" || return 1
  case "$url" in
    */releases/tag/*) echo "${url##*/releases/tag/}" ;;
    *) return 1 ;;
  esac
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# 0: installed; 2: no release binary for this machine; anything else: an error.
install_release() {
  local target tag archive base tmp expected actual
  target="$(target)" || { say "no release binary for $(uname -s) $(uname -m)"; return 2; }
  tag="$(resolve_version)" || { say "no release found at $server/$repo"; return 2; }
  case "$target" in *windows*) archive="dcrsite-$target.zip" ;; *) archive="dcrsite-$target.tar.gz" ;; esac
  base="$server/$repo/releases/download/$tag"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' RETURN
  if ! curl -fsSL -o "$tmp/$archive" "$base/$archive"; then
    say "release $tag has no $archive"
    return 2
  fi
  # A release without checksums is not installed: the binary cannot be verified.
  curl -fsSL -o "$tmp/SHA256SUMS" "$base/SHA256SUMS" || fail "release $tag has no SHA256SUMS"
  expected="$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$tmp/SHA256SUMS")"
  [ -n "$expected" ] || fail "SHA256SUMS of $tag does not list $archive"
  actual="$(sha256 "$tmp/$archive")"
  [ "$expected" = "$actual" ] || fail "checksum mismatch for $archive: expected $expected, got $actual"
  mkdir -p "$install_dir"
  case "$archive" in
    *.zip) unzip -o -q "$tmp/$archive" -d "$tmp/x" ;;
    *) mkdir -p "$tmp/x" && tar -xzf "$tmp/$archive" -C "$tmp/x" ;;
  esac
  local bin
  bin="$(find "$tmp/x" -type f \( -name dcrsite -o -name dcrsite.exe \) | head -n 1)"
  [ -n "$bin" ] || fail "$archive holds no dcrsite binary"
  install -m 755 "$bin" "$install_dir/"
  say "installed $tag ($target) into $install_dir"
  output "version=$tag"
  return 0
}

install_cargo() {
  command -v cargo >/dev/null 2>&1 || fail "no release binary and no cargo: install Rust (rustup.rs) first"
  local root="${install_dir%/bin}"
  local args=(install --locked --root "$root" --git "$server/$repo")
  if [ "$version" != latest ]; then args+=(--tag "$version"); fi
  say "cargo ${args[*]} dcrsite"
  cargo "${args[@]}" dcrsite
  output "version=$version"
}

on_path() {
  if [ -n "${GITHUB_PATH:-}" ]; then echo "$install_dir" >>"$GITHUB_PATH"; fi
}

case "$mode" in
  release | auto)
    status=0
    install_release || status=$?
    if [ "$status" -eq 0 ]; then
      output "method=release"
      on_path
    elif [ "$status" -eq 2 ] && [ "$mode" = release ]; then
      output "method=cargo"
    elif [ "$status" -eq 2 ]; then
      install_cargo
      output "method=cargo"
      on_path
    else
      exit "$status"
    fi
    ;;
  cargo)
    install_cargo
    output "method=cargo"
    on_path
    ;;
  *) fail "unknown mode '$mode' (expected release or cargo)" ;;
esac
