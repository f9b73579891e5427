//! Did-you-mean suggestions by edit distance, bounded in time and memory whatever the input.
//!
//! A suggestion is for a typo in a name someone wrote: a name longer than
//! [`MAX_SUGGESTED_CHARS`] gets none, a candidate whose length alone puts it too far away is
//! skipped unread, and the distance is computed in a band of rows of the candidate's length,
//! given up as soon as it exceeds the best found. A name of a hundred characters against a
//! thousand candidates costs a few milliseconds; a name of thirty thousand costs nothing.

/// Names longer than this (in characters) get no suggestion: nobody mistypes a name that long,
/// and comparing it would cost its length squared per candidate.
pub const MAX_SUGGESTED_CHARS: usize = 100;

/// The edit distance between two strings in characters: insertions, deletions, substitutions
/// and transpositions of two neighbours each count one (optimal string alignment), so the
/// common typo `emial` is one edit from `email`. Memory is three rows of `b`'s length; time is
/// the product of the lengths (callers bound them: see [`suggest`]).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    bounded_distance(&a, &b, usize::MAX).unwrap_or(usize::MAX)
}

/// The optimal-string-alignment distance of `a` and `b` if it is at most `bound`, else `None`.
/// Only cells within `bound` of the diagonal are computed (the others exceed it), and the
/// computation stops at the first row whose every cell exceeds it.
fn bounded_distance(a: &[char], b: &[char], bound: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > bound {
        return None;
    }
    const FAR: usize = usize::MAX / 2;
    let width = b.len() + 1;
    // Rows i-2, i-1 and i of the table.
    let mut before: Vec<usize> = vec![FAR; width];
    let mut previous: Vec<usize> = (0..width).map(|j| if j <= bound { j } else { FAR }).collect();
    let mut current: Vec<usize> = vec![FAR; width];
    for i in 1..=a.len() {
        let from = i.saturating_sub(bound).max(1);
        let to = i.saturating_add(bound).min(b.len());
        current.fill(FAR);
        if i <= bound {
            current[0] = i;
        }
        let mut row_best = current[0];
        for j in from..=to {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
            row_best = row_best.min(best);
        }
        if row_best > bound {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|d| *d <= bound)
}

/// The candidate closest to `name`, if it is close enough to be what was meant.
///
/// A candidate that differs only by letter case always qualifies; otherwise the distance may
/// be at most a third of the name's length (and at least 1), so `opsColDebt` finds
/// `opsCollDebt` but `xyz` finds nothing. Names longer than [`MAX_SUGGESTED_CHARS`] find
/// nothing. Ties go to the first candidate.
pub fn suggest<'a, S: AsRef<str> + ?Sized>(name: &str, candidates: &'a [&'a S]) -> Option<&'a str> {
    let length = name.chars().take(MAX_SUGGESTED_CHARS + 1).count();
    if length > MAX_SUGGESTED_CHARS {
        return None;
    }
    let limit = (length / 3).max(1);
    let lower: Vec<char> = name.chars().flat_map(char::to_lowercase).collect();
    // A character is at most four bytes and lowercases to at least one character: a candidate
    // of more bytes than this is more than `limit` characters longer than the name.
    let max_bytes = 4 * (lower.len() + limit);
    let mut best: Option<(usize, &'a str)> = None;
    let mut other: Vec<char> = Vec::new();
    for candidate in candidates {
        // Only a closer candidate than the best so far is worth computing: ties keep the first.
        let bound = match best {
            Some((0, _)) => break,
            Some((d, _)) => d - 1,
            None => limit,
        };
        let candidate = candidate.as_ref();
        if candidate == name || candidate.len() > max_bytes {
            continue;
        }
        other.clear();
        other.extend(candidate.chars().flat_map(char::to_lowercase));
        if let Some(distance) = bounded_distance(&lower, &other, bound) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(edit_distance("emial", "email"), 1);
        assert_eq!(edit_distance("ca", "abc"), 3);
    }

    #[test]
    fn bounded_distance_agrees_with_the_full_table() {
        let words = ["", "a", "ab", "ba", "abc", "acb", "kitten", "sitting", "opsCollDebt", "opsColDebt", "email", "emial", "xyz", "Sunday", "sunday", "Saturday"];
        for a in words {
            for b in words {
                let (x, y): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                let full = edit_distance(a, b);
                for bound in 0..12 {
                    let expected = (full <= bound).then_some(full);
                    assert_eq!(bounded_distance(&x, &y, bound), expected, "{a:?} {b:?} within {bound}");
                }
            }
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("affilation", &["affiliation", "label"]), Some("affiliation"));
        assert_eq!(suggest("sunday", &["Saturday", "Sunday"]), Some("Sunday"));
        assert_eq!(suggest("xyz", &["voice", "email"]), None);
        assert_eq!(suggest("opsColDebt", &["opsAccountCredentials", "opsCollDebt", "opsCollDebts"]), Some("opsCollDebt"));
        // Ties go to the first candidate.
        assert_eq!(suggest("cat", &["bat", "hat"]), Some("bat"));
    }

    #[test]
    fn long_names_and_candidates_cost_nothing() {
        let long = "x".repeat(30_000);
        let near = format!("{long}y");
        assert_eq!(suggest(&long, &[near.as_str()]), None, "longer than the limit: no suggestion");
        let name = "a".repeat(MAX_SUGGESTED_CHARS);
        let candidates: Vec<&str> = vec![near.as_str(); 1_000];
        assert_eq!(suggest(&name, &candidates), None, "candidates far longer are skipped unread");
        let close = format!("{}b", "a".repeat(MAX_SUGGESTED_CHARS - 1));
        assert_eq!(suggest(&name, &[close.as_str()]), Some(close.as_str()));
    }
}
