#!/usr/bin/env bash
# Keycloak for the interoperability test (Keycloak as an OpenID Connect broker in front of Freedom ID).
#
#   interop/keycloak/keycloak.sh fetch                    resolve the distribution from Maven Central into the local
#                                                         Maven repository and unpack it there once; prints its folder
#   interop/keycloak/keycloak.sh start PORT [MGMT_PORT]   start-dev on 127.0.0.1:PORT (http), in-memory database,
#                                                         bootstrap admin; waits until ready; prints the PID
#   interop/keycloak/keycloak.sh stop [PID|PORT]          stops what `start` started (TERM, then KILL after 30 s)
#
# Settings (environment): KEYCLOAK_VERSION (default below), KEYCLOAK_ADMIN_USER / KEYCLOAK_ADMIN_PASSWORD
# (default admin / admin), KEYCLOAK_START_TIMEOUT seconds (default 180), KEYCLOAK_RUN_DIR (pid and log files,
# default interop/keycloak/target), MAVEN_REPO_LOCAL (default ~/.m2/repository), JAVA_HOME (a JDK >= 21;
# otherwise found like ./freedom-id does).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="${KEYCLOAK_VERSION:-26.7.3}"
repo="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
artifact_dir="$repo/org/keycloak/keycloak-quarkus-dist/$version"
zip="$artifact_dir/keycloak-quarkus-dist-$version.zip"
dist="$artifact_dir/keycloak-$version" # unpacked beside the zip, so it is cached with it
run_dir="${KEYCLOAK_RUN_DIR:-$here/target}"
admin_user="${KEYCLOAK_ADMIN_USER:-admin}"
admin_password="${KEYCLOAK_ADMIN_PASSWORD:-admin}"
start_timeout="${KEYCLOAK_START_TIMEOUT:-180}"

say() { echo "keycloak.sh: $*" >&2; }
die() { say "$*"; exit 1; }

java_major() { # prints the major version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n1
}

find_jdk() { # prints a JAVA_HOME whose java is >= 21 (Keycloak 26 needs 17+, our build 21+; the same rule as ./freedom-id)
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${d%/}"); done
  for home in "${candidates[@]}"; do
    if [ -x "$home/bin/java" ]; then
      local v; v="$(java_major "$home/bin/java")"
      if [ -n "$v" ] && [ "$v" -ge 21 ]; then echo "$home"; return 0; fi
    fi
  done
  return 1
}

fetch() {
  if [ -x "$dist/bin/kc.sh" ] && [ -f "$dist/.unpacked" ]; then echo "$dist"; return 0; fi
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is needed to fetch Keycloak from Maven Central"
  local began=$SECONDS
  if [ ! -f "$zip" ]; then
    say "fetching org.keycloak:keycloak-quarkus-dist:$version:zip from Maven Central..."
    mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$repo" dependency:get -Dtransitive=false \
      -Dartifact="org.keycloak:keycloak-quarkus-dist:$version:zip" >&2 \
      || die "could not fetch org.keycloak:keycloak-quarkus-dist:$version:zip"
    [ -f "$zip" ] || die "Maven reported success but $zip is not there"
  fi
  # Unpack into a temporary folder and move it into place, so an interrupted unpack never looks finished.
  local tmp; tmp="$(mktemp -d "$artifact_dir/unpack.XXXXXX")"
  if command -v unzip >/dev/null 2>&1; then
    unzip -q "$zip" -d "$tmp" || { rm -rf "$tmp"; die "could not unpack $zip"; }
  else
    local jdk; jdk="$(find_jdk)" || { rm -rf "$tmp"; die "no unzip and no JDK >= 21 (for its jar tool) to unpack $zip"; }
    (cd "$tmp" && "$jdk/bin/jar" xf "$zip") || { rm -rf "$tmp"; die "could not unpack $zip"; }
    chmod +x "$tmp/keycloak-$version/bin/"*.sh
  fi
  [ -x "$tmp/keycloak-$version/bin/kc.sh" ] || { rm -rf "$tmp"; die "$zip has no keycloak-$version/bin/kc.sh"; }
  touch "$tmp/keycloak-$version/.unpacked"
  rm -rf "$dist"
  mv "$tmp/keycloak-$version" "$dist"
  rm -rf "$tmp"
  say "Keycloak $version ready in $dist (fetch and unpack took $((SECONDS - began)) s)"
  echo "$dist"
}

