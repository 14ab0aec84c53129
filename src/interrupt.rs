//! Interrupts (Ctrl-C, SIGTERM, SIGHUP) that never leave a half-written site.
//!
//! Outside the write stage nothing is on disk yet, so an interrupt ends the process at once.
//! While files are being staged, it is noted: the writer sees it, removes what it staged
//! and returns `Error::Interrupted`, leaving the previous site as it was. While the staged
//! files are renamed into place, it is deferred until the site is complete. After that (the
//! process still frees memory and reports), it ends the process and says the site is the new
//! one.
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The exit status of a process ended by SIGINT, by shell convention (128 + 2).
pub const EXIT_STATUS: i32 = 130;

static REQUESTED: AtomicBool = AtomicBool::new(false);
/// A write stage finished: the site on disk is a complete new one.
static COMPLETE: AtomicBool = AtomicBool::new(false);
/// How many writes are under way; the handler only exits at once when none is.
static WRITERS: Mutex<usize> = Mutex::new(0);

/// Install the handler (once, from the binary). Library users that do not call this keep
/// the default behaviour of their signals.
pub fn install() -> Result<(), String> {
    ctrlc::set_handler(|| {
        use std::io::Write;
        // hold the lock while deciding, so no write can start between the check and the exit
        let writers = WRITERS.lock().unwrap_or_else(|e| e.into_inner());
        REQUESTED.store(true, Ordering::SeqCst);
        // never `eprintln!` here: it panics when stderr is a closed pipe, and a panic would
        // end this thread and leave the signal unanswered
        let mut err = std::io::stderr();
        if *writers == 0 {
            // after the write stage (the process still frees memory and reports), the
            // message says the site was finished, as the writer's own message would
            if COMPLETE.load(Ordering::SeqCst) {
                let _ = writeln!(err, "interrupted: the new site was finished first");
            } else {
                let _ = writeln!(err, "interrupted");
            }
            std::process::exit(EXIT_STATUS);
        }
        let _ = writeln!(
            err,
            "interrupt received: stopping without leaving a half-written site…"
        );
    })
    .map_err(|e| format!("cannot install the interrupt handler: {e}"))
}

/// Note that a write stage finished: the site on disk is complete (called by the writer
/// while it still holds its `WriteGuard`).
pub fn site_complete() {
    COMPLETE.store(true, Ordering::SeqCst);
}

/// Whether an interrupt arrived.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// Held for the whole write stage: while one exists, an interrupt is noted, not acted on.
pub struct WriteGuard(());

impl WriteGuard {
    pub fn enter() -> WriteGuard {
        *WRITERS.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        WriteGuard(())
    }
}

impl Drop for WriteGuard {
    fn drop(&mut self) {
        *WRITERS.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
    }
}
