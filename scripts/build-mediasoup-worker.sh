#!/usr/bin/env bash
# Builds mediasoup-worker offline against Debian (bookworm) libraries and caches it outside the
# clone, keyed by mediasoup version and by this script (which holds the shims and the patch):
#   ${XDG_CACHE_HOME:-$HOME/.cache}/qianliyan/mediasoup-worker-<version>-<hash>/mediasoup-worker
# mediasoup's npm tarball ships only meson wrap files that download from outside; meson skips a
# wrap whose `directory =` folder exists, so each wrap gets a stand-in project over the Debian
# library. The build runs in a copy of the worker sources so node_modules stays pristine.
# Usage: build-mediasoup-worker.sh [--print-path] [path/to/node_modules/mediasoup]
#   --print-path  print where the binary lives for this version and script, build nothing.
# Needs (apt, listed in scripts/debian-packages.txt): meson ninja-build pkg-config g++
#   libssl-dev libsrtp2-dev libuv1-dev libusrsctp-dev libabsl-dev libflatbuffers-dev
#   flatbuffers-compiler
set -euo pipefail

PRINT_ONLY=
if [ "${1:-}" = "--print-path" ]; then PRINT_ONLY=1; shift; fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MS="$(cd "${1:-$ROOT/node_modules/mediasoup}" && pwd)"
VERSION="$(node -p "require(process.argv[1]).version" "$MS/package.json")"
HASH="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/qianliyan"
DEST="$CACHE/mediasoup-worker-$VERSION-$HASH"
BIN="$DEST/mediasoup-worker"

if [ -n "$PRINT_ONLY" ]; then echo "$BIN"; exit 0; fi

# Without MEDIASOUP_VERSION in its environment a sound worker exits with code 41.
sane() { local rc=0; env -i "$1" >/dev/null 2>&1 || rc=$?; [ "$rc" = 41 ]; }

if [ -x "$BIN" ] && sane "$BIN"; then exit 0; fi

echo "[mediasoup-worker] building $VERSION (cache $DEST; ~7 min on 2 cores)"
mkdir -p "$CACHE"
WORK="$(mktemp -d "$CACHE/build-$VERSION-$HASH.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cp -a "$MS/worker" "$WORK/worker"
W="$WORK/worker"
SP="$W/subprojects"

wrapdir() { sed -n 's/^directory *= *//p' "$SP/$1.wrap"; }

mkshim() { # $1 wrap name, $2.. string options the parent passes to it; stdin: meson.build body
  local d o
  d="$SP/$(wrapdir "$1")"
  rm -rf "$d"; mkdir -p "$d"
  : > "$d/empty.c"
  : > "$d/meson_options.txt"
  for o in "${@:2}"; do
    echo "option('$o', type: 'string', value: '')" >> "$d/meson_options.txt"
  done
  { echo "project('$1-system-shim', 'c', 'cpp')"; cat; } > "$d/meson.build"
}

mkshim openssl <<'EOF'
openssl_dep = dependency('openssl')
libcrypto_dep = dependency('libcrypto')
libssl_dep = dependency('libssl')
libcrypto_lib = static_library('libcrypto_shim', 'empty.c')
libssl_lib = static_library('libssl_shim', 'empty.c')
EOF

mkshim libuv build_tests build_benchmarks <<'EOF'
libuv_dep = dependency('libuv')
libuv = static_library('libuv_shim', 'empty.c')
EOF

mkshim usrsctp sctp_build_programs <<'EOF'
usrsctp_dep = dependency('usrsctp')
usrsctp = static_library('usrsctp_shim', 'empty.c')
EOF

mkshim abseil-cpp <<'EOF'
_absl = ['absl_flat_hash_map', 'absl_flat_hash_set', 'absl_strings',
         'absl_optional', 'absl_variant', 'absl_base', 'absl_span',
         'absl_inlined_vector', 'absl_str_format']
_deps = []
foreach n : _absl
  _deps += dependency(n)
endforeach
absl_container_dep = declare_dependency(dependencies: _deps)
absl_strings_dep = absl_container_dep
absl_types_dep = absl_container_dep
absl_container_lib = static_library('absl_container_shim', 'empty.c')
EOF

mkshim flatbuffers <<'EOF'
flatbuffers_dep = dependency('flatbuffers')
flatbuffers_lib = static_library('flatbuffers_shim', 'empty.c')
EOF

mkshim catch2 <<'EOF'
catch2_dep = declare_dependency()
EOF

