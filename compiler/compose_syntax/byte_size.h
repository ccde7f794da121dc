// Compose byte sizes: docker's units.RAMInBytes, the format of `mem_limit`,
// `deploy.resources.*.memory`, `tmpfs.size` and `shm_size`.
#pragma once

#include <cstdint>
#include <string_view>

#include "compiler/compose_syntax/parsed.h"

namespace nest::compose_syntax {

// Bytes of "512m", "512M", "512MiB", "1.5GB", "1g", "1024k", "100b",
// "1024", "512 m": a decimal number, one optional space, then nothing, `b`,
// or one of k m g t p (powers of 1024, whatever the case) followed by
// nothing, `b` or `ib`. A fraction is rounded toward zero to whole bytes.
// No sign, no exponent, nothing after the suffix ("512Mi" is refused, as
// docker refuses it).
Parsed<std::int64_t> ParseByteSize(std::string_view text);

}  // namespace nest::compose_syntax
