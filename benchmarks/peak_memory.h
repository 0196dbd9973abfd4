// Peak memory of one call, measured the same way on the C++ and the Python side (peer.py): fix
// glibc's mmap threshold at 64 KiB (its adaptive threshold would keep freed tensors in the heap,
// hiding them from the resident set) and trim the heap, reset the kernel's resident-set
// high-water mark (/proc/self/clear_refs, "5"), call once, and report VmHWM minus the resident set
// before the call: what the call needed at its worst moment, inputs excluded.
#pragma once

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

namespace infozoo::bench {

// A field of /proc/self/status in bytes ("VmRSS", "VmHWM"); -1 where unavailable.
inline int64_t proc_status_bytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string key;
  int64_t kib = 0;
  std::string unit;
  while (status >> key) {
    if (key == field + ":") {
      status >> kib >> unit;
      return kib * 1024;
    }
    std::getline(status, unit);
  }
  return -1;
}

// Peak bytes `call` added to the resident set; -1 where the kernel cannot reset the mark.
template <typename Call>
int64_t peak_extra_bytes(Call&& call) {
  mallopt(M_MMAP_THRESHOLD, 64 << 10);
  malloc_trim(0);
  {
    std::ofstream reset("/proc/self/clear_refs");
    reset << "5";
    if (!reset) return -1;
  }
  const int64_t before = proc_status_bytes("VmRSS");
  call();
  const int64_t peak = proc_status_bytes("VmHWM");
  return before < 0 || peak < 0 ? -1 : peak - before;
}

// Adds counter peak_MiB for one more call, only when INFOZOO_MEASURE_PEAK is set: fixing the mmap
// threshold changes how every later allocation of the process is served, so benchmarks/compare.py
// asks for the peak in a run of its own, never in the run it times.
template <typename Call>
void report_peak_memory(benchmark::State& state, Call&& call) {
  if (std::getenv("INFOZOO_MEASURE_PEAK") == nullptr) return;
  state.counters["peak_MiB"] = static_cast<double>(peak_extra_bytes(call)) / (1 << 20);
}

}  // namespace infozoo::bench
