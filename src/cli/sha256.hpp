#pragma once
// SHA-256 digests for disclosure certificates, from OpenSSL's libcrypto (a vetted implementation;
// a certificate is only as good as its hash).

#include <string>
#include <string_view>

namespace sdcore::cli {

// Lower-case hex digest of `bytes`.
std::string sha256_hex(std::string_view bytes);

// Lower-case hex digest of the file's contents. IoError when it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace sdcore::cli
