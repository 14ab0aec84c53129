//! Dates as people read them ("18 July 2024") and as machines do (the `datetime` of a
//! `<time>` element), from an article's date as written (`2024-07-18`,
//! `2024-07-18T07:31:00+09:00`). Templates use them as the filters `human_date` and `datetime`.
use super::web::{atom_time, day};

pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The month's name of a month number (1-12).
pub fn month_name(m: usize) -> Option<&'static str> {
    MONTHS.get(m.checked_sub(1)?).copied()
}

/// "18 July 2024" for a date that starts with a day; the date as written otherwise.
pub fn human(date: &str) -> String {
    let Some(d) = day(Some(date)) else {
        return date.to_string();
    };
    let (y, m, dd) = (&d[..4], &d[5..7], &d[8..10]);
    match (m.parse().ok().and_then(month_name), dd.parse::<u32>()) {
        (Some(month), Ok(n @ 1..=31)) => format!("{n} {month} {y}"),
        _ => date.to_string(),
    }
}

/// The machine form for `<time datetime>`: the timestamp as written when it is a valid one,
/// the day alone when only the day is; the date as written otherwise.
pub fn machine(date: &str) -> String {
    let date = date.trim();
    match (day(Some(date)), atom_time(Some(date))) {
        (Some(_), Some(t)) if t == date => t,
        (Some(d), _) => d.to_string(),
        _ => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_for_people_and_machines() {
        assert_eq!(human("2024-07-18T07:31:00+09:00"), "18 July 2024");
        assert_eq!(human("2024-10-01"), "1 October 2024");
        assert_eq!(human("2024-13-01"), "2024-13-01");
        assert_eq!(human("July 2024"), "July 2024");
        assert_eq!(
            machine("2024-07-18T07:31:00+09:00"),
            "2024-07-18T07:31:00+09:00"
        );
        assert_eq!(machine("2024-07-18"), "2024-07-18");
        assert_eq!(machine("2024-07-18 morning"), "2024-07-18");
    }
}
