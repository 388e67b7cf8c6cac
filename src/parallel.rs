//! Work done on several threads and handed on in order: how the streaming
//! reader converts a file's windows side by side while one thread writes
//! them out.
//!
//! Unlike a parallel iterator that is collected in rounds, nothing waits
//! for the slowest item of a round: a free thread takes the next item, and
//! results are handed on as soon as all before them are. At most a set
//! number of results wait to be handed on, so memory stays bounded.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};

/// Calls `each` with `make(item)` for every item, in order, the `make`s
/// running on all available cores. Stops early, taking no further item,
/// when `each` returns false.
pub fn map_in_order<I, T>(items: &[I], make: impl Fn(&I) -> T + Sync, each: impl FnMut(T) -> bool)
where
    I: Sync,
    T: Send,
{
    let threads = available_threads().min(items.len());
    map_in_order_from(|index| items.get(index), threads, 2 * threads, make, each);
}

/// The cores there are to use, asked once: the answer reads the
/// process's cgroup files each time it is asked.
pub fn available_threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| std::thread::available_parallelism().map_or(1, |count| count.get()))
}

/// As [`map_in_order`] for items that come one at a time: `item(index)`
/// gives the item at that index, waiting for it if need be, or `None`
/// when there are no more. Until the first result is handed on, `ahead`
/// items are made (a reader whose first pass must end before it hands
/// anything on makes that many early); after, four for each thread.
/// That bounds the memory results take: once results are handed
/// on, a slower `each` does not let them pile up.
pub fn map_in_order_from<I, T>(
    item: impl Fn(usize) -> Option<I> + Sync,
    threads: usize,
    ahead: usize,
    make: impl Fn(I) -> T + Sync,
    mut each: impl FnMut(T) -> bool,
) where
    T: Send,
{
    if threads <= 1 {
        let mut index = 0;
        while let Some(item) = item(index) {
            if !each(make(item)) {
                return;
            }
            index += 1;
        }
        return;
    }
    let ahead = ahead.max(1);
    let next = AtomicUsize::new(0);
    let handed = Progress::default();
    let (sender, receiver) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let sender = sender.clone();
            let (next, handed, make, item) = (&next, &handed, &make, &item);
            scope.spawn(move || loop {
                // A panic here must not leave the others waiting for a
                // result that never comes.
                let _stop = StopWhenPanicking(handed);
                let index = next.fetch_add(1, Ordering::Relaxed);
                if !handed.wait_below(index, ahead, 4 * threads) {
                    return;
                }
                let Some(item) = item(index) else {
                    return;
                };
                if sender.send((index, make(item))).is_err() {
                    return;
                }
            });
        }
        drop(sender);
        let _stop = StopWhenPanicking(&handed);
        // Results arrive as they are done; each waits for those before it.
        let mut waiting = BTreeMap::new();
        let mut count = 0;
        for (index, made) in receiver {
            waiting.insert(index, made);
            while let Some(made) = waiting.remove(&count) {
                count += 1;
                if !each(made) {
                    handed.stop();
                    return;
                }
                handed.set(count);
            }
        }
    });
}

/// A job started on a thread of a scope, or done on this one where a
/// thread would not pay for itself.
pub enum Started<'s, T> {
    Running(std::thread::ScopedJoinHandle<'s, T>),
    Done(T),
}

impl<'s, T> Started<'s, T> {
    /// Runs `job` on a thread of `scope` if `on_a_thread`, else now.
    pub fn new<'e>(
        scope: &'s std::thread::Scope<'s, 'e>,
        on_a_thread: bool,
        job: impl FnOnce() -> T + Send + 's,
    ) -> Self
    where
        T: Send + 's,
    {
        match on_a_thread {
            true => Started::Running(scope.spawn(job)),
            false => Started::Done(job()),
        }
    }

    /// What the job gave, once it has ended; its panic is passed on.
    pub fn join(self) -> T {
        match self {
            Started::Running(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Started::Done(outcome) => outcome,
        }
    }
}

