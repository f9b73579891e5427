//! What changed between two checked rule sets, by meaning: a rule is compared by id on what it
//! decides (scope, condition, exceptions, roles, dates, severity) and on its wording, never on
//! where it is written. Reformatting, reordering or moving rules between files changes nothing.

use rulec_check::checked::{Policy, Rule, RuleSet};
use serde::Serialize;

/// The differences between an old and a new rule set.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleChanges {
    /// Rule ids only in the new set.
    pub added: Vec<String>,
    /// Rule ids only in the old set.
    pub removed: Vec<String>,
    /// Rules in both whose meaning or wording differs.
    pub changed: Vec<ChangedRule>,
    /// Policies added, removed or changed.
    pub policies: Vec<ChangedPolicy>,
}

/// A rule in both sets that differs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChangedRule {
    pub rule: String,
    /// What differs: `scope`, `condition`, `exceptions`, `roles`, `effective dates`,
    /// `severity`, `jurisdiction`, `wording` (title, citations, message).
    pub what: Vec<&'static str>,
}

impl ChangedRule {
    /// Only the title, citations or message differ: no decision can flip.
    pub fn wording_only(&self) -> bool {
        self.what == ["wording"]
    }
}

/// A policy that differs, and the rules whose decisions under it may change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChangedPolicy {
    pub policy: String,
    /// `added`, `removed`, `use`, `mutes`, `extends`, `rules`.
    pub what: Vec<&'static str>,
    /// Rules muted, extended or selected differently, and the policy's own rules that changed.
    pub rules: Vec<String>,
}

impl RuleChanges {
    /// Nothing that could change a decision or its wording.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty() && self.policies.is_empty()
    }

    /// The (rule, policy) pairs whose decisions may change: every added or removed rule, every
    /// rule whose meaning changed (with no policy), and each rule a changed policy touches
    /// (under that policy). Sorted, without repeats.
    pub fn targets(&self) -> Vec<(String, Option<String>)> {
        let mut out: Vec<(String, Option<String>)> = Vec::new();
        out.extend(self.added.iter().chain(&self.removed).map(|id| (id.clone(), None)));
        out.extend(self.changed.iter().filter(|c| !c.wording_only()).map(|c| (c.rule.clone(), None)));
        for p in &self.policies {
            out.extend(p.rules.iter().map(|id| (id.clone(), Some(p.policy.clone()))));
        }
        out.sort();
        out.dedup();
        out
    }

    /// Every rule id a change names (for attributing a changed decision).
    pub fn rule_ids(&self) -> Vec<String> {
        let mut out: Vec<String> = self.added.iter().chain(&self.removed).cloned().collect();
        out.extend(self.changed.iter().map(|c| c.rule.clone()));
        out.extend(self.policies.iter().flat_map(|p| p.rules.iter().cloned()));
        out.sort();
        out.dedup();
        out
    }
}

/// Compares two checked rule sets.
pub fn compare(old: &RuleSet, new: &RuleSet) -> RuleChanges {
    let mut changes = RuleChanges::default();
    for rule in &new.rules {
        match old.rule(&rule.id) {
            None => changes.added.push(rule.id.clone()),
            Some(before) => {
                let what = rule_differences(before, rule);
                if !what.is_empty() {
                    changes.changed.push(ChangedRule { rule: rule.id.clone(), what });
                }
            }
        }
    }
    changes.removed = old.rules.iter().filter(|r| new.rule(&r.id).is_none()).map(|r| r.id.clone()).collect();
    let mut names: Vec<&str> = old.policies.iter().chain(&new.policies).map(|p| p.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        if let Some(change) = policy_differences(name, old, new) {
            changes.policies.push(change);
        }
    }
    changes.added.sort();
    changes.removed.sort();
    changes.changed.sort_by(|a, b| a.rule.cmp(&b.rule));
    changes
}

