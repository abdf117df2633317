//! Thread dumps, the analog of Go's goroutine profile: every thread of the process with its
//! name and stack.
//!
//! Each thread listed in `/proc/self/task` is sent a real-time signal (`SIGRTMIN + 5`) with
//! `tgkill`; the handler, running on that thread, writes the interrupted pc and its raw
//! return addresses into a pre-allocated slot (no allocation, no lock: it may have
//! interrupted the allocator), and the requesting thread symbolizes them afterwards. A thread
//! that blocks the signal, or does not run within a second, is listed without a stack.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicI32, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

use core::cell::UnsafeCell;

use super::proto::Profile;
use super::symbols::{Builder, LabelValue, outer_name, resolve};

const MAX_THREADS: usize = 1024;
const FRAMES: usize = 128;

const IDLE: u8 = 0;
const REQUESTED: u8 = 1;
const CAPTURING: u8 = 2;
const DONE: u8 = 3;
const ABANDONED: u8 = 4;

struct DumpSlot {
    tid: AtomicI32,
    state: AtomicU8,
    pc: AtomicUsize,
    len: AtomicUsize,
    frames: UnsafeCell<[usize; FRAMES]>,
}

// SAFETY: `frames` is written only by the signal handler that moved `state` from REQUESTED to
// CAPTURING (one thread, once per request) and read only by the requester after it saw DONE
// with acquire ordering; the requester never re-arms a slot that is still CAPTURING.
unsafe impl Sync for DumpSlot {}

static SLOTS: [DumpSlot; MAX_THREADS] = [const {
    DumpSlot {
        tid: AtomicI32::new(0),
        state: AtomicU8::new(IDLE),
        pc: AtomicUsize::new(0),
        len: AtomicUsize::new(0),
        frames: UnsafeCell::new([0; FRAMES]),
    }
}; MAX_THREADS];
static ARMED: AtomicUsize = AtomicUsize::new(0);
/// Executable ranges of the unwinder (libgcc_s): a thread interrupted inside it is not
/// unwound again from the handler, whose unwinding could corrupt the unwinder's caches.
static UNWINDER: [(AtomicUsize, AtomicUsize); 4] =
    [const { (AtomicUsize::new(0), AtomicUsize::new(0)) }; 4];
static DUMP: Mutex<()> = Mutex::new(());
static INSTALL: Once = Once::new();

fn signal() -> libc::c_int {
    libc::SIGRTMIN() + 5
}

extern "C" fn handler(_sig: libc::c_int, _info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    // SAFETY: errno is thread-local; we restore what the interrupted code saw.
    let errno = unsafe { *libc::__errno_location() };
    // SAFETY: gettid has no preconditions.
    let tid = unsafe { libc::syscall(libc::SYS_gettid) } as i32;
    let armed = ARMED.load(Ordering::Acquire).min(MAX_THREADS);
    for slot in &SLOTS[..armed] {
        if slot.tid.load(Ordering::Acquire) != tid {
            continue;
        }
        if slot
            .state
            .compare_exchange(REQUESTED, CAPTURING, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            break;
        }
        let pc = interrupted_pc(ctx);
        slot.pc.store(pc, Ordering::Relaxed);
        // SAFETY: winning REQUESTED -> CAPTURING gives this handler sole access to `frames`.
        let frames = unsafe { &mut *slot.frames.get() };
        let in_unwinder = UNWINDER.iter().any(|(start, end)| {
            (start.load(Ordering::Relaxed)..end.load(Ordering::Relaxed)).contains(&pc)
        });
        let mut len = 0;
        if in_unwinder {
            frames[0] = pc;
            len = 1;
        } else {
            // SAFETY: unwinding the current thread from a signal handler; the callback only
            // writes into the fixed array. Only this thread unwinds with this slot.
            unsafe {
                backtrace::trace_unsynchronized(|f| {
                    frames[len] = f.ip() as usize;
                    len += 1;
                    len < FRAMES
                });
            }
        }
        slot.len.store(len, Ordering::Relaxed);
        slot.state.store(DONE, Ordering::Release);
        break;
    }
    // SAFETY: as above.
    unsafe { *libc::__errno_location() = errno };
}

