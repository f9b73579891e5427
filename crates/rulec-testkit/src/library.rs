//! Ten times the shipped rule library, for the scaling benchmarks (`rulec-eval`'s `decide` and
//! `rulec`'s `process`): nine distinct generated rules for each shipped federal or state rule,
//! spread over the states, channels and roles as a growing library would be.
//!
//! For rule number `i` of a shipped file and each `k` in 1..=9, one rule
//! - of another state: the `k`-th state after the file's own in alphabetical order (a federal
//!   rule's variants go to the states `9i + k` modulo 51), so every state receives variants
//!   and none of a state's variants stays in that state;
//! - for one channel (voice, text, email or mail, turning with `i + k`), binding one role
//!   (creditor, servicer or collector, turning with `i + k`), about collection (`opsCollDebt`);
//! - with its own window and threshold: outbound interactions on its channel over 1-30 days,
//!   at 1,000 plus the rule's number or more, so that no two are alike and none fires on any
//!   benchmark or shipped suite case.
//!
//! The generated files are returned as (path, text), `rules/states/XX.generated.rules`, one per
//! state, to sit beside the shipped files.

const CHANNELS: [&str; 4] = ["voice", "text", "email", "mail"];
const ROLES: [&str; 3] = ["creditor", "servicer", "collector"];

/// The `jurisdiction` line of a rule file (`federal`, `MA`), if it has one.
pub fn jurisdiction_of(text: &str) -> Option<&str> {
    text.lines().find_map(|l| l.strip_prefix("jurisdiction ")).map(str::trim)
}

/// The generated files for a library given as (path, text) of every file; only the files under
/// `federal/` and `states/` are multiplied.
pub fn nine_variants_per_rule(files: &[(String, String)]) -> Vec<(String, String)> {
    let regulatory = |path: &str| path.contains("/federal/") || path.contains("/states/");
    let mut states: Vec<&str> = files.iter().filter(|(p, _)| p.contains("/states/")).filter_map(|(_, t)| jurisdiction_of(t)).collect();
    states.sort_unstable();
    states.dedup();
    assert_eq!(states.len(), 51, "50 states and DC");
    let mut generated: std::collections::BTreeMap<&str, String> = std::collections::BTreeMap::new();
    let mut number = 0;
    for (f, (path, text)) in files.iter().enumerate() {
        let Some(jurisdiction) = jurisdiction_of(text).filter(|_| regulatory(path)) else { continue };
        let own = states.iter().position(|s| *s == jurisdiction);
        let rules = text.lines().filter(|l| l.starts_with("rule ")).count();
        for i in 0..rules {
            for k in 1..=9 {
                let state = match own {
                    Some(own) => states[(own + k) % states.len()],
                    None => states[(9 * i + k) % states.len()],
                };
                let (channel, role) = (CHANNELS[(i + k) % CHANNELS.len()], ROLES[(i + k) % ROLES.len()]);
                let (days, limit) = (1 + (9 * i + k) % 30, 1000 + number);
                number += 1;
                let out = generated.entry(state).or_insert_with(|| format!("jurisdiction {state}\n"));
                out.push_str(&format!(
                    "\nrule {}.generated_{f}_{i}_{k} {{\n  title \"Generated rule {f}-{i}-{k}\"\n  cites \"benchmark\"\n  binds {role}\n  applies when channel is {channel} and theme is opsCollDebt\n  blocks when count of interactions where channel is {channel} and direction is outbound\n      in the last {days} days about this loan >= {limit}\n}}\n",
                    state.to_lowercase()
                ));
            }
        }
    }
    generated.into_iter().map(|(state, text)| (format!("rules/states/{state}.generated.rules"), text)).collect()
}
