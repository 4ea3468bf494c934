#!/usr/bin/env bash
# The test suite on each of libtorch's CPU kernel paths and with 1 and 2 intra-op threads:
# floating-point tests must hold on any x86-64 CPU, not only on the one that wrote them.
#   scripts/check/cpu-matrix.sh [CAPABILITIES] [THREADS] [-- extra mvn args, e.g. -Dtest=LearnerTest]
#   defaults: "default avx2 avx512" and "1 2"
# ATEN_CPU_CAPABILITY is obeyed even above what the CPU has (libtorch 2.7 then dies of SIGILL in
# its first AVX-512 kernel), so a row the CPU cannot run is reported as skipped, not run. Runs the reactor's `mvn test` per cell (Ray's
# cluster test included; it writes nothing to ~/.m2); prints one line per cell and exits
# non-zero if any cell failed. Logs: build/cpu-matrix/.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
CAPS="${1:-default avx2 avx512}"
THREADS="${2:-1 2}"
shift $(( $# > 2 ? 2 : $# ))
[[ "${1:-}" == "--" ]] && shift
EXTRA=("$@")
has_avx512=no; grep -qw avx512f /proc/cpuinfo && has_avx512=yes
has_avx2=no; grep -qw avx2 /proc/cpuinfo && has_avx2=yes
mvn -B -ntp -q test-compile || { echo "build failed" >&2; exit 1; }
LOGS="$ROOT/build/cpu-matrix"
mkdir -p "$LOGS"
fail=0
printf '%-8s %-8s %-8s %s\n' kernels threads result tests
for cap in $CAPS; do
  if [[ ( $cap == avx512 && $has_avx512 == no ) || ( $cap == avx2 && $has_avx2 == no ) ]]; then
    printf '%-8s %-8s %s\n' "$cap" "-" "skipped: this CPU lacks ${cap^^} (libtorch would die of SIGILL)"
    continue
  fi
  for t in $THREADS; do
    log="$LOGS/$cap-t$t.log"
    ATEN_CPU_CAPABILITY=$cap OMP_NUM_THREADS=$t JDK_JAVA_OPTIONS="-Dai.djl.pytorch.num_threads=$t" \
      mvn -B -ntp -o test "${EXTRA[@]}" > "$log" 2>&1
    rc=$?
    summary=$(grep -E '^\[(INFO|ERROR|WARNING)\] Tests run:' "$log" | grep -v ' in ' | awk -F'Tests run: ' '{split($2,a,","); n+=a[1]} /Failures: [1-9]|Errors: [1-9]/{f=1} END{print n " run" (f ? ", failures (see log)" : "")}')
    [[ $rc -eq 0 ]] && res=pass || { res=FAIL; fail=1; }
    printf '%-8s %-8s %-8s %s  (%s)\n' "$cap" "$t" "$res" "$summary" "${log#$ROOT/}"
  done
done
exit $fail