/// What one thread finds, handed to others as it finds it, and what it
/// makes of all it found once it has ended: how a first pass over a file
/// lets the second begin before it is done.
pub struct Relay<F, O> {
    state: Mutex<RelayState<F, O>>,
    changed: Condvar,
}

struct RelayState<F, O> {
    found: Vec<F>,
    /// Set when the finder has ended.
    ended: Option<O>,
    /// Those waiting want no more.
    stopped: bool,
}

impl<F: Clone, O: Clone> Default for Relay<F, O> {
    fn default() -> Self {
        Relay {
            state: Mutex::new(RelayState {
                found: Vec::new(),
                ended: None,
                stopped: false,
            }),
            changed: Condvar::new(),
        }
    }
}

impl<F: Clone, O: Clone> Relay<F, O> {
    fn state(&self) -> std::sync::MutexGuard<'_, RelayState<F, O>> {
        // A panic while holding the lock is passed on when the threads are
        // joined; the state itself stays whole.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn wait<'s>(
        &self,
        state: std::sync::MutexGuard<'s, RelayState<F, O>>,
    ) -> std::sync::MutexGuard<'s, RelayState<F, O>> {
        self.changed
            .wait(state)
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Hands on what was found; false when no more is wanted.
    pub fn publish(&self, found: F) -> bool {
        self.publish_with(|_| found)
    }

    /// Hands on what `found` makes, given how much was handed on before.
    pub fn publish_with(&self, found: impl FnOnce(usize) -> F) -> bool {
        let mut state = self.state();
        let count = state.found.len();
        state.found.push(found(count));
        self.changed.notify_all();
        !state.stopped
    }

    /// All that was found so far.
    pub fn found_so_far(&self) -> Vec<F> {
        self.state().found.clone()
    }

    /// Ends the finding, with what it made.
    pub fn end(&self, outcome: O) {
        self.state().ended = Some(outcome);
        self.changed.notify_all();
    }

    /// No more is wanted: the finder and those waiting stop.
    pub fn stop(&self) {
        self.state().stopped = true;
        self.changed.notify_all();
    }

    /// The `index`-th thing found, once it is; `None` when the finder
    /// ended without it, or no more is wanted.
    pub fn found(&self, index: usize) -> Option<F> {
        self.when_found(index, |found| found.clone())
    }

    /// What `hand_on` makes of the `index`-th thing found, once it is.
    fn when_found(&self, index: usize, hand_on: impl FnOnce(&mut F) -> F) -> Option<F> {
        let mut state = self.state();
        loop {
            if state.stopped {
                return None;
            }
            if let Some(found) = state.found.get_mut(index) {
                return Some(hand_on(found));
            }
            if state.ended.is_some() {
                return None;
            }
            state = self.wait(state);
        }
    }

    /// What the finder made, if it has ended, without waiting.
    pub fn outcome_now(&self) -> Option<O> {
        self.state().ended.clone()
    }

    /// What the finder made, once it has ended; `None` if no more is
    /// wanted before then.
    pub fn outcome(&self) -> Option<O> {
        let mut state = self.state();
        loop {
            match &state.ended {
                Some(outcome) => return Some(outcome.clone()),
                None if state.stopped => return None,
                None => state = self.wait(state),
            }
        }
    }
}

impl<F: Clone + Default, O: Clone> Relay<F, O> {
    /// [`Relay::found`], taken: the default is left in its place. For what
    /// one reader alone wants, which the relay would otherwise hold until
    /// it is dropped.
    pub fn take(&self, index: usize) -> Option<F> {
        self.when_found(index, std::mem::take)
    }
}

/// Stops a [`Relay`] when dropped by a panic, so that no thread waits for
/// a finder that will never end.
pub struct StopRelayWhenPanicking<'r, F: Clone, O: Clone>(pub &'r Relay<F, O>);