http_ok() { # true when GET $1 answers 200; curl when there is one, bash's /dev/tcp otherwise
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 5 "$1" 2>/dev/null
  else
    local hostport="${1#http://}"; hostport="${hostport%%/*}"; local path="/${1#http://*/}"
    { exec 9<>"/dev/tcp/${hostport%:*}/${hostport#*:}"; } 2>/dev/null || return 1
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&9
    local status; read -r -t 5 _ status _ <&9 || true
    exec 9<&- 9>&-
    [ "$status" = 200 ]
  fi
}

start() {
  local port="${1:-}" mgmt="${2:-}"
  [[ "$port" =~ ^[0-9]+$ ]] || die "usage: keycloak.sh start PORT [MANAGEMENT_PORT]"
  [ -n "$mgmt" ] || mgmt=$((port + 1))
  [[ "$mgmt" =~ ^[0-9]+$ ]] || die "MANAGEMENT_PORT must be a number"
  local home; home="$(fetch)"
  local jdk; jdk="$(find_jdk)" || die "no JDK 21 or newer found (looked at JAVA_HOME, java on PATH, /usr/lib/jvm/*)"
  mkdir -p "$run_dir"
  local log="$run_dir/keycloak-$port.log" pidfile="$run_dir/keycloak-$port.pid"
  local began=$SECONDS
  say "starting Keycloak $version on http://127.0.0.1:$port (management :$mgmt, java $(java_major "$jdk/bin/java") at $jdk); log $log"
  # start-dev: http, no hostname checks, in-memory H2 (nothing to clean up). Loopback only, for HTTP and management.
  # kc.sh forwards TERM to Keycloak's JVM, so its PID is the one to stop.
  JAVA_HOME="$jdk" \
  KC_BOOTSTRAP_ADMIN_USERNAME="$admin_user" KC_BOOTSTRAP_ADMIN_PASSWORD="$admin_password" \
  JAVA_OPTS_KC_HEAP="${JAVA_OPTS_KC_HEAP:--Xms64m -Xmx768m}" \
    nohup bash "$home/bin/kc.sh" start-dev \
      --http-host=127.0.0.1 --http-port="$port" \
      --http-management-host=127.0.0.1 --http-management-port="$mgmt" \
      --health-enabled=true --db=dev-mem \
      </dev/null >"$log" 2>&1 &
  local pid=$!
  echo "$pid" >"$pidfile"
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$log" >&2 || true
      die "Keycloak exited while starting (log above, $log)"
    fi
    if http_ok "http://127.0.0.1:$mgmt/health/ready" && http_ok "http://127.0.0.1:$port/realms/master"; then break; fi
    if [ $((SECONDS - began)) -ge "$start_timeout" ]; then
      tail -n 40 "$log" >&2 || true
      stop "$pid" || true
      die "Keycloak was not ready within $start_timeout s (log above, $log)"
    fi
    sleep 1
  done
  say "Keycloak is ready on http://127.0.0.1:$port after $((SECONDS - began)) s (PID $pid)"
  echo "$pid"
}

stop() {
  local arg="${1:-}" pid pidfile=""
  if [ -z "$arg" ]; then
    pidfile="$(ls -t "$run_dir"/keycloak-*.pid 2>/dev/null | head -n1)"
    [ -n "$pidfile" ] || { say "nothing to stop (no pid file in $run_dir)"; return 0; }
    pid="$(cat "$pidfile")"
  elif [ -f "$run_dir/keycloak-$arg.pid" ]; then
    pidfile="$run_dir/keycloak-$arg.pid"; pid="$(cat "$pidfile")"
  else
    pid="$arg"
  fi
  [[ "$pid" =~ ^[0-9]+$ ]] || die "not a PID: $pid"
  if kill -0 "$pid" 2>/dev/null; then
    local children; children="$(pgrep -P "$pid" 2>/dev/null || true)" # Keycloak's JVM when kc.sh did not exec it
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
      say "Keycloak (PID $pid) did not stop within 30 s; killing it"
      kill -KILL "$pid" $children 2>/dev/null || true
    fi
    say "stopped Keycloak (PID $pid)"
  fi
  if [ -z "$pidfile" ]; then
    pidfile="$(grep -lx "$pid" "$run_dir"/keycloak-*.pid 2>/dev/null | head -n1 || true)"
  fi
  [ -n "$pidfile" ] && rm -f "$pidfile"
  return 0
}

case "${1:-}" in
  fetch) fetch ;;
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: keycloak.sh fetch | start PORT [MANAGEMENT_PORT] | stop [PID|PORT]" ;;
esac
