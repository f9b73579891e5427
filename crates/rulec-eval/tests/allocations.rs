//! The hot path's memory behaviour: deciding an allowed request allocates the same number of
//! times whatever the length of the borrower's history (rules that look at the history count
//! in place; only the decision's own output is allocated).

use rulec_eval::Engine;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|a| a.set(a.get() + 1));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_of(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

/// A collector's call to a Boston borrower with `n` past emails and calls, one a day, the
/// newest 8 days ago: every Regulation F and Massachusetts rule looks and allows.
fn scenario(n: usize) -> rulec_scenario::Scenario {
    let mut text = String::from(
        "now: 2026-03-10T15:00:00Z\ncompany: {role: collector}\nborrower: {id: BO-AAAA-1111}\ncontacts:\n\
         - {id: CT-HOME-0001, contactType: address, affiliation: self, address: {state: MA, city: Boston, postalCode: \"02108\"}}\n\
         - {id: CT-CELL-0001, contactType: phone, label: personal, affiliation: self, value: \"+16175550100\"}\n\
         loans: [{id: LN-AAAA-0001}]\n\
         request: {channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001, loanId: LN-AAAA-0001}\ninteractions:\n  []\n",
    );
    if n > 0 {
        text.truncate(text.len() - "  []\n".len());
    }
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-10T15:00:00Z").unwrap();
    for i in 0..n {
        let channel = if i % 2 == 0 { "email" } else { "voice" };
        text.push_str(&format!(
            "  - {{id: IN-{i:05}, channel: {channel}, direction: outbound, status: attempted, theme: opsCollDebt, startAt: {}, contactId: CT-CELL-0001, loanIds: [LN-AAAA-0001]}}\n",
            (now - chrono::Duration::days(8 + i as i64)).to_rfc3339()
        ));
    }
    rulec_scenario::load_scenario(&text).unwrap_or_else(|e| panic!("{e}")).0
}

#[test]
fn an_allowed_decision_allocates_the_same_whatever_the_history() {
    let rules = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules"));
    let engine = Engine::from_dir(rules).unwrap_or_else(|e| panic!("{e}"));
    let mut counts = Vec::new();
    for n in [0, 20, 200, 2_000] {
        let scenario = scenario(n);
        let decision = engine.decide(&scenario).expect("decides");
        assert!(decision.result, "the request is allowed with {n} past interactions: {:?}", decision.blocked_by);
        assert!(decision.rules_evaluated > 5, "rules that look at the history are in force");
        counts.push(allocations_of(|| {
            engine.decide(&scenario).expect("decides");
        }));
    }
    assert!(counts.windows(2).all(|w| w[0] == w[1]), "allocations per decision by history length 0, 20, 200, 2000: {counts:?}");
}
