//! The memory allocator the binary and the benchmarks use: mimalloc.
//!
//! mimalloc makes a conversion about a sixth faster than the system
//! allocator: works are many small strings, made on one thread and dropped
//! on another. The `mimalloc` crate's own wrapper asks for every block by
//! its alignment, a slower path in mimalloc than a plain allocation; every
//! mimalloc block is aligned to 8 bytes at least, so only larger alignments
//! need it. Built without transparent huge pages (`no_thp`): with them,
//! each thread's first page costs 2 MB of memory.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// Sets mimalloc's options; called first thing, before the work starts
/// (a purge scheduled by then waits out the delay it was scheduled with).
///
/// Memory freed is given back to the system after 10 ms, not after
/// mimalloc's own second: a large file's first pass lets go of tens of
/// megabytes as the second starts, and held for a second they added to
/// the peak (on a 1 GB `.bib` rewritten as `.bib`, 116 MB against 104; on
/// 55 MB to a Markdown CV, 106 against 82). On a 3 MB file the time it
/// takes is within the noise.
pub fn configure() {
    // mimalloc's `mi_option_set`, which the sys crate declares only with a
    // feature that needs another crate.
    extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    /// `mi_option_purge_delay` in mimalloc's `mi_option_t`.
    const PURGE_DELAY: std::ffi::c_int = 15;
    // Safety: an option's index and value, which mimalloc reads when it
    // next frees memory; any value is valid.
    unsafe { mi_option_set(PURGE_DELAY, 10) }
}

/// The alignment every mimalloc block has.
const PLAIN_ALIGNMENT: usize = 8;

/// mimalloc, with the plain path for the alignments that need no other.
pub struct Allocator;

// Safety: each method hands its arguments to the mimalloc function made
// for them, which meets `GlobalAlloc`'s contract; blocks from either path
// are freed and resized by the same mimalloc calls.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let block = match layout.align() <= PLAIN_ALIGNMENT {
            true => unsafe { mi::mi_malloc(layout.size()) },
            false => unsafe { mi::mi_malloc_aligned(layout.size(), layout.align()) },
        };
        block.cast()
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let block = match layout.align() <= PLAIN_ALIGNMENT {
            true => unsafe { mi::mi_zalloc(layout.size()) },
            false => unsafe { mi::mi_zalloc_aligned(layout.size(), layout.align()) },
        };
        block.cast()
    }

    #[inline]
    unsafe fn dealloc(&self, block: *mut u8, _layout: Layout) {
        unsafe { mi::mi_free(block.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let block = block.cast::<c_void>();
        let moved = match layout.align() <= PLAIN_ALIGNMENT {
            true => unsafe { mi::mi_realloc(block, new_size) },
            false => unsafe { mi::mi_realloc_aligned(block, new_size, layout.align()) },
        };
        moved.cast()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks of every alignment come back aligned, keep their bytes when
    /// resized, and are freed without complaint.
    #[test]
    fn blocks_are_aligned_and_keep_their_bytes() {
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 7, 8, 24, 100, 5000, 1 << 20] {
                let layout = Layout::from_size_align(size, align).unwrap();
                unsafe {
                    let block = Allocator.alloc(layout);
                    assert!(!block.is_null());
                    assert_eq!(block as usize % align, 0, "size {size}, align {align}");
                    block.write_bytes(0xAB, size);
                    let grown = Allocator.realloc(block, layout, size * 3);
                    assert_eq!(grown as usize % align, 0);
                    assert!(std::slice::from_raw_parts(grown, size)
                        .iter()
                        .all(|&b| b == 0xAB));
                    let grown_layout = Layout::from_size_align(size * 3, align).unwrap();
                    Allocator.dealloc(grown, grown_layout);
                    let zeroed = Allocator.alloc_zeroed(layout);
                    assert_eq!(zeroed as usize % align, 0);
                    assert!(std::slice::from_raw_parts(zeroed, size)
                        .iter()
                        .all(|&b| b == 0));
                    Allocator.dealloc(zeroed, layout);
                }
            }
        }
    }
}
