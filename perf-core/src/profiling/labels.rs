//! Profile labels (Go's `pprof.Do`): a set of key/value pairs attached to the heap samples
//! taken while a closure runs on this thread.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// An interned label set; id 0 is the empty set.
pub(crate) type LabelSetId = u32;

type LabelSet = Vec<(String, String)>;

#[derive(Default)]
struct Registry {
    sets: Vec<LabelSet>,
    ids: HashMap<LabelSet, LabelSetId>,
}

fn registry() -> &'static Mutex<Registry> {
    static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        Mutex::new(Registry {
            sets: vec![Vec::new()],
            ids: HashMap::new(),
        })
    })
}

thread_local! {
    // Read by the allocator hook: const-initialised, no destructor.
    static CURRENT: Cell<LabelSetId> = const { Cell::new(0) };
}

/// The label set in effect on this thread; safe to call inside the allocator.
#[inline]
pub(crate) fn current() -> LabelSetId {
    CURRENT.try_with(Cell::get).unwrap_or(0)
}

/// The pairs of an interned label set, sorted by key.
pub(crate) fn pairs(id: LabelSetId) -> LabelSet {
    let reg = registry().lock().unwrap_or_else(|e| e.into_inner());
    reg.sets.get(id as usize).cloned().unwrap_or_default()
}

fn intern(set: LabelSet) -> LabelSetId {
    let mut reg = registry().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&id) = reg.ids.get(&set) {
        return id;
    }
    let id = LabelSetId::try_from(reg.sets.len()).unwrap_or(0);
    reg.sets.push(set.clone());
    reg.ids.insert(set, id);
    id
}

/// Runs `f` with `labels` added to this thread's profile labels, as Go's `pprof.Do`.
///
/// Labels nest: inside, the set is the enclosing one plus `labels` (a key given again takes
/// the new value); the enclosing set is restored when `f` returns or unwinds.
///
/// What carries them:
/// - heap and allocation profiles (`/debug/pprof/heap`, `/debug/pprof/allocs`): every sample
///   taken on this thread while `f` runs has the labels (`go tool pprof -tags`, `-tagfocus`);
/// - CPU profiles: no. pprof-rs's signal handler records only the stack and the thread, so
///   CPU samples carry the `thread` label alone. Put the labelled work on a named thread to
///   tell it apart there.
///
/// Labels apply to the calling thread only: work handed to another thread (a tokio task that
/// migrates, a rayon job) does not inherit them.
///
/// # Examples
///
/// ```
/// use perf_core::profiling::with_labels;
/// let n = with_labels(&[("worker", "1")], || with_labels(&[("stage", "parse")], || 40 + 2));
/// assert_eq!(n, 42);
/// ```
pub fn with_labels<R>(labels: &[(&str, &str)], f: impl FnOnce() -> R) -> R {
    let outer = current();
    let mut set = pairs(outer);
    for (k, v) in labels {
        match set.iter_mut().find(|(key, _)| key == k) {
            Some(pair) => pair.1 = (*v).to_owned(),
            None => set.push(((*k).to_owned(), (*v).to_owned())),
        }
    }
    set.sort();
    let id = intern(set);
    struct Restore(LabelSetId);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = CURRENT.try_with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(outer);
    let _ = CURRENT.try_with(|c| c.set(id));
    f()
}
