//! Packing PutEvents entries into calls: at most 10 entries, and less than 256 KB in all.

use crate::limits::{MAX_PUT_EVENTS_ENTRIES, PUT_EVENTS_MAX_BYTES};

/// Collects items (entries with their sizes) and hands out full batches.
#[derive(Debug)]
pub struct PutEventsBatcher<T> {
    items: Vec<T>,
    bytes: usize,
}

impl<T> Default for PutEventsBatcher<T> {
    fn default() -> Self {
        PutEventsBatcher {
            items: Vec::with_capacity(MAX_PUT_EVENTS_ENTRIES),
            bytes: 0,
        }
    }
}

impl<T> PutEventsBatcher<T> {
    /// Adds an item of `size` bytes (each item is below the limit on its own). Returns the
    /// batch collected so far when the item does not fit in it; the item then starts the next.
    pub fn push(&mut self, item: T, size: usize) -> Option<Vec<T>> {
        let full = self.items.len() == MAX_PUT_EVENTS_ENTRIES
            || (!self.items.is_empty() && self.bytes + size >= PUT_EVENTS_MAX_BYTES);
        let out = if full { self.take() } else { None };
        self.items.push(item);
        self.bytes += size;
        out
    }

    /// Hands out what was collected, if anything.
    pub fn take(&mut self) -> Option<Vec<T>> {
        if self.items.is_empty() {
            return None;
        }
        self.bytes = 0;
        Some(std::mem::replace(
            &mut self.items,
            Vec::with_capacity(MAX_PUT_EVENTS_ENTRIES),
        ))
    }

    /// True when nothing is collected.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(sizes: &[usize]) -> Vec<Vec<usize>> {
        let mut b = PutEventsBatcher::default();
        let mut out = Vec::new();
        for &s in sizes {
            out.extend(b.push(s, s));
        }
        out.extend(b.take());
        out
    }

    #[test]
    fn at_most_ten_entries_a_call() {
        let batches = run(&[100; 25]);
        assert_eq!(
            batches.iter().map(Vec::len).collect::<Vec<_>>(),
            vec![10, 10, 5]
        );
    }

    #[test]
    fn under_256_kb_a_call() {
        let big = 100 * 1024;
        let batches = run(&[big, big, big, 10, big]);
        for b in &batches {
            assert!(b.iter().sum::<usize>() < PUT_EVENTS_MAX_BYTES, "{b:?}");
        }
        assert_eq!(batches, vec![vec![big, big], vec![big, 10, big]]);
    }

    #[test]
    fn exactly_at_the_limit_is_split() {
        let half = PUT_EVENTS_MAX_BYTES / 2;
        assert_eq!(run(&[half, half]), vec![vec![half], vec![half]]);
        assert_eq!(run(&[half, half - 1]), vec![vec![half, half - 1]]);
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert!(run(&[]).is_empty());
        let mut b = PutEventsBatcher::<u8>::default();
        assert!(b.is_empty());
        assert!(b.take().is_none());
    }
}