impl<F: Clone, O: Clone> Drop for StopRelayWhenPanicking<'_, F, O> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

/// Tells the threads to stop when dropped by a panic.
struct StopWhenPanicking<'p>(&'p Progress);

impl Drop for StopWhenPanicking<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

/// How many results were handed on, for threads that must not run too far
/// ahead; or that no more are wanted.
#[derive(Default)]
struct Progress {
    state: Mutex<(usize, bool)>,
    changed: Condvar,
}

impl Progress {
    fn set(&self, count: usize) {
        if let Ok(mut state) = self.state.lock() {
            state.0 = count;
        }
        self.changed.notify_all();
    }

    fn stop(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.1 = true;
        }
        self.changed.notify_all();
    }

    /// Waits until item `index` is fewer than `ahead` past the results
    /// handed on (`then` once any is); false when no more are wanted.
    fn wait_below(&self, index: usize, ahead: usize, then: usize) -> bool {
        let Ok(mut state) = self.state.lock() else {
            return false;
        };
        let limit = |handed: usize| match handed {
            0 => ahead,
            handed => handed + then,
        };
        while !state.1 && index >= limit(state.0) {
            match self.changed.wait(state) {
                Ok(next) => state = next,
                Err(_) => return false,
            }
        }
        !state.1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order() {
        let items: Vec<u64> = (0..1000).collect();
        let mut seen = Vec::new();
        // Uneven work, so that threads finish out of order.
        map_in_order(
            &items,
            |&n| {
                std::thread::sleep(std::time::Duration::from_micros((n * 7919) % 300));
                n * 2
            },
            |n| {
                seen.push(n);
                true
            },
        );
        assert_eq!(seen, (0..1000).map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_panic_ends_the_threads_instead_of_hanging() {
        let items: Vec<usize> = (0..10_000).collect();
        let outcome = std::panic::catch_unwind(|| {
            map_in_order(&items, |&n| n, |n| n < 50 || panic!("no more"));
        });
        assert!(outcome.is_err());
        let outcome = std::panic::catch_unwind(|| {
            map_in_order(
                &items,
                |&n| if n == 50 { panic!("no") } else { n },
                |_| true,
            );
        });
        assert!(outcome.is_err());
    }

    #[test]
    fn stopping_early_takes_no_further_item() {
        let items: Vec<usize> = (0..10_000).collect();
        let made = AtomicUsize::new(0);
        let mut seen = 0;
        map_in_order(
            &items,
            |&n| {
                made.fetch_add(1, Ordering::Relaxed);
                n
            },
            |_| {
                seen += 1;
                seen < 5
            },
        );
        assert_eq!(seen, 5);
        // Only the few items threads may run ahead by were made.
        assert!(made.load(Ordering::Relaxed) < 100);
    }

    /// Before the first result is handed on, `ahead` are made; after, a
    /// slow `each` keeps no more than four a thread waiting.
    #[test]
    fn a_slow_taker_lets_few_results_wait() {
        let made = AtomicUsize::new(0);
        let mut most_waiting = 0;
        let threads = 3;
        map_in_order_from(
            |index| (index < 200).then_some(index),
            threads,
            50,
            |n| {
                made.fetch_add(1, Ordering::SeqCst);
                n
            },
            |n| {
                if n == 0 {
                    // Waits, as a reader's first pass does, then hands on.
                    while made.load(Ordering::SeqCst) < 50 {
                        std::thread::yield_now();
                    }
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    assert_eq!(made.load(Ordering::SeqCst), 50);
                }
                std::thread::sleep(std::time::Duration::from_micros(300));
                if n >= 50 {
                    most_waiting = most_waiting.max(made.load(Ordering::SeqCst) - n);
                }
                true
            },
        );
        assert_eq!(made.load(Ordering::SeqCst), 200);
        assert!(most_waiting <= 4 * threads + 1, "{most_waiting}");
    }
}
