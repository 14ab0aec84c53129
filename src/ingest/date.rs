//! Article dates: a date kwiki writes into pages, the feed and `datetime` attributes must be
//! one that exists. Read: `YYYY-MM-DD`, optionally followed by a time (`T` or a space,
//! `HH:MM`, optional `:SS` and fraction) and a zone (`Z`, `+HH:MM`, `+HHMM`).

/// Why `date` is not a date kwiki can use, or `Ok` when it is one.
pub fn check(date: &str) -> Result<(), String> {
    let d = date.trim();
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .filter(|s| s.iter().all(u8::is_ascii_digit))
            .map(|_| d[r].parse::<u32>().unwrap_or(0))
    };
    let (Some(y), Some(m), Some(day), Some(b'-'), Some(b'-')) = (
        digits(0..4),
        digits(5..7),
        digits(8..10),
        b.get(4),
        b.get(7),
    ) else {
        return Err(format!(
            "`{}` is not a date kwiki reads (write it as YYYY-MM-DD)",
            crate::error::escaped(short(d))
        ));
    };
    if !(1..=12).contains(&m) {
        return Err(format!("`{}` has no month {m}", short(d)));
    }
    if day == 0 || day > days_in_month(y, m) {
        return Err(format!("`{}` has no day {day} in month {m}", short(d)));
    }
    let rest = &d[10..];
    if rest.is_empty() || time_and_zone(rest) {
        Ok(())
    } else {
        Err(format!(
            "`{}` has a time that does not exist or cannot be read (write e.g. 2024-07-18T07:31:00+09:00)",
            crate::error::escaped(short(d))
        ))
    }
}

/// A date as quoted in a message: the first 40 characters.
fn short(d: &str) -> &str {
    d.char_indices().nth(40).map_or(d, |(i, _)| &d[..i])
}

fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `THH:MM[:SS[.fff]][zone]` (or a space instead of `T`) with hours, minutes and seconds
/// that exist (a leap second allowed).
fn time_and_zone(s: &str) -> bool {
    let Some(t) = s.strip_prefix(['T', 't', ' ']) else {
        return false;
    };
    let two = |s: &str, max: u32| {
        s.len() >= 2
            && s.as_bytes()[..2].iter().all(u8::is_ascii_digit)
            && s[..2].parse::<u32>().is_ok_and(|n| n <= max)
    };
    if !(two(t, 23) && t.as_bytes().get(2) == Some(&b':') && two(&t[3..], 59)) {
        return false;
    }
    let mut rest = &t[5..];
    if let Some(sec) = rest.strip_prefix(':') {
        if !two(sec, 60) {
            return false;
        }
        rest = sec[2..].trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    }
    let zone = rest.trim_start();
    match zone.strip_prefix(['+', '-']) {
        _ if zone.is_empty() || zone.eq_ignore_ascii_case("z") => true,
        Some(z) if z.len() == 5 && z.as_bytes()[2] == b':' => two(z, 23) && two(&z[3..], 59),
        Some(z) if z.len() == 4 => two(z, 23) && two(&z[2..], 59),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn dates_that_exist() {
        for ok in [
            "2024-07-18",
            "2024-02-29",
            "2000-02-29",
            "2024-07-18T07:31:00+09:00",
            "2024-07-18T07:31:00.123Z",
            "2024-07-18 07:31",
            "2024-07-18T23:59:60Z",
            "2024-07-18T07:31+0900",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for bad in [
            "2024-13-45",
            "2024-00-10",
            "2023-02-29",
            "1900-02-29",
            "2024-04-31",
            "2024-07-18T25:00:00Z",
            "2024-07-18T07:61",
            "2024-07-18T07:31:00+25:00",
            "2024-07-18junk",
            "18 July 2024",
            "",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
        assert_eq!(
            check("2024-13-45").unwrap_err(),
            "`2024-13-45` has no month 13"
        );
    }
}
