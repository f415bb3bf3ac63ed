// Runs a fuzz harness over files, without libFuzzer: each argument is a file or a folder of
// files (the seed corpus and every input a fuzzing run kept). Built with any compiler, so that
// CI replays the corpus as an ordinary test, under the sanitizers in the asan preset.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

int run_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.string().c_str());
    return 1;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t files = 0;
  int failures = 0;
  for (int a = 1; a < argc; ++a) {
    const std::filesystem::path arg(argv[a]);
    std::vector<std::filesystem::path> paths;
    if (std::filesystem::is_directory(arg)) {
      for (const auto& e : std::filesystem::directory_iterator(arg)) {
        if (e.is_regular_file()) paths.push_back(e.path());
      }
      std::sort(paths.begin(), paths.end());
    } else {
      paths.push_back(arg);
    }
    for (const auto& p : paths) {
      failures += run_file(p);
      ++files;
    }
  }
  std::printf("replayed %zu inputs\n", files);
  if (files == 0) {
    std::fprintf(stderr, "no inputs: give corpus files or folders\n");
    return 1;
  }
  return failures == 0 ? 0 : 1;
}
