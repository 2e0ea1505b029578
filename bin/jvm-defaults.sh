# Sourced by bin/outlast and benchmarks/wrk-vs-nginx.sh: the collector and heap Outlast's JVM gets on
# this machine when the user has chosen neither (README, "Operations").
#
# outlast_jvm_defaults [ROOT] prints them:
# - on at most 2 CPUs, the serial collector and a fixed heap of 256 MiB, or of a quarter of the memory
#   when that is less. The CPUs are counted as the JVM counts them: nproc (the CPUs this process may
#   run on), lowered by a cgroup CPU quota; the memory is MemTotal, lowered by a cgroup memory limit.
# - above 2 CPUs, nothing: the JVM's own choice (G1, a quarter of the memory at most).
# - nothing either when OUTLAST_JAVA_OPTS, JAVA_TOOL_OPTIONS or JDK_JAVA_OPTIONS choose a collector
#   or a heap size: the user's choice wins whole (and the JVM refuses two collectors).
# ROOT (default: none, i.e. /) is prefixed to the /proc and /sys paths read; tests give a fake one.

outlast_jvm_defaults() {
  local root=${1:-} words opt cpus mem_kib group dir base heap_mib
  read -ra words <<< "${OUTLAST_JAVA_OPTS:-} ${JAVA_TOOL_OPTIONS:-} ${JDK_JAVA_OPTIONS:-}"
  for opt in ${words[@]+"${words[@]}"}; do
    case "$opt" in
      -XX:+Use*GC|-Xmx*|-Xms*|-XX:MaxHeapSize=*|-XX:InitialHeapSize=*|-XX:*RAMPercentage=*|-XX:MaxRAM=*) return 0 ;;
    esac
  done

  cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
  mem_kib=$(awk '/^MemTotal:/ { print $2 }' "$root/proc/meminfo" 2>/dev/null || true)
  base="$root/sys/fs/cgroup"
  # cgroup v2: this process's group and every group above it
  group=$(sed -n 's|^0::||p' "$root/proc/self/cgroup" 2>/dev/null || true)
  dir="$base${group%/}"
  while :; do
    outlast_cgroup_limits "$(cat "$dir/cpu.max" 2>/dev/null)" "$(cat "$dir/memory.max" 2>/dev/null)"
    if [ "$dir" = "$base" ] || [ "${dir#"$base"}" = "$dir" ]; then break; fi
    dir=${dir%/*}
  done
  # cgroup v1
  outlast_cgroup_limits "$(cat "$base/cpu/cpu.cfs_quota_us" 2>/dev/null) $(cat "$base/cpu/cpu.cfs_period_us" 2>/dev/null)" \
    "$(cat "$base/memory/memory.limit_in_bytes" 2>/dev/null)"

  if [ "$cpus" -gt 2 ]; then return 0; fi
  heap_mib=256
  if [ -n "$mem_kib" ] && [ $(( mem_kib / 4096 )) -lt "$heap_mib" ]; then heap_mib=$(( mem_kib / 4096 )); fi
  echo "-XX:+UseSerialGC -Xms${heap_mib}m -Xmx${heap_mib}m"
}

# outlast_cgroup_limits "QUOTA PERIOD" BYTES: lowers the caller's cpus to a CPU quota (rounded up) and its
# mem_kib to a memory limit. Anything else ("max 100000", "-1 100000", "max", empty) is no limit.
outlast_cgroup_limits() {
  local n
  if [[ "$1" =~ ^([0-9]+)\ ([0-9]+)$ ]] && [ "${BASH_REMATCH[2]}" -gt 0 ]; then
    n=$(( (BASH_REMATCH[1] + BASH_REMATCH[2] - 1) / BASH_REMATCH[2] ))
    if [ "$n" -lt "$cpus" ]; then cpus=$n; fi
  fi
  if [[ "$2" =~ ^[0-9]+$ ]] && { [ -z "$mem_kib" ] || [ $(( $2 / 1024 )) -lt "$mem_kib" ]; }; then
    mem_kib=$(( $2 / 1024 ))
  fi
}
