// SPDX-License-Identifier: MIT
// l2s/host/detail/sysfs.hpp: not API. Reading and writing small procfs/sysfs files for the host readers:
// POSIX open/read into a reused buffer (no allocation once the buffer has grown), integer parsing with
// std::from_chars, CPU lists, and the lookup of hwmon devices by name and thermal zones by type.
#pragma once
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <new>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include <fcntl.h>     // open
#include <sys/stat.h>  // fstat
#include <unistd.h>    // read, pread, write, pwrite, ftruncate, close

#include <l2s/core/error.hpp>

namespace l2s::host::detail {

/// Reads fd from offset 0 to its end into buf (its capacity reused; pread, so a procfs/sysfs file kept
/// open is regenerated). Returns 0, or the errno of a failed read (buf then holds what was read before it).
[[nodiscard]] inline int pread_all(int fd, std::string& buf) noexcept {
    buf.clear();
    try {
        if (buf.capacity() < 4096) buf.reserve(4096);
        for (;;) {
            if (buf.size() == buf.capacity()) buf.reserve(2 * buf.capacity());
            const std::size_t old = buf.size();
            buf.resize(buf.capacity());
            const ssize_t n = ::pread(fd, buf.data() + old, buf.size() - old, static_cast<off_t>(old));
            if (n < 0) {
                const int e = errno;
                buf.resize(old);
                return e;
            }
            buf.resize(old + static_cast<std::size_t>(n));
            if (n == 0) return 0;
        }
    } catch (const std::bad_alloc&) {
        return ENOMEM;
    }
}

/// Reads the whole file into buf (its capacity is reused). Throws io_error "<who>: cannot read <path>: <reason>"
/// for a missing file, a folder in place of the file, or a permission error.
inline void read_into(const std::filesystem::path& p, std::string& buf, std::string_view who) {
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    const int e = fd < 0 ? errno : pread_all(fd, buf);
    if (fd >= 0) ::close(fd);
    if (e != 0) throw io_error(std::string(who) + ": cannot read " + p.string() + ": " + std::strerror(e));
}

[[nodiscard]] inline std::string read_text(const std::filesystem::path& p, std::string_view who) {
    std::string s;
    read_into(p, s, who);
    return s;
}

[[nodiscard]] inline std::string_view trim(std::string_view s) noexcept {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

/// The integer (of type T) that is the whole (trimmed) text, or io_error naming the file.
template <class T>
[[nodiscard]] T parse_integer(std::string_view text, const std::filesystem::path& p, std::string_view who) {
    const std::string_view t = trim(text);
    T v = 0;
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || r.ec != std::errc() || r.ptr != t.data() + t.size())
        throw io_error(std::string(who) + ": not " + (std::is_signed_v<T> ? "an integer" : "an unsigned integer") +
                       " in " + p.string() + ": '" + std::string(t) + "'");
    return v;
}
[[nodiscard]] inline std::uint64_t parse_uint(std::string_view text, const std::filesystem::path& p, std::string_view who) {
    return parse_integer<std::uint64_t>(text, p, who);
}
[[nodiscard]] inline std::int64_t parse_int(std::string_view text, const std::filesystem::path& p, std::string_view who) {
    return parse_integer<std::int64_t>(text, p, who);
}

/// Reads one unsigned integer file, reusing buf.
[[nodiscard]] inline std::uint64_t read_uint(const std::filesystem::path& p, std::string& buf, std::string_view who) {
    read_into(p, buf, who);
    return parse_uint(buf, p, who);
}
[[nodiscard]] inline std::int64_t read_int(const std::filesystem::path& p, std::string& buf, std::string_view who) {
    read_into(p, buf, who);
    return parse_int(buf, p, who);
}
[[nodiscard]] inline std::uint64_t read_uint(const std::filesystem::path& p, std::string_view who) {
    std::string buf;
    return read_uint(p, buf, who);
}

/// Writes v to p (no truncation semantics needed for sysfs). Throws io_error naming the path and the reason.
inline void write_text(const std::filesystem::path& p, std::string_view v, std::string_view who) {
    const int fd = ::open(p.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        throw io_error(std::string(who) + ": cannot write " + p.string() + ": " + std::strerror(e));
    }
    const ssize_t n = ::write(fd, v.data(), v.size());
    const int e = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(v.size()))
        throw io_error(std::string(who) + ": cannot write " + p.string() + ": " + (n < 0 ? std::strerror(e) : "short write"));
}

/// A procfs/sysfs file kept open across intervals: read() re-reads it from offset 0 with pread (procfs and
/// sysfs regenerate the contents on every read from the start), write() stores a value with pwrite at offset
/// 0 (sysfs takes each write as one store; on a regular file, e.g. a fake tree, the file is also truncated to
/// the value). Opening happens on first use; an error closes the file (the next call reopens it) and throws
/// io_error naming the path. Saves the open and close of every access: the per-interval cost of the daemon.
class sysfs_file {
public:
    sysfs_file() = default;
    explicit sysfs_file(std::filesystem::path p) : path_(std::move(p)) {}
    sysfs_file(const sysfs_file&) = delete;
    sysfs_file& operator=(const sysfs_file&) = delete;
    sysfs_file(sysfs_file&& o) noexcept : path_(std::move(o.path_)), fd_(o.fd_), regular_(o.regular_) { o.fd_ = -1; }
    sysfs_file& operator=(sysfs_file&& o) noexcept {
        if (this != &o) {
            close();
            path_ = std::move(o.path_);
            fd_ = o.fd_;
            regular_ = o.regular_;
            o.fd_ = -1;
        }
        return *this;
    }
    ~sysfs_file() { close(); }

    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

