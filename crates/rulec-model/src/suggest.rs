//! Did-you-mean suggestions by edit distance.

/// The edit distance between two strings in characters: insertions, deletions, substitutions
/// and transpositions of two neighbours each count one (optimal string alignment), so the
/// common typo `emial` is one edit from `email`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

/// The candidate closest to `name`, if it is close enough to be what was meant.
///
/// A candidate that differs only by letter case always qualifies; otherwise the distance may
/// be at most a third of the name's length (and at least 1), so `opsColDebt` finds
/// `opsCollDebt` but `xyz` finds nothing.
pub fn suggest<'a, S: AsRef<str> + ?Sized>(name: &str, candidates: &'a [&'a S]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let candidate = candidate.as_ref();
        if candidate == name {
            continue;
        }
        let distance = if candidate.to_lowercase() == lower {
            0
        } else {
            edit_distance(&lower, &candidate.to_lowercase())
        };
        if best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    let limit = (name.chars().count() / 3).max(1);
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(edit_distance("emial", "email"), 1);
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest("affilation", &["affiliation", "label"]), Some("affiliation"));
        assert_eq!(suggest("sunday", &["Saturday", "Sunday"]), Some("Sunday"));
        assert_eq!(suggest("xyz", &["voice", "email"]), None);
    }
}