fn rule_differences(a: &Rule, b: &Rule) -> Vec<&'static str> {
    let mut what = Vec::new();
    if a.applies != b.applies {
        what.push("scope");
    }
    if a.condition != b.condition {
        what.push("condition");
    }
    if a.exceptions != b.exceptions {
        what.push("exceptions");
    }
    if a.roles != b.roles {
        what.push("roles");
    }
    if (a.effective_from, a.effective_until) != (b.effective_from, b.effective_until) {
        what.push("effective dates");
    }
    if a.severity != b.severity {
        what.push("severity");
    }
    if a.jurisdiction != b.jurisdiction {
        what.push("jurisdiction");
    }
    if (&a.title, &a.citations, &a.message) != (&b.title, &b.citations, &b.message) {
        what.push("wording");
    }
    what
}

/// A policy's parts with rule indices replaced by ids, so that two rule sets compare.
#[derive(PartialEq)]
struct PolicyView {
    uses: Option<(bool, bool, Vec<String>)>,
    mutes: Vec<(Vec<String>, String, String, chrono::NaiveDate)>,
    extends: Vec<(Vec<String>, u128)>,
    rules: Vec<String>,
}

fn view(policy: &Policy, set: &RuleSet) -> PolicyView {
    let ids = |indices: &[usize]| {
        let mut ids: Vec<String> = indices.iter().filter_map(|&i| set.rules.get(i)).map(|r| r.id.clone()).collect();
        ids.sort();
        ids
    };
    let mut mutes: Vec<_> = policy.mutes.iter().map(|m| (ids(&m.rules), m.reason.clone(), m.approved_by.clone(), m.until)).collect();
    mutes.sort();
    let mut extends: Vec<_> = policy.extends.iter().map(|e| (ids(&e.rules), e.roles.bits())).collect();
    extends.sort();
    PolicyView {
        uses: policy.uses.as_ref().map(|s| {
            let mut states = s.states.clone();
            states.sort();
            (s.federal, s.all_states, states)
        }),
        mutes,
        extends,
        rules: ids(&policy.rules),
    }
}

fn policy_differences(name: &str, old: &RuleSet, new: &RuleSet) -> Option<ChangedPolicy> {
    let (before, after) = (old.policy(name), new.policy(name));
    let mut what = Vec::new();
    let mut rules: Vec<String> = Vec::new();
    let rules_of = |p: &Policy, set: &RuleSet| -> Vec<String> {
        let v = view(p, set);
        let mut all: Vec<String> = v.mutes.into_iter().flat_map(|m| m.0).chain(v.extends.into_iter().flat_map(|e| e.0)).collect();
        all.extend(v.rules);
        all
    };
    match (before, after) {
        (None, None) => return None,
        (None, Some(p)) => {
            what.push("added");
            rules = rules_of(p, new);
        }
        (Some(p), None) => {
            what.push("removed");
            rules = rules_of(p, old);
        }
        (Some(a), Some(b)) => {
            let (va, vb) = (view(a, old), view(b, new));
            if va == vb && !own_rules_changed(&va.rules, old, new) {
                return None;
            }
            if va.uses != vb.uses {
                what.push("use");
                // A different selection changes which jurisdictions' rules apply: every rule of
                // a jurisdiction selected on one side only.
                rules.extend(selection_difference(a, b, new).into_iter().chain(selection_difference(a, b, old)));
            }
            if va.mutes != vb.mutes {
                what.push("mutes");
                rules.extend(symmetric(&va.mutes, &vb.mutes).into_iter().flat_map(|m| m.0.clone()));
            }
            if va.extends != vb.extends {
                what.push("extends");
                rules.extend(symmetric(&va.extends, &vb.extends).into_iter().flat_map(|e| e.0.clone()));
            }
            if va.rules != vb.rules || own_rules_changed(&va.rules, old, new) {
                what.push("rules");
                rules.extend(symmetric(&va.rules, &vb.rules).into_iter().cloned());
                rules.extend(va.rules.iter().filter(|id| matches!((old.rule(id), new.rule(id)), (Some(x), Some(y)) if !rule_differences(x, y).iter().all(|w| *w == "wording"))).cloned());
            }
        }
    }
    rules.sort();
    rules.dedup();
    Some(ChangedPolicy { policy: name.to_string(), what, rules })
}

fn own_rules_changed(ids: &[String], old: &RuleSet, new: &RuleSet) -> bool {
    ids.iter().any(|id| match (old.rule(id), new.rule(id)) {
        (Some(a), Some(b)) => !rule_differences(a, b).is_empty(),
        _ => true,
    })
}

