//! Live heap bytes, for measuring where a build's memory goes: with the `heap-count`
//! feature (benchmarks only), the binary's allocator is wrapped in [`Counting`], and
//! the debug log's memory figures ([`super::memory`]) add the bytes allocated and not
//! yet freed, now and at most. Without it nothing is counted and nothing costs.
//!
//! Resident memory (RSS) includes what the allocator keeps after frees and the
//! binary itself; live bytes are what the program holds, so the two together tell a
//! structure that grows with the archive from an allocator that does not give back.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// An allocator that counts the bytes `A` gives out and takes back.
pub struct Counting<A>(pub A);

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ON: AtomicBool = AtomicBool::new(false);

fn grew(n: usize) {
    let now = LIVE.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
    ON.store(true, Ordering::Relaxed);
}

// SAFETY: every call goes to `A` unchanged; only counters are updated besides.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on as is.
        let p = unsafe { self.0.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        let p = unsafe { self.0.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as `alloc`.
        unsafe { self.0.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as `alloc`.
        let p = unsafe { self.0.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

/// Live heap bytes now and at most so far; `None` when the allocator does not count.
pub(crate) fn figures() -> Option<(usize, usize)> {
    ON.load(Ordering::Relaxed)
        .then(|| (LIVE.load(Ordering::Relaxed), PEAK.load(Ordering::Relaxed)))
}
