/// Keeps glibc's allocator from handing memory back to the kernel after every large free.
///
/// By default blocks above 128 KiB (JSON buffers, row arrays of a chunk) are mmap'ed and
/// unmapped on free, and the heap top is trimmed past 128 KiB, so every chunk faults the same
/// pages in again: under `perf` that was about a quarter of the payments stage. With these
/// limits a chunk's memory is reused by the next chunk; peak RSS is unchanged, because the
/// working set is bounded by the chunk size either way.
enum MemoryTuning {
    static func apply() {
        #if os(Linux)
        // Parameter numbers from glibc's <malloc.h>, which Swift's Glibc module does not export.
        let trimThreshold: Int32 = -1, topPad: Int32 = -2, mmapThreshold: Int32 = -3
        _ = glibcMallopt(mmapThreshold, 64 << 20)
        _ = glibcMallopt(trimThreshold, 256 << 20)
        _ = glibcMallopt(topPad, 16 << 20)
        #endif
    }
}

#if os(Linux)
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