#[allow(unused_variables)]
fn interrupted_pc(ctx: *mut libc::c_void) -> usize {
    if ctx.is_null() {
        return 0;
    }
    #[cfg(all(target_arch = "x86_64", target_os = "linux"))]
    {
        // SAFETY: for an SA_SIGINFO handler the third argument points to the ucontext_t.
        unsafe {
            (*ctx.cast::<libc::ucontext_t>()).uc_mcontext.gregs[libc::REG_RIP as usize] as usize
        }
    }
    #[cfg(all(target_arch = "aarch64", target_os = "linux"))]
    {
        // SAFETY: as above.
        unsafe { (*ctx.cast::<libc::ucontext_t>()).uc_mcontext.pc as usize }
    }
    #[cfg(not(any(
        all(target_arch = "x86_64", target_os = "linux"),
        all(target_arch = "aarch64", target_os = "linux")
    )))]
    {
        0
    }
}

fn install() -> Result<(), String> {
    let mut result = Ok(());
    INSTALL.call_once(|| {
        // SAFETY: a zeroed sigaction is a valid "no flags, empty mask" value; we then set the
        // handler (an `extern "C"` fn with the SA_SIGINFO signature) and install it.
        unsafe {
            let mut act: libc::sigaction = core::mem::zeroed();
            act.sa_sigaction = handler as *const () as usize;
            act.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
            libc::sigemptyset(&mut act.sa_mask);
            if libc::sigaction(signal(), &act, core::ptr::null_mut()) != 0 {
                result = Err(format!(
                    "cannot install the thread-dump signal handler: {}",
                    std::io::Error::last_os_error()
                ));
            }
        }
    });
    result
}

/// One thread of a dump.
pub(crate) struct ThreadStack {
    pub(crate) tid: i32,
    pub(crate) name: String,
    /// Raw addresses, leaf first; `None` if the thread did not answer.
    pub(crate) frames: Option<Vec<u64>>,
}

/// Captures every thread's stack.
pub(crate) fn dump() -> Result<Vec<ThreadStack>, String> {
    install()?;
    let _one_at_a_time = DUMP.lock().unwrap_or_else(|e| e.into_inner());
    let mut threads = Vec::new();
    let dir =
        std::fs::read_dir("/proc/self/task").map_err(|e| format!("cannot list threads: {e}"))?;
    for entry in dir.flatten() {
        let Some(tid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<i32>().ok())
        else {
            continue;
        };
        let name = std::fs::read_to_string(entry.path().join("comm"))
            .unwrap_or_default()
            .trim_end()
            .to_owned();
        threads.push(ThreadStack {
            tid,
            name,
            frames: None,
        });
    }
    threads.sort_by_key(|t| t.tid);
    let unwinder = super::symbols::executable_mappings()
        .into_iter()
        .filter(|m| m.path().contains("libgcc_s"));
    for ((start, end), m) in UNWINDER.iter().zip(unwinder) {
        start.store(m.start() as usize, Ordering::Relaxed);
        end.store(m.limit() as usize, Ordering::Relaxed);
    }
    threads.truncate(MAX_THREADS);
    for (slot, t) in SLOTS.iter().zip(&threads) {
        slot.tid.store(t.tid, Ordering::Relaxed);
        slot.len.store(0, Ordering::Relaxed);
        slot.state.store(REQUESTED, Ordering::Release);
    }
    ARMED.store(threads.len(), Ordering::Release);
    // SAFETY: getpid has no preconditions.
    let pid = unsafe { libc::getpid() };
    for t in &threads {
        // SAFETY: tgkill with our own pid and a tid listed under it; a thread that exited in
        // between makes it fail with ESRCH, which we ignore (the slot times out).
        unsafe { libc::syscall(libc::SYS_tgkill, pid, t.tid, signal()) };
    }
    let deadline = Instant::now() + Duration::from_secs(1);
    while Instant::now() < deadline
        && SLOTS[..threads.len()]
            .iter()
            .any(|s| s.state.load(Ordering::Acquire) != DONE)
    {
        std::thread::sleep(Duration::from_millis(1));
    }
    for (slot, t) in SLOTS.iter().zip(threads.iter_mut()) {
        let mut state = slot.state.load(Ordering::Acquire);
        if state == REQUESTED {
            match slot.state.compare_exchange(
                REQUESTED,
                ABANDONED,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => continue,
                Err(s) => state = s,
            }
        }
        while state == CAPTURING {
            std::hint::spin_loop();
            state = slot.state.load(Ordering::Acquire);
        }
        if state == DONE {
            let len = slot.len.load(Ordering::Relaxed);
            // SAFETY: DONE, read with acquire ordering, means the handler finished writing.
            let raw = unsafe { &*slot.frames.get() };
            let pc = slot.pc.load(Ordering::Relaxed);
            t.frames = Some(trim(&raw[..len], pc).iter().map(|&a| a as u64).collect());
        }
        slot.state.store(IDLE, Ordering::Relaxed);
    }
    ARMED.store(0, Ordering::Release);
    Ok(threads)
}