# mediasoup uses its libsrtp3 fork (size_t lengths, separate in/out buffers); Debian has libsrtp2
# (int lengths, in place). Header-only C++ overloads bridge the two.
mkshim libsrtp3 crypto-library crypto-library-kdf tests <<'EOF'
libsrtp3_dep = declare_dependency(
  dependencies: dependency('libsrtp2'),
  include_directories: include_directories('include'),
)
libsrtp3 = static_library('libsrtp3_shim', 'empty.c')
EOF
mkdir -p "$SP/$(wrapdir libsrtp3)/include"
cat > "$SP/$(wrapdir libsrtp3)/include/srtp.h" <<'EOF'
// libsrtp3-style API on top of libsrtp2 (C++ overloads; in-place libsrtp2 calls).
#pragma once
#include <srtp2/srtp.h>
#ifdef __cplusplus
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
static constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
static constexpr srtp_err_status_t srtp_err_status_cryptex_err = static_cast<srtp_err_status_t>(29);

inline srtp_err_status_t ms_srtp2_call(
  srtp_err_status_t (*fn)(srtp_t, void*, int*), srtp_t ctx, const uint8_t* in, size_t inLen,
  uint8_t* out, size_t* outLen, size_t extra)
{
  if (inLen > INT_MAX || *outLen < inLen + extra)
    return srtp_err_status_buffer_small;
  if (out != in)
    std::memmove(out, in, inLen);
  int len = static_cast<int>(inLen);
  const srtp_err_status_t err = fn(ctx, out, &len);
  if (err == srtp_err_status_ok)
    *outLen = static_cast<size_t>(len);
  return err;
}
inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc)
{
  return srtp_remove_stream(session, ssrc);
}
inline srtp_err_status_t srtp_protect(
  srtp_t ctx, const uint8_t* rtp, size_t rtpLen, uint8_t* srtp, size_t* srtpLen, size_t /*mki*/)
{
  return ms_srtp2_call(::srtp_protect, ctx, rtp, rtpLen, srtp, srtpLen, SRTP_MAX_TRAILER_LEN);
}
inline srtp_err_status_t srtp_unprotect(
  srtp_t ctx, const uint8_t* srtp, size_t srtpLen, uint8_t* rtp, size_t* rtpLen)
{
  return ms_srtp2_call(::srtp_unprotect, ctx, srtp, srtpLen, rtp, rtpLen, 0);
}
inline srtp_err_status_t srtp_protect_rtcp(
  srtp_t ctx, const uint8_t* rtcp, size_t rtcpLen, uint8_t* srtcp, size_t* srtcpLen, size_t /*mki*/)
{
  return ms_srtp2_call(::srtp_protect_rtcp, ctx, rtcp, rtcpLen, srtcp, srtcpLen, SRTP_MAX_TRAILER_LEN + 4);
}
inline srtp_err_status_t srtp_unprotect_rtcp(
  srtp_t ctx, const uint8_t* srtcp, size_t srtcpLen, uint8_t* rtcp, size_t* rtcpLen)
{
  return ms_srtp2_call(::srtp_unprotect_rtcp, ctx, srtcp, srtcpLen, rtcp, rtcpLen, 0);
}
#endif
EOF

# DTLS SIGSEGV with Debian's OpenSSL (built with kernel TLS): onSslBioOut tests
# `operationType == BIO_CB_RETURN`, but "after" calls arrive with BIO_CB_RETURN OR-ed with the
# operation, so it answers 1 to everything, BIO_get_ktls_send included; libssl then allocates no
# write buffer and writes the first record through NULL. Test the flag bit instead.
DT="$W/src/RTC/DtlsTransport.cpp"
sed -i 's/(operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1;/(operationType \& BIO_CB_RETURN) ? static_cast<long>(ret) : 1;/' "$DT"
grep -q '(operationType & BIO_CB_RETURN) ? static_cast<long>(ret) : 1;' "$DT" \
  || { echo "[mediasoup-worker] DtlsTransport.cpp BIO callback patch did not apply to $VERSION" >&2; exit 1; }

# Debian bookworm ships meson 1.0.1; mediasoup asks for >= 1.1.0 but builds with 1.0.
sed -i "s/meson_version: '>= 1.1.0'/meson_version: '>= 1.0.0'/" "$W/meson.build"

B="$WORK/build"
LOG="$WORK/build.log"
# Debian's liburing is older than the one mediasoup needs.
if ! { (cd "$W" && meson setup --wrap-mode=nodownload --buildtype release -Db_ndebug=true \
          -Dms_disable_liburing=true "$B") \
        && meson compile -C "$B" flatbuffers-generator \
        && ninja -C "$B" -j"$(nproc)" mediasoup-worker; } >"$LOG" 2>&1; then
  tail -n 40 "$LOG" >&2
  echo "[mediasoup-worker] build failed (log above)" >&2
  exit 1
fi
strip "$B/mediasoup-worker" || true
sane "$B/mediasoup-worker" || { echo "[mediasoup-worker] built worker failed its sanity check" >&2; exit 1; }

# Install atomically: a concurrent reader sees either no binary or a complete one.
mkdir -p "$DEST"
cp "$B/mediasoup-worker" "$BIN.tmp.$$"
mv -f "$BIN.tmp.$$" "$BIN"
echo "[mediasoup-worker] OK: $BIN"
