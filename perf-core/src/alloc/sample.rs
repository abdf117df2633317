//! The allocator's hook for heap profiling.
//!
//! While no hook is installed, each allocator call pays one relaxed load and one predictable
//! branch here. The profiling layer installs a [`SampleHooks`] to sample allocations.

use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

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
}

/// Whether hooks are installed.
pub fn sampling_enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

#[inline(always)]
pub(crate) fn on_alloc(ptr: *mut u8, size: usize) {
    if ENABLED.load(Ordering::Relaxed) {
        call(ptr, size, true);
    }
}

#[inline(always)]
pub(crate) fn on_dealloc(ptr: *mut u8, size: usize) {
    if ENABLED.load(Ordering::Relaxed) {
        call(ptr, size, false);
    }
}

#[cold]
#[inline(never)]
fn call(ptr: *mut u8, size: usize, alloc: bool) {
    let hooks = HOOKS.load(Ordering::Acquire);
    if hooks.is_null() {
        return;
    }
    // Hooks allocate nothing by contract, but a hook that does must not recurse into itself.
    let entered = super::state::with_state(super::state::ThreadState::enter_busy);
    if entered != Some(true) {
        return;
    }
    // SAFETY: `HOOKS` only ever holds null or a pointer derived from a `&'static SampleHooks`.
    let hooks = unsafe { &*hooks };
    if alloc {
        (hooks.on_alloc)(ptr, size);
    } else {
        (hooks.on_dealloc)(ptr, size);
    }
    super::state::with_state(super::state::ThreadState::leave_busy);
}
