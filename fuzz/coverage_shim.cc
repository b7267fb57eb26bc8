// Coverage glue between GCC's -fsanitize-coverage=trace-pc and libFuzzer. Why hand-written: the
// project is C++23 (std::expected), which Debian's clang 14 cannot compile against libstdc++ 12,
// so the fuzz target is compiled by GCC and linked with clang's libFuzzer runtime. GCC emits a
// call to __sanitizer_cov_trace_pc() at every basic block (libFuzzer 14 counts clang's inline
// 8-bit counters instead; its own __sanitizer_cov_trace_pc records nothing, so the link lets this
// definition win), and GCC's trace-cmp hooks already match libFuzzer's. This file turns block
// pairs into AFL-style edge counters (Zalewski, "technical details", §1) in a table registered
// with libFuzzer as inline 8-bit counters. It must itself be compiled WITHOUT coverage flags.
#include <cstddef>
#include <cstdint>

extern "C" {
void __sanitizer_cov_8bit_counters_init(std::uint8_t* start, std::uint8_t* stop);
void __sanitizer_cov_pcs_init(const std::uintptr_t* pcs_beg, const std::uintptr_t* pcs_end);
}

namespace {

constexpr std::size_t kEdges = 1 << 16;
std::uint8_t counters[kEdges];
// libFuzzer wants one (pc, flags) pair per counter; the edge number stands in for the pc.
std::uintptr_t pc_table[2 * kEdges];
thread_local std::uintptr_t previous = 0;

struct Registration {
  Registration() {
    for (std::size_t i = 0; i < kEdges; ++i) pc_table[2 * i] = i + 1;
    __sanitizer_cov_8bit_counters_init(counters, counters + kEdges);
    __sanitizer_cov_pcs_init(pc_table, pc_table + 2 * kEdges);
  }
} registration;

}  // namespace

extern "C" void __sanitizer_cov_trace_pc() {
  auto pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
  std::uintptr_t here = (pc ^ (pc >> 16)) * 0x9E3779B1u;
  ++counters[(here ^ previous) % kEdges];
  previous = here >> 1;
}

// GCC's trace-cmp also instruments floating-point comparisons (the config ranges, the ranking
// code); libFuzzer 14 has no hooks for them, so they are recorded as nothing rather than left
// unresolved at link time.
extern "C" void __sanitizer_cov_trace_cmpf(float, float) {}
extern "C" void __sanitizer_cov_trace_cmpd(double, double) {}
