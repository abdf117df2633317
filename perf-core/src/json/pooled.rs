//! Encoding into a buffer from a [`Pool`]: the curriculum's "reuse a pooled buffer" encoder.

use super::{FastJson, Options};
use crate::pool::{Pool, Pooled};

/// Output buffers that grew past this capacity are dropped when they return to
/// [`BUFFERS`], so one huge document does not pin a huge buffer.
pub const POOLED_BUFFER_KEEP: usize = 1 << 20;

fn keep_buffer(buf: &Vec<u8>) -> bool {
    buf.capacity() <= POOLED_BUFFER_KEEP
}

/// The pool [`to_pooled`] takes its buffers from.
pub static BUFFERS: Pool<Vec<u8>> = Pool::new(Vec::new).with_retain(keep_buffer);

/// Encodes `value` (compact) into a buffer from [`BUFFERS`]; the buffer goes back to the
/// pool, cleared, when the guard drops. No allocation once the pool is warm and the buffer
/// large enough.
///
/// # Examples
///
/// ```
/// let body = perf_core::json::to_pooled(&[1, 2, 3]);
/// assert_eq!(&body[..], b"[1,2,3]");
/// ```
#[inline]
pub fn to_pooled<T: FastJson + ?Sized>(value: &T) -> Pooled<'static, Vec<u8>> {
    to_pooled_in(&BUFFERS, value)
}

/// Encodes `value` (compact) into a buffer from `pool`.
///
/// # Examples
///
/// ```
/// use perf_core::pool::Pool;
///
/// static MINE: Pool<Vec<u8>> = Pool::new(Vec::new);
/// let body = perf_core::json::to_pooled_in(&MINE, &"hi");
/// assert_eq!(&body[..], br#""hi""#);
/// ```
#[inline]
pub fn to_pooled_in<'p, T: FastJson + ?Sized>(
    pool: &'p Pool<Vec<u8>>,
    value: &T,
) -> Pooled<'p, Vec<u8>> {
    Options::new().to_pooled_in(pool, value)
}

impl Options {
    /// Encodes `value` with these options into a buffer from `pool`.
    pub fn to_pooled_in<'p, T: FastJson + ?Sized>(
        &self,
        pool: &'p Pool<Vec<u8>>,
        value: &T,
    ) -> Pooled<'p, Vec<u8>> {
        let mut buf = pool.get();
        buf.clear();
        self.write_to(&mut buf, value);
        buf
    }
}
