//! Heap bytes held, counted per thread by a global allocator: how much a
//! structure keeps, measured rather than estimated. Per thread, so that
//! tests running beside each other do not count each other's allocations.
//! Include with `#[path]` and install with `#[global_allocator]`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub struct Counting;

thread_local! {
    static HELD: Cell<isize> = const { Cell::new(0) };
}

fn add(bytes: isize) {
    // During a thread's teardown the counter may be gone; nothing is
    // measured then.
    let _ = HELD.try_with(|held| held.set(held.get() + bytes));
}

/// Bytes this thread has allocated and not freed.
pub fn held() -> isize {
    HELD.with(Cell::get)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            add(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        add(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            add(new_size as isize - layout.size() as isize);
        }
        q
    }
}