fn symmetric<'a, T: PartialEq>(a: &'a [T], b: &'a [T]) -> Vec<&'a T> {
    a.iter().filter(|x| !b.contains(x)).chain(b.iter().filter(|x| !a.contains(x))).collect()
}

/// Rules of `set` in jurisdictions one policy selects and the other does not.
fn selection_difference(a: &Policy, b: &Policy, set: &RuleSet) -> Vec<String> {
    use rulec_check::checked::Jurisdiction;
    let selects = |p: &Policy, j: &Jurisdiction| match (&p.uses, j) {
        (None, _) => true,
        (Some(s), Jurisdiction::Federal) => s.federal,
        (Some(s), Jurisdiction::State(code) | Jurisdiction::Locality { state: code, .. }) => s.all_states || s.states.contains(code),
        (Some(_), Jurisdiction::Policy(_)) => true,
    };
    set.rules.iter().filter(|r| selects(a, &r.jurisdiction) != selects(b, &r.jurisdiction)).map(|r| r.id.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rulec_syntax::SourceFile;

    fn rules(files: &[(&str, &str)]) -> RuleSet {
        let sources: Vec<SourceFile> = files.iter().map(|(p, t)| SourceFile::new(*p, *t)).collect();
        let checked = rulec_check::check_sources(&sources, &rulec_check::CheckOptions::default());
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        checked.rule_set
    }

    const CAP: &str = "rule ma.cap {\n  title \"Cap\"\n  cites \"940 CMR 7.04\"\n  binds creditor\n  blocks when count of calls in the last 7 days >= 2\n}\n";

    #[test]
    fn layout_and_order_are_not_changes() {
        let other = "rule ma.other {\n  title \"Other\"\n  cites \"x\"\n  binds creditor\n  blocks when channel is fax\n}\n";
        let old = rules(&[("rules/states/MA.rules", &format!("{CAP}{other}"))]);
        let reformatted = format!("# moved\n{other}\n\n{}", CAP.replace("  blocks when", "  blocks when\n     "));
        let new = rules(&[("rules/states/MA.rules", &reformatted)]);
        let changes = compare(&old, &new);
        assert!(changes.is_empty(), "{changes:?}");
        assert!(changes.targets().is_empty());
    }

    #[test]
    fn a_number_a_role_and_wording_are_told_apart() {
        let old = rules(&[("rules/states/MA.rules", CAP)]);
        let new = rules(&[("rules/states/MA.rules", &CAP.replace(">= 2", ">= 3").replace("binds creditor", "binds creditor, servicer"))]);
        assert_eq!(compare(&old, &new).changed, [ChangedRule { rule: "ma.cap".into(), what: vec!["condition", "roles"] }]);
        let worded = rules(&[("rules/states/MA.rules", &CAP.replace("\"Cap\"", "\"The cap\""))]);
        let changes = compare(&old, &worded);
        assert!(changes.changed[0].wording_only());
        assert!(changes.targets().is_empty(), "wording alone decides nothing");
        let gone = rules(&[("rules/states/MA.rules", "jurisdiction MA\n")]);
        assert_eq!(compare(&old, &gone).removed, ["ma.cap"]);
        assert_eq!(compare(&gone, &old).targets(), [("ma.cap".to_string(), None)]);
    }

    #[test]
    fn a_new_mute_targets_the_muted_rule_under_its_policy() {
        let policy = "policy acme\n";
        let muted = "policy acme\n\nmute ma.cap {\n  reason \"test\"\n  approved by \"CCO\"\n  until 2027-01-01\n}\n";
        let old = rules(&[("rules/states/MA.rules", CAP), ("rules/policies/acme.policy", policy)]);
        let new = rules(&[("rules/states/MA.rules", CAP), ("rules/policies/acme.policy", muted)]);
        let changes = compare(&old, &new);
        assert_eq!(changes.policies, [ChangedPolicy { policy: "acme".into(), what: vec!["mutes"], rules: vec!["ma.cap".into()] }]);
        assert_eq!(changes.targets(), [("ma.cap".to_string(), Some("acme".to_string()))]);
    }
}
