// guard_job: runs one pass of a background job (a harvest, a digest pass, a mail, an index
// update) so that an exception, which only a bug throws (STYLE.md: errors), comes back as a
// Status the job logs and records like any failed pass, instead of reaching the thread boundary
// and ending the process (std::terminate). Header-only; thread-safe (no state).
#pragma once

#include <exception>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/status.h"

namespace paperboy::core {

// `pass` returns Status or Result<T>; the same type comes back, with kInternal naming `job` when
// the pass threw.
template <typename Pass>
auto guard_job(std::string_view job, Pass&& pass) noexcept -> std::invoke_result_t<Pass> {
  auto failed = [&](std::string_view what) {
    return Status::internal(std::string(job) + ": unexpected exception: " + std::string(what));
  };
  using Out = std::invoke_result_t<Pass>;
  try {
    return pass();
  } catch (const std::exception& e) {
    if constexpr (std::is_same_v<Out, Status>)
      return failed(e.what());
    else
      return Out(fail(failed(e.what())));
  } catch (...) {
    if constexpr (std::is_same_v<Out, Status>)
      return failed("not a std::exception");
    else
      return Out(fail(failed("not a std::exception")));
  }
}

}  // namespace paperboy::core
