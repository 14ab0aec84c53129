//! The build's progress bar: drawn on standard error only when it is a terminal and the build
//! has run for more than a second (quick builds and logs get the summary line alone).
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kwiki::site::Progress;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

pub struct Bar {
    bar: ProgressBar,
    start: Instant,
    terminal: bool,
    stage: std::sync::Mutex<&'static str>,
}

impl Bar {
    pub fn new(start: Instant) -> Bar {
        Bar {
            bar: ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()),
            start,
            terminal: std::io::stderr().is_terminal(),
            stage: std::sync::Mutex::new(""),
        }
    }

    pub fn update(&self, p: Progress) {
        if !self.terminal {
            return;
        }
        if self.bar.is_hidden() && self.start.elapsed() > Duration::from_secs(1) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(120));
        }
        let Ok(mut stage) = self.stage.lock() else {
            return;
        };
        if *stage != p.stage {
            *stage = p.stage;
            self.restyle(p);
        }
        if p.total > 0 {
            self.bar.set_length(p.total as u64);
            self.bar.set_position(p.done as u64);
        }
    }

    fn restyle(&self, p: Progress) {
        if p.total == 0 {
            self.bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
        } else {
            self.bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed:>4} {msg:<14} [{bar:30}] {human_pos}/{human_len}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
        }
        self.bar.set_message(p.stage);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// A bar over pages fetched one by one (`kwiki add`, `kwiki update`): drawn on standard
/// error when it is a terminal and there is more than one page.
pub struct Counter {
    bar: ProgressBar,
}

impl Counter {
    pub fn new(total: usize) -> Counter {
        let bar = if total > 1 && std::io::stderr().is_terminal() {
            let bar = ProgressBar::new(total as u64);
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed:>4} [{bar:30}] {pos}/{len} pages")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        } else {
            ProgressBar::hidden()
        };
        Counter { bar }
    }

    /// Print around the bar.
    pub fn suspend(&self, f: impl FnOnce()) {
        self.bar.suspend(f)
    }

    pub fn inc(&self) {
        self.bar.inc(1)
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear()
    }
}

/// `12345` as `12,345`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(23418), "23,418");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
