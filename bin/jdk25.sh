# Sourced by bin/vecgate, bin/test and .ci/run: finds a JDK 25 or newer and exports JAVA_HOME.
# Looks at JAVA_HOME, then `java` on PATH, then the usual JDK folders.

vecgate_java_major() {
  # Prints the feature version of the java binary $1 (e.g. 25), or nothing.
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

vecgate_find_jdk25() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/lib/jvm/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] && [ -x "$c/bin/javac" ] || continue
    major=$(vecgate_java_major "$c/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  cat >&2 <<'MSG'
vecgate needs a JDK 25 or newer (it uses the Vector API and the FFM API of Java 25).
None was found in JAVA_HOME, on the PATH, or under /usr/lib/jvm, /opt/java, ~/.sdkman.
Install one (e.g. Eclipse Temurin 25: apt-get install temurin-25-jdk from the Adoptium
repository, or unpack a JDK under /opt/java) and/or set JAVA_HOME to it.
MSG
  return 1
}