/// Drops the handler's own frames: the stack starts at the interrupted pc.
fn trim(frames: &[usize], pc: usize) -> &[usize] {
    if frames.len() == 1 {
        return frames; // interrupted inside the unwinder: the pc alone
    }
    if let Some(i) = frames.iter().take(32).position(|&a| a == pc && pc != 0) {
        return &frames[i..];
    }
    let by_name = frames.iter().take(32).position(|&a| {
        outer_name(a as u64).is_some_and(|n| n.contains("profiling::threads::handler"))
    });
    match by_name {
        Some(i) if i + 2 <= frames.len() => &frames[i + 2..],
        _ => frames,
    }
}

/// Go's `debug=2` text: every thread, its name and its stack.
pub(crate) fn text(threads: &[ThreadStack]) -> String {
    let mut out = String::new();
    for t in threads {
        let _ = writeln!(out, "thread {} \"{}\":", t.tid, t.name);
        write_stack(&mut out, t.frames.as_deref());
        out.push('\n');
    }
    out
}

/// Go's `debug=1` text: identical stacks grouped, with a count and the thread names.
pub(crate) fn grouped_text(threads: &[ThreadStack]) -> String {
    let mut groups: Vec<(Option<&[u64]>, Vec<&ThreadStack>)> = Vec::new();
    for t in threads {
        match groups.iter_mut().find(|(f, _)| *f == t.frames.as_deref()) {
            Some((_, v)) => v.push(t),
            None => groups.push((t.frames.as_deref(), vec![t])),
        }
    }
    groups.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
    let mut out = format!("threads profile: total {}\n", threads.len());
    for (frames, ts) in groups {
        let names: Vec<String> = ts
            .iter()
            .map(|t| format!("{} \"{}\"", t.tid, t.name))
            .collect();
        let _ = writeln!(out, "{} thread(s): {}", ts.len(), names.join(", "));
        write_stack(&mut out, frames);
        out.push('\n');
    }
    out
}

fn write_stack(out: &mut String, frames: Option<&[u64]>) {
    let Some(frames) = frames else {
        out.push_str("\t(no stack: the thread blocks the dump signal or did not run within 1s)\n");
        return;
    };
    for &addr in frames.iter().filter(|&&a| a != 0) {
        let resolved = resolve(addr);
        if resolved.is_empty() {
            let _ = writeln!(out, "{addr:#x}\n\t?");
        }
        for f in resolved.iter() {
            let _ = writeln!(out, "{}\n\t{}:{}", f.name, f.file, f.line);
        }
    }
}

/// Go's `debug=0`: a profile with one sample per thread, labelled with its name and id.
pub(crate) fn profile(threads: &[ThreadStack]) -> Profile {
    let mut b = Builder::new(&[("thread", "count")], ("thread", "count"), 1);
    b.timing(std::time::SystemTime::now(), Duration::ZERO);
    for t in threads {
        let labels = [
            ("thread", LabelValue::Str(t.name.clone())),
            ("thread_id", LabelValue::Num(i64::from(t.tid), "")),
        ];
        b.sample(t.frames.as_deref().unwrap_or(&[]), vec![1], &labels);
    }
    b.finish()
}
