//! Values that make a condition hold (or not): which channel, theme, status… a generated
//! request or past interaction needs for a rule to apply, to count it, or to leave it out.
//!
//! Only field tests constrain; every other atom (counts, local times, cases) is left free,
//! since it is not a field of the record being built. The solution prefers the values the
//! scenario already has, so a generated scenario differs from its seed as little as it can.

use super::fields::domain;
use rulec_check::checked::{Cond, FieldTest, ValueTest};
use rulec_model::Field;

/// Allowed values per field (bit masks over [`domain`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints(pub Vec<(Field, u128)>);

impl Constraints {
    fn restrict(&mut self, field: Field, mask: u128) -> bool {
        match self.0.iter_mut().find(|(f, _)| *f == field) {
            Some((_, m)) => {
                *m &= mask;
                *m != 0
            }
            None => {
                self.0.push((field, mask));
                mask != 0
            }
        }
    }

    fn merge(mut self, other: Constraints) -> Option<Constraints> {
        for (field, mask) in other.0 {
            if !self.restrict(field, mask) {
                return None;
            }
        }
        Some(self)
    }

    /// Does a record with these current values satisfy every constraint?
    pub fn satisfied_by(&self, current: &dyn Fn(Field) -> Option<usize>) -> bool {
        self.0.iter().all(|(f, m)| current(*f).is_some_and(|v| m & (1u128 << v) != 0))
    }

    /// For each constrained field, the value to use: the current one if allowed, else the
    /// first allowed.
    pub fn choose(&self, current: &dyn Fn(Field) -> Option<usize>) -> Vec<(Field, usize)> {
        self.0
            .iter()
            .map(|(f, m)| match current(*f) {
                Some(v) if m & (1u128 << v) != 0 => (*f, v),
                _ => (*f, m.trailing_zeros() as usize),
            })
            .collect()
    }
}

/// Constraints under which `cond` evaluates to `want` as far as field tests decide it; `None`
/// when no assignment of fields does. `accept` limits which fields may be constrained (the
/// rest are taken as free).
pub fn solve(cond: &Cond, want: bool, accept: &dyn Fn(Field) -> bool, current: &dyn Fn(Field) -> Option<usize>) -> Option<Constraints> {
    match cond {
        Cond::Not(inner) => solve(inner, !want, accept, current),
        Cond::All(parts) if want => all(parts, true, accept, current),
        Cond::Any(parts) if !want => all(parts, false, accept, current),
        Cond::All(parts) | Cond::Any(parts) => {
            // One part decides: prefer one the current values already satisfy.
            let options: Vec<Constraints> = parts.iter().filter_map(|p| solve(p, want, accept, current)).collect();
            options.iter().find(|c| c.satisfied_by(current)).or(options.first()).cloned()
        }
        Cond::Field(FieldTest { field, test }) if accept(*field) => {
            let full = domain(*field)?;
            let mask = match test {
                ValueTest::InSet(mask) => *mask & full,
                ValueTest::Bool(value) => 1u128 << usize::from(*value),
                _ => return Some(Constraints::default()),
            };
            let mask = if want { mask } else { !mask & full };
            let mut c = Constraints::default();
            c.restrict(*field, mask).then_some(c)
        }
        _ => Some(Constraints::default()),
    }
}

fn all(parts: &[Cond], want: bool, accept: &dyn Fn(Field) -> bool, current: &dyn Fn(Field) -> Option<usize>) -> Option<Constraints> {
    parts.iter().try_fold(Constraints::default(), |acc, p| acc.merge(solve(p, want, accept, current)?))
}