    /// The whole file into buf (its capacity reused).
    void read(std::string& buf, std::string_view who) {
        open(O_RDONLY, who, "read");
        if (const int e = pread_all(fd_, buf); e != 0) fail(who, "read", e);
    }
    [[nodiscard]] std::uint64_t read_uint(std::string& buf, std::string_view who) {
        read(buf, who);
        return parse_uint(buf, path_, who);
    }
    [[nodiscard]] std::int64_t read_int(std::string& buf, std::string_view who) {
        read(buf, who);
        return parse_int(buf, path_, who);
    }
    void write(std::string_view v, std::string_view who) {
        open(O_WRONLY, who, "write");
        const ssize_t n = ::pwrite(fd_, v.data(), v.size(), 0);
        if (n != static_cast<ssize_t>(v.size())) fail(who, "write", n < 0 ? errno : EIO);
        if (regular_ && ::ftruncate(fd_, static_cast<off_t>(v.size())) != 0) fail(who, "write", errno);
    }

private:
    void open(int mode, std::string_view who, const char* what) {
        if (fd_ >= 0) return;
        fd_ = ::open(path_.c_str(), mode | O_CLOEXEC);
        if (fd_ < 0) fail(who, what, errno);
        struct stat st {};
        regular_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
    }
    [[noreturn]] void fail(std::string_view who, const char* what, int e) {
        close();
        throw io_error(std::string(who) + ": cannot " + what + " " + path_.string() + ": " + std::strerror(e));
    }
    void close() noexcept {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    std::filesystem::path path_;
    int fd_ = -1;
    bool regular_ = false;
};

/// "0-3,6" or "0 1 2 3" → {0, 1, 2, 3, 6}. Throws io_error naming the file.
[[nodiscard]] inline std::vector<unsigned> parse_cpu_list(std::string_view s, const std::filesystem::path& p,
                                                          std::string_view who) {
    std::vector<unsigned> cpus;
    std::size_t i = 0;
    auto bad = [&](std::string_view tok) {
        return io_error(std::string(who) + ": bad CPU list '" + std::string(tok) + "' in " + p.string());
    };
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '\n' || s[i] == '\t')) ++i;
        if (i >= s.size()) break;
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ' && s[j] != ',' && s[j] != '\n' && s[j] != '\t') ++j;
        const std::string_view tok = s.substr(i, j - i);
        const auto dash = tok.find('-');
        unsigned a = 0, b = 0;
        const std::string_view ta = tok.substr(0, dash);
        if (std::from_chars(ta.data(), ta.data() + ta.size(), a).ptr != ta.data() + ta.size() || ta.empty()) throw bad(tok);
        b = a;
        if (dash != std::string_view::npos) {
            const std::string_view tb = tok.substr(dash + 1);
            if (tb.empty() || std::from_chars(tb.data(), tb.data() + tb.size(), b).ptr != tb.data() + tb.size()) throw bad(tok);
        }
        if (b < a || b > 4095) throw bad(tok);
        for (unsigned c = a; c <= b; ++c) cpus.push_back(c);
        i = j;
    }
    if (cpus.empty()) throw io_error(std::string(who) + ": empty CPU list in " + p.string());
    std::sort(cpus.begin(), cpus.end());
    cpus.erase(std::unique(cpus.begin(), cpus.end()), cpus.end());
    return cpus;
}

/// The folder under `cls` (e.g. <root>/sys/class/hwmon) whose file `key` (e.g. "name") holds `value`;
/// empty when there is none. Unreadable entries are skipped.
[[nodiscard]] inline std::filesystem::path find_by_file(const std::filesystem::path& cls, const char* prefix,
                                                        const char* key, std::string_view value) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(cls, ec)) return {};
    std::vector<fs::path> dirs;
    for (const auto& e : fs::directory_iterator(cls, ec))
        if (e.path().filename().string().rfind(prefix, 0) == 0) dirs.push_back(e.path());
    std::sort(dirs.begin(), dirs.end());
    std::string buf;
    for (const auto& d : dirs) {
        try {
            read_into(d / key, buf, "");
        } catch (const io_error&) {
            continue;
        }
        if (trim(buf) == value) return d;
    }
    return {};
}

/// root / rel, where rel is an absolute system path ("/sys/...") re-rooted under root.
[[nodiscard]] inline std::filesystem::path under(const std::filesystem::path& root, std::string_view rel) {
    while (!rel.empty() && rel.front() == '/') rel.remove_prefix(1);
    return root / std::filesystem::path(rel);
}

}  // namespace l2s::host::detail
