#!/usr/bin/env bash
# Shared by the launchers in this folder: runs MAIN_CLASS from MODULE's build output.
# Usage: launch.sh MODULE MAIN_CLASS [ARGS...]
# The build records the classes a program loads at start into MODULE/target/MODULE.jsa (a class-data-sharing
# archive); it is used when it is newer than the jar, and URSA_CDS_ARCHIVE=off starts without it. A JVM that cannot
# map it (another Java, say) starts without it, a little slower.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="$1"; main="$2"; shift 2
jar="$root/$module/target/$module.jar"
if [ ! -f "$jar" ]; then
  echo "$module is not built yet ($jar is missing). Build it first from $root:" >&2
  echo "  ./mvnw -B -q package -DskipTests" >&2
  exit 1
fi
java_bin="java"
[ -n "${JAVA_HOME:-}" ] && java_bin="$JAVA_HOME/bin/java"
archive="$root/$module/target/$module.jsa"
cds=""
if [ "${URSA_CDS_ARCHIVE:-on}" != "off" ] && [ -f "$archive" ] && [ "$archive" -nt "$jar" ]; then
  cds="-XX:SharedArchiveFile=$archive -Xlog:cds=off -Xlog:cds+dynamic=off"
fi
# URSA_JVM_DEFAULTS: the program's own JVM flags (set by its launcher); JAVA_OPTS comes after them and wins.
exec "$java_bin" ${URSA_JVM_DEFAULTS:-} ${JAVA_OPTS:-} $cds -cp "$jar:$root/$module/target/lib/*" "$main" "$@"
