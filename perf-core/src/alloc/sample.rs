//! The allocator's hook for heap profiling.
//!
//! The profiling layer installs a [`SampleHooks`] to sample allocations. The allocator's fast
//! path never reads the global flag: each thread keeps a copy in the word the fast path tests
//! anyway, so while no hook is installed sampling costs the allocator nothing.

use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

use super::state::{self, ThreadState};

/// Callbacks the allocator runs on every allocation and deallocation while installed.
///
/// They run inside the global allocator: they must not allocate through the global
/// allocator, lock, or panic.
#[derive(Debug)]
pub struct SampleHooks {
    /// Called after a successful allocation (or the allocating half of a `realloc`).
    pub on_alloc: fn(ptr: *mut u8, size: usize),
    /// Called before a deallocation (or the freeing half of a `realloc`).
    pub on_dealloc: fn(ptr: *mut u8, size: usize),
}

static ENABLED: AtomicBool = AtomicBool::new(false);
static HOOKS: AtomicPtr<SampleHooks> = AtomicPtr::new(core::ptr::null_mut());

/// Installs (`Some`) or removes (`None`) the allocation hooks.
///
/// The hooks are `'static` so a call that raced with removal still sees valid functions.
///
/// Each thread reads the setting into its own copy: on its first allocator call, whenever it
/// publishes its counts (each time its allocation, reallocation or deallocation counter
/// reaches a multiple of 64), and, for the calling thread, right here. So once this returns,
/// - installed hooks run on every allocator call of the calling thread and of every thread
///   that has not called the allocator yet; any other thread starts running them within its
///   next 64 allocations, 64 reallocations or 64 deallocations, whichever ends first;
/// - removed hooks are not started by any thread any more (a call already under way may
///   finish): a thread whose copy is stale finds no hooks, runs none, and refreshes its copy.
pub fn set_sample_hooks(hooks: Option<&'static SampleHooks>) {
    match hooks {
        Some(h) => {
            HOOKS.store(core::ptr::from_ref(h).cast_mut(), Ordering::Release);
            ENABLED.store(true, Ordering::Release);
        }
        None => {
            ENABLED.store(false, Ordering::Release);
            HOOKS.store(core::ptr::null_mut(), Ordering::Release);
        }
    }
    state::with_state(ThreadState::sync_sampling);
}

/// Whether hooks are installed.
pub fn sampling_enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Runs the installed hook for one allocator call; the slow path calls it while this thread's
/// copy of the flag says hooks are installed and it is not already inside a hook.
#[inline]
pub(crate) fn call(s: &ThreadState, ptr: *mut u8, size: usize, alloc: bool) {
    let hooks = HOOKS.load(Ordering::Acquire);
    if hooks.is_null() {
        // Removed since this thread last looked: stop coming here.
        s.sync_sampling();
        return;
    }
    // Hooks allocate nothing by contract, but a hook that does must not recurse into itself.
    if !s.enter_busy() {
        return;
    }
    // SAFETY: `HOOKS` only ever holds null or a pointer derived from a `&'static SampleHooks`.
    let hooks = unsafe { &*hooks };
    if alloc {
        (hooks.on_alloc)(ptr, size);
    } else {
        (hooks.on_dealloc)(ptr, size);
    }
    s.leave_busy();
}
