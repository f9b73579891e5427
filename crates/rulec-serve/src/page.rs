//! The review page for compliance teams, server-rendered (no JavaScript): the rules in force by
//! jurisdiction with search, the policies and their mutes, and a playground that decides a
//! scenario and draws the week ahead.

use crate::state::Service;
use axum::extract::{Form, Query, State};
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

const BASE: &str = include_str!("../templates/base.html");
const RULES: &str = include_str!("../templates/rules.html");
const POLICIES: &str = include_str!("../templates/policies.html");
const PLAYGROUND: &str = include_str!("../templates/playground.html");

/// The scenario the playground starts with.
const EXAMPLE: &str = "now: 2026-03-10T11:30:00Z
company: {role: collector}
borrower: {id: BO-AAAA-1111}
contacts:
  - {id: CT-HOME-0001, contactType: address, affiliation: self, address: {state: NY, city: Albany, postalCode: \"12207\"}}
  - {id: CT-CELL-0001, contactType: phone, label: personal, affiliation: self, value: \"+15185550100\"}
loans: [{id: LN-AAAA-0001}]
request: {channel: voice, theme: opsCollDebt, contactId: CT-CELL-0001, loanId: LN-AAAA-0001}
";

fn render(template: &str, context: Value) -> Response {
    let mut env = minijinja::Environment::new();
    let loaded = env.add_template("base.html", BASE).and_then(|()| env.add_template("page.html", template));
    let page = loaded.and_then(|()| env.get_template("page.html")).and_then(|t| t.render(minijinja::Value::from_serialize(&context)));
    match page {
        Ok(html) => Html(html).into_response(),
        Err(e) => (axum::http::StatusCode::INTERNAL_SERVER_ERROR, format!("the page could not be rendered: {e}")).into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    q: String,
}

pub async fn rules(State(service): State<Arc<Service>>, Query(search): Query<Search>) -> Response {
    let loaded = service.rules();
    let q = search.q.trim().to_lowercase();
    let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut count = 0;
    for rule in &loaded.engine.rule_set().rules {
        let haystack = format!("{} {} {} {}", rule.id, rule.title, rule.citations.join(" "), rule.doc.join(" ")).to_lowercase();
        if !q.is_empty() && !haystack.contains(&q) {
            continue;
        }
        count += 1;
        groups.entry(rule.jurisdiction.label()).or_default().push(crate::api::rule_json(rule));
    }
    let groups: Vec<Value> = groups.into_iter().map(|(jurisdiction, rules)| json!({"jurisdiction": jurisdiction, "rules": rules})).collect();
    render(RULES, json!({"q": search.q, "count": count, "groups": groups}))
}

pub async fn policies(State(service): State<Arc<Service>>) -> Response {
    let loaded = service.rules();
    let soon = (Utc::now() + Duration::days(30)).date_naive();
    let mut list = crate::api::policies_json(loaded.engine.rule_set());
    for policy in &mut list {
        if let Some(mutes) = policy["mutes"].as_array_mut() {
            for mute in mutes {
                let expiring = mute["until"].as_str().and_then(|d| d.parse::<chrono::NaiveDate>().ok()).is_some_and(|d| d <= soon);
                mute["expiring"] = json!(expiring);
            }
        }
    }
    render(POLICIES, json!({"policies": list}))
}

#[derive(Deserialize, Default)]
pub struct Playground {
    #[serde(default)]
    scenario: String,
    #[serde(default)]
    policy: String,
}

pub async fn playground_form(State(service): State<Arc<Service>>) -> Response {
    playground_page(&service, EXAMPLE, "", None, None)
}

pub async fn playground(State(service): State<Arc<Service>>, Form(form): Form<Playground>) -> Response {
    let worker = service.clone();
    let text = form.scenario.clone();
    let policy = form.policy.clone();
    let outcome = tokio::task::spawn_blocking(move || decide_with_week(&worker, &text, &policy)).await;
    match outcome {
        Ok(Ok((decision, timeline))) => playground_page(&service, &form.scenario, &form.policy, Some((decision, timeline)), None),
        Ok(Err(error)) => playground_page(&service, &form.scenario, &form.policy, None, Some(error)),
        Err(_) => playground_page(&service, &form.scenario, &form.policy, None, Some("the decision failed".into())),
    }
}

fn playground_page(service: &Service, scenario: &str, policy: &str, decided: Option<(Value, String)>, error: Option<String>) -> Response {
    let loaded = service.rules();
    let policies: Vec<&str> = loaded.engine.rule_set().policies.iter().map(|p| p.name.as_str()).collect();
    let (decision, trace, timeline) = match decided {
        Some((decision, timeline)) => (decision["data"].clone(), decision["trace"].clone(), timeline),
        None => (Value::Null, Value::Null, String::new()),
    };
    render(PLAYGROUND, json!({"scenario": scenario, "policy": policy, "policies": policies, "decision": decision, "trace": trace, "timeline": timeline, "error": error}))
}

/// The decision (with its trace) and the week's timeline.
fn decide_with_week(service: &Service, text: &str, policy: &str) -> Result<(Value, String), String> {
    let loaded = service.rules();
    let mut scenario = match rulec_scenario::load_document_with(text, &service.config.limits) {
        Ok(rulec_scenario::Document::Scenario { scenario, .. }) => scenario,
        Ok(rulec_scenario::Document::Suite(_)) => return Err("this is a suite; paste one scenario".into()),
        Err(errors) => return Err(errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")),
    };
    if !policy.is_empty() {
        scenario.set_policy(Some(policy.to_string()));
    }
    let decision = loaded.engine.explain(&scenario).map_err(|e| e.message)?;
    let mut value = decision.to_json();
    value["trace"] = serde_json::to_value(&decision.trace).unwrap_or(Value::Null);
    let zones = loaded.engine.locate(&scenario).zones;
    Ok((value, week_timeline(&loaded.engine, &scenario, &zones)))
}

/// Minutes between the samples of the timeline.
const STEP_MINUTES: i64 = 15;

/// One row per candidate zone over the seven days from the scenario's instant, in that zone's
/// local days: blocked spans in red, labelled with the rule that blocks them (the first by id),
/// sampled every 15 minutes. A picture for people: release times themselves are exact.
pub fn week_timeline(engine: &rulec_eval::Engine, scenario: &rulec_scenario::Scenario, zones: &[chrono_tz::Tz]) -> String {
    let start = scenario.now();
    let steps = 7 * 24 * 60 / STEP_MINUTES;
    // Each sample: the blocking rule, or none.
    let samples: Vec<Option<String>> = (0..steps)
        .map(|i| {
            let mut at = scenario.clone();
            let t = start + Duration::minutes(i * STEP_MINUTES);
            // Past the end of year 9999 a scenario holds no instant: nothing is drawn there.
            at.set_now(t).ok()?;
            at.set_request_start(t).ok()?;
            engine.decide(&at).ok().and_then(|d| d.blocked_by.first().map(|f| f.rule.clone()))
        })
        .collect();
    let (day_width, row_height, label_width) = (140.0, 34.0, 150.0);
    let width = label_width + 8.0 * day_width;
    let mut svg = format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{}" role="img" aria-label="week timeline">"#, 24.0 + row_height * zones.len() as f64);
    for (row, zone) in zones.iter().enumerate() {
        let y = 20.0 + row_height * row as f64;
        let local_start = zone.from_utc_datetime(&start.naive_utc());
        let midnight = rulec_time::window::start_of_local_day(local_start.date_naive(), *zone);
        let x_of = |t: DateTime<Utc>| label_width + (t - midnight).num_minutes() as f64 / (24.0 * 60.0) * day_width;
        svg.push_str(&format!(r#"<text x="4" y="{}" font-size="12">{}</text>"#, y + 18.0, zone.name()));
        for day in 0..8 {
            let x = label_width + day as f64 * day_width;
            let date = local_start.date_naive() + Duration::days(day);
            svg.push_str(&format!(r##"<line x1="{x}" y1="{y}" x2="{x}" y2="{}" stroke="#bbb"/><text x="{}" y="{}" font-size="9" fill="#666">{}</text>"##, y + 26.0, x + 2.0, y - 2.0, date.format("%a %d")));
        }
        svg.push_str(&format!(r##"<rect x="{}" y="{}" width="{}" height="22" fill="#dff3e4"/>"##, x_of(start), y + 4.0, x_of(start + Duration::days(7)) - x_of(start)));
        let mut i = 0;
        while i < samples.len() {
            let Some(rule) = &samples[i] else {
                i += 1;
                continue;
            };
            let mut j = i;
            while j < samples.len() && samples[j].as_ref() == Some(rule) {
                j += 1;
            }
            let (from, to) = (start + Duration::minutes(i as i64 * STEP_MINUTES), start + Duration::minutes(j as i64 * STEP_MINUTES));
            let (x0, x1) = (x_of(from), x_of(to));
            svg.push_str(&format!(
                r##"<rect class="blocked" x="{x0:.1}" y="{}" width="{:.1}" height="22" fill="#f4b6b6"><title>{rule}: {} – {}</title></rect>"##,
                y + 4.0,
                x1 - x0,
                from.with_timezone(zone).format("%a %H:%M"),
                to.with_timezone(zone).format("%a %H:%M")
            ));
            if x1 - x0 > 60.0 {
                let short = rule.rsplit('.').next().unwrap_or(rule);
                svg.push_str(&format!(r#"<text x="{:.1}" y="{}" font-size="9">{short}</text>"#, x0 + 2.0, y + 18.0));
            }
            i = j;
        }
    }
    svg.push_str("</svg>");
    svg
}
