# Sourced by ./mvnw and .ci/run. testum builds with JDK 21 or newer. When JAVA_HOME is unset and
# the default java is older, this picks the newest JDK of 21 or newer from the usual install
# locations and exports JAVA_HOME. It changes nothing when JAVA_HOME is set.

testum_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1 | cut -d. -f1
}

if [ -z "${JAVA_HOME-}" ]; then
  testum_default_major=0
  if command -v java >/dev/null 2>&1; then
    testum_default_major=$(testum_java_major java)
  fi
  if [ "${testum_default_major:-0}" -lt 21 ]; then
    testum_best_home=
    testum_best_major=0
    testum_noglob=
    case $- in *f*) testum_noglob=1; set +f ;; esac
    for testum_home in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk*; do
      [ -x "$testum_home/bin/javac" ] || continue
      testum_major=$(testum_java_major "$testum_home/bin/java")
      if [ "${testum_major:-0}" -ge 21 ] && [ "${testum_major:-0}" -gt "$testum_best_major" ]; then
        testum_best_home=$testum_home
        testum_best_major=$testum_major
      fi
    done
    [ -z "$testum_noglob" ] || set -f
    if [ -n "$testum_best_home" ]; then
      JAVA_HOME=$testum_best_home
      export JAVA_HOME
      echo "testum: the default java is older than 21; using JDK $testum_best_major at $JAVA_HOME" >&2
    else
      echo "testum: needs a JDK of 21 or newer; set JAVA_HOME to one" >&2
    fi
  fi
fi
