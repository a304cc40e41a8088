// SPDX-License-Identifier: MIT
// l2s/core/file_ops.hpp: the system calls the library writes files with, as injectable function pointers
// (tests fail each one), and a direct single-value write for kernel attributes (sysfs) that reports short writes.
// @see docs/reliability.md#atomic-saves
#pragma once
#include <cerrno>
#include <cstddef>
#include <cstdio>         // std::rename
#include <cstring>        // std::strerror
#include <filesystem>
#include <string>
#include <string_view>

#include <fcntl.h>        // ::open, O_* flags
#include <sys/types.h>
#include <unistd.h>       // ::write, ::fsync, ::close, ::unlink

#include <l2s/core/error.hpp>

namespace l2s {

namespace detail {
inline int sys_open(const char* path, int flags, unsigned mode) { return ::open(path, flags, static_cast<mode_t>(mode)); }
inline long sys_write(int fd, const void* data, std::size_t n) { return static_cast<long>(::write(fd, data, n)); }
inline int sys_fsync(int fd) { return ::fsync(fd); }
inline int sys_close(int fd) { return ::close(fd); }
inline int sys_rename(const char* from, const char* to) { return std::rename(from, to); }
inline int sys_unlink(const char* path) { return ::unlink(path); }
}  // namespace detail

/// The system calls an atomic save makes, as function pointers with POSIX semantics (return -1 and set errno
/// on failure; write may write fewer bytes than asked). The defaults are the real calls; a test replaces one
/// to fail a given step.
struct file_ops {
    int (*open)(const char* path, int flags, unsigned mode) = &detail::sys_open;
    long (*write)(int fd, const void* data, std::size_t n) = &detail::sys_write;
    int (*fsync)(int fd) = &detail::sys_fsync;
    int (*close)(int fd) = &detail::sys_close;
    int (*rename)(const char* from, const char* to) = &detail::sys_rename;
    int (*unlink)(const char* path) = &detail::sys_unlink;
};

/// Writes `content` to an existing file in place with one write(2) call and no temporary file: for single-value
/// kernel attributes (sysfs), which take each write as one value and cannot be renamed over. A write that
/// takes fewer bytes than `content` (a short write) is reported, not retried: io_error ("<who>: short write to
/// <file> (k of n bytes)"); so are failures to open, write and close.
inline void write_value_direct(const std::filesystem::path& file, std::string_view content, const std::string& who,
                               const file_ops& ops = {}) {
    errno = 0;
    const int fd = ops.open(file.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC, 0);
    if (fd < 0) throw io_error(who + ": cannot open " + file.string() + " for writing: " + std::strerror(errno));
    errno = 0;
    long n = -1;
    do {
        n = ops.write(fd, content.data(), content.size());
    } while (n < 0 && errno == EINTR);
    const int err = errno;
    if (n < 0) {
        (void)ops.close(fd);
        throw io_error(who + ": cannot write " + file.string() + ": " + std::strerror(err));
    }
    if (static_cast<std::size_t>(n) != content.size()) {
        (void)ops.close(fd);
        throw io_error(who + ": short write to " + file.string() + " (" + std::to_string(n) + " of " +
                       std::to_string(content.size()) + " bytes)");
    }
    if (ops.close(fd) != 0) throw io_error(who + ": cannot write " + file.string() + ": " + std::strerror(errno));
}

}  // namespace l2s
