//! Properties every decision must have, checked over generated scenarios (a fixed-seed
//! generator, so failures reproduce): input order does not matter; one more past call never
//! turns a blocked frequency decision into allowed; `nextAllowedAt` re-evaluates to allowed.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rulec_eval::Engine;
use rulec_syntax::SourceFile;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

fn engine() -> Engine {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/federal/reg_f.rules");
    let text = std::fs::read_to_string(path).expect("shipped rules");
    Engine::from_sources(vec![SourceFile::new("rules/federal/reg_f.rules", text)]).unwrap_or_else(|e| panic!("{e}"))
}

/// A generated scenario: `contacts`, `cases` and `interactions` as separate YAML list items so
/// that tests can reorder them.
struct Generated {
    now: DateTime<Utc>,
    contacts: Vec<String>,
    cases: Vec<String>,
    interactions: Vec<String>,
    loan: &'static str,
}

impl Generated {
    fn new(rng: &mut Rng) -> Generated {
        let base = Utc.with_ymd_and_hms(2026, 1, 5, 0, 0, 0).single().expect("valid");
        let now = base + Duration::minutes(rng.below(60 * 24 * 300) as i64);
        let states = ["NY", "CA", "FL", "TX", "MA", "IL", "AZ", "HI"];
        let phones = ["+12125550100", "+13105550100", "+13055550100", "+16175550100", "+18085550100", "+16025550100"];
        let mut contacts = vec![format!("{{id: CT-CELL-0001, contactType: phone, label: personal, affiliation: self, value: \"{}\"}}", rng.pick(&phones))];
        for i in 0..rng.below(3) {
            contacts.push(format!("{{id: CT-ADDR-{i:04}, contactType: address, affiliation: self, address: {{state: {}}}}}", rng.pick(&states)));
        }
        let mut cases = Vec::new();
        if rng.below(6) == 0 {
            cases.push("{id: CS-CEAS-0001, caseType: ceaseCommunication, status: processing}".to_string());
        }
        let loans = ["LN-AAAA-0001", "LN-BBBB-0002"];
        let statuses = ["attempted", "connected", "failed", "attempted", "attempted"];
        let mut interactions = Vec::new();
        for i in 0..rng.below(14) {
            let at = now - Duration::minutes(rng.below(60 * 24 * 10) as i64 + 1);
            interactions.push(format!(
                "{{id: IN-GEN-{i:04}, channel: voice, direction: {}, status: {}, startAt: {}, contactId: CT-CELL-0001, loanIds: [{}]}}",
                if rng.below(5) == 0 { "inbound" } else { "outbound" },
                rng.pick(&statuses),
                at.to_rfc3339(),
                rng.pick(&loans),
            ));
        }
        Generated { now, contacts, cases, interactions, loan: loans[0] }
    }

    fn yaml(&self, now: DateTime<Utc>) -> String {
        let list = |items: &[String]| if items.is_empty() { "[]".to_string() } else { format!("\n{}", items.iter().map(|i| format!("  - {i}\n")).collect::<String>()) };
        format!(
            "now: {}\ncompany: {{role: collector}}\nborrower: {{id: BO-GENE-0001}}\nloans: [{{id: LN-AAAA-0001}}, {{id: LN-BBBB-0002}}]\ncontacts: {}\ncases: {}\ninteractions: {}\nrequest: {{channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001, loanId: {}}}\n",
            now.to_rfc3339(),
            list(&self.contacts),
            list(&self.cases),
            list(&self.interactions),
            self.loan
        )
    }

    fn decide(&self, engine: &Engine, now: DateTime<Utc>) -> rulec_eval::Decision {
        let text = self.yaml(now);
        let scenario = rulec_scenario::load_scenario(&text).unwrap_or_else(|e| panic!("{e}\n{text}")).0;
        engine.decide(&scenario).expect("decides")
    }
}

#[test]
fn decision_does_not_depend_on_input_order() {
    let engine = engine();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..300 {
        let mut generated = Generated::new(&mut rng);
        let before = generated.decide(&engine, generated.now);
        generated.contacts[1..].reverse();
        generated.interactions.reverse();
        generated.cases.reverse();
        let after = generated.decide(&engine, generated.now);
        assert_eq!(before, after, "{}", generated.yaml(generated.now));
    }
}

#[test]
fn one_more_past_call_never_allows_a_blocked_frequency_decision() {
    let engine = engine();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for _ in 0..300 {
        let mut generated = Generated::new(&mut rng);
        let before = generated.decide(&engine, generated.now);
        let frequency_blocked = before.blocked_by.iter().any(|f| f.rule.contains("call_"));
        let at = generated.now - Duration::minutes(rng.below(60 * 24 * 8) as i64 + 1);
        generated.interactions.push(format!(
            "{{id: IN-NEW-0001, channel: voice, direction: outbound, status: attempted, startAt: {}, contactId: CT-CELL-0001, loanIds: [{}]}}",
            at.to_rfc3339(),
            generated.loan
        ));
        let after = generated.decide(&engine, generated.now);
        if frequency_blocked {
            assert!(!after.result, "{}", generated.yaml(generated.now));
            assert!(after.blocked_by.iter().any(|f| f.rule.contains("call_")));
        }
    }
}

#[test]
fn next_allowed_at_re_evaluates_to_allowed() {
    let engine = engine();
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let mut checked = 0;
    for _ in 0..400 {
        let generated = Generated::new(&mut rng);
        let decision = generated.decide(&engine, generated.now);
        if let Some(next) = decision.next_allowed_at {
            checked += 1;
            assert!(next >= generated.now);
            let later = generated.decide(&engine, next);
            assert!(later.result, "blocked again at {next}: {:?}\n{}", later.blocked_by, generated.yaml(generated.now));
            // And it is the earliest such instant: one second before, something still blocks.
            if next > generated.now {
                let just_before = generated.decide(&engine, next - Duration::seconds(1));
                assert!(!just_before.result, "already allowed before {next}\n{}", generated.yaml(generated.now));
            }
        }
    }
    assert!(checked > 50, "the generator must produce blocked decisions with a release ({checked})");
}
