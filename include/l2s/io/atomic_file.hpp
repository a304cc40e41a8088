// SPDX-License-Identifier: MIT
// l2s/io/atomic_file.hpp: crash-safe replacement of a file (temporary file in the same folder, fsync, rename,
// fsync of the folder), with the system calls injectable so tests can fail each step.
// @see docs/reliability.md#atomic-saves
#pragma once
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstring>        // std::strerror
#include <filesystem>
#include <string>
#include <string_view>

#include <fcntl.h>        // O_* flags
#include <unistd.h>       // ::getpid

#include <l2s/core/error.hpp>
#include <l2s/core/file_ops.hpp>

namespace l2s::io {

/// The injectable system calls (core/file_ops.hpp), under their io name.
using l2s::file_ops;
using l2s::write_value_direct;

/// Replaces `file` by `content` so that a reader (or the file system after a crash) sees either the previous
/// file or the whole new one, never a part:
/// 1. create a temporary file next to `file` (same folder, so the rename cannot cross file systems),
/// 2. write all of `content` (retrying short writes), 3. fsync and close it, 4. rename it over `file`,
/// 5. fsync the folder so the rename itself is durable.
/// A failure in steps 1–4 removes the temporary file, leaves `file` as it was, and throws io_error
/// ("<who>: cannot write <file>: <step> failed: <reason>"). A failure in step 5 throws io_error too; `file`
/// then already holds the whole new content, but its durability is not guaranteed.
/// @see docs/reliability.md#atomic-saves
inline void write_file_atomic(const std::filesystem::path& file, std::string_view content, const std::string& who,
                              const file_ops& ops = {}) {
    namespace fs = std::filesystem;
    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    const auto fail = [&](const char* step, int err) -> io_error {
        return io_error(who + ": cannot write " + file.string() + ": " + step + " failed: " + std::strerror(err));
    };
    // 1. a fresh temporary name: ".<name>.tmp-<pid>-<clock>", created exclusively (retry on a clash).
    const auto stamp = static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
    fs::path tmp;
    int fd = -1;
    for (unsigned attempt = 0; attempt < 16 && fd < 0; ++attempt) {
        tmp = dir / ("." + file.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                     std::to_string(stamp + attempt));
        errno = 0;
        fd = ops.open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) throw fail("open", errno);
    }
    if (fd < 0) throw fail("open", EEXIST);
    const auto abandon = [&](const char* step, int err, bool close_fd) -> io_error {
        if (close_fd) (void)ops.close(fd);
        (void)ops.unlink(tmp.c_str());
        return fail(step, err);
    };
    // 2. write everything; a short write is retried, an error or a zero-byte write is a failure.
    std::size_t done = 0;
    while (done < content.size()) {
        errno = 0;
        const long n = ops.write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw abandon("write", n == 0 || errno == 0 ? EIO : errno, true);
        done += static_cast<std::size_t>(n);
    }
    // 3. to the disk, then closed (close can report a deferred write error).
    if (ops.fsync(fd) != 0) throw abandon("fsync", errno, true);
    if (ops.close(fd) != 0) throw abandon("close", errno, false);
    // 4. atomically over the destination.
    if (ops.rename(tmp.c_str(), file.c_str()) != 0) throw abandon("rename", errno, false);
    // 5. the folder entry itself.
    const int dfd = ops.open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (dfd < 0) throw fail("open of the folder", errno);
    if (ops.fsync(dfd) != 0) {
        const int err = errno;
        (void)ops.close(dfd);
        throw fail("fsync of the folder", err);
    }
    (void)ops.close(dfd);
}

}  // namespace l2s::io
