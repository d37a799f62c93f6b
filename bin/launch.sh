#!/usr/bin/env bash
# Shared by the launchers in this folder: runs MAIN_CLASS from MODULE's build output.
# Usage: launch.sh MODULE MAIN_CLASS [ARGS...]
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
exec "$java_bin" ${JAVA_OPTS:-} -cp "$jar:$root/$module/target/lib/*" "$main" "$@"