/// Every enum or yes/no mask tested on an accepted field, outside history and case filters.
pub fn masks(cond: &Cond, accept: &dyn Fn(Field) -> bool, out: &mut Vec<(Field, u128)>) {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => parts.iter().for_each(|p| masks(p, accept, out)),
        Cond::Not(inner) => masks(inner, accept, out),
        Cond::Field(FieldTest { field, test }) if accept(*field) => match test {
            ValueTest::InSet(mask) => out.push((*field, *mask)),
            ValueTest::Bool(v) => out.push((*field, 1u128 << usize::from(*v))),
            _ => {}
        },
        _ => {}
    }
}

/// Numbers and texts tested on accepted fields (`loan.daysPastDue >= 30`, `loan.loanType in
/// {…}`), outside history and case filters.
pub fn scalar_tests<'c>(cond: &'c Cond, accept: &dyn Fn(Field) -> bool, out: &mut Vec<(Field, &'c ValueTest)>) {
    match cond {
        Cond::All(parts) | Cond::Any(parts) => parts.iter().for_each(|p| scalar_tests(p, accept, out)),
        Cond::Not(inner) => scalar_tests(inner, accept, out),
        Cond::Field(FieldTest { field, test: test @ (ValueTest::Int(..) | ValueTest::TextIn(_)) }) if accept(*field) => out.push((*field, test)),
        _ => {}
    }
}

/// The values of a domain told apart by a list of masks: one representative per class of
/// values that every mask treats alike, the current value's class first.
pub fn classes(full: u128, masks: &[u128], current: Option<usize>) -> Vec<usize> {
    let mut seen: Vec<Vec<bool>> = Vec::new();
    let mut out = Vec::new();
    let mut order: Vec<usize> = current.into_iter().collect();
    order.extend((0..128).filter(|&i| full & (1u128 << i) != 0 && Some(i) != current));
    for value in order {
        if full & (1u128 << value) == 0 {
            continue;
        }
        let signature: Vec<bool> = masks.iter().map(|m| m & (1u128 << value) != 0).collect();
        if !seen.contains(&signature) {
            seen.push(signature);
            out.push(value);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rulec_model::{Channel, Vocabulary};

    fn field(field: Field, mask: u128) -> Cond {
        Cond::Field(FieldTest { field, test: ValueTest::InSet(mask) })
    }

    fn bit(c: Channel) -> u128 {
        1 << c.index()
    }

    #[test]
    fn a_conjunction_keeps_the_current_value_when_it_fits() {
        let cond = Cond::All(vec![field(Field::RequestChannel, bit(Channel::Voice) | bit(Channel::Text)), Cond::DoNotInteract]);
        let current = |f: Field| (f == Field::RequestChannel).then_some(Channel::Text.index());
        let c = solve(&cond, true, &|_| true, &current).unwrap();
        assert_eq!(c.choose(&current), [(Field::RequestChannel, Channel::Text.index())]);
        let none = |_: Field| None;
        assert_eq!(c.choose(&none), [(Field::RequestChannel, Channel::Voice.index())]);
    }

    #[test]
    fn negation_and_contradiction() {
        let voice = field(Field::RequestChannel, bit(Channel::Voice));
        let c = solve(&Cond::Not(Box::new(voice.clone())), true, &|_| true, &|_| None).unwrap();
        assert_eq!(c.0[0].1 & bit(Channel::Voice), 0);
        let both = Cond::All(vec![voice.clone(), field(Field::RequestChannel, bit(Channel::Email))]);
        assert!(solve(&both, true, &|_| true, &|_| None).is_none());
        assert!(solve(&both, false, &|_| true, &|_| None).is_some());
    }

    #[test]
    fn classes_tell_apart_what_the_masks_do() {
        // Old set {voice, text}, new set {voice, text, email}: voice/text, email, the rest.
        let old = bit(Channel::Voice) | bit(Channel::Text);
        let new = old | bit(Channel::Email);
        let full = domain(Field::RequestChannel).unwrap();
        let reps = classes(full, &[old, new], Some(Channel::Text.index()));
        assert_eq!(reps, [Channel::Text.index(), Channel::Email.index(), Channel::Fax.index()]);
    }
}
