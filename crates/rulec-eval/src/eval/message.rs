//! A fired rule's message, with the figures its condition saw.

use super::{Ctx, Seen};
use crate::decision::format_time;
use chrono::{DateTime, TimeZone, Utc};
use rulec_check::checked::Figure as FigureName;
use rulec_check::checked::{Rule, TemplatePart, Window};
use rulec_model::Vocabulary;

pub(super) fn render_message(rule: &Rule, cx: &Ctx<'_>, seen: &Seen, now: DateTime<Utc>) -> String {
    let Some(template) = &rule.message else { return rule.title.clone() };
    let mut out = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Text(text) => out.push_str(text),
            TemplatePart::Figure(figure) => out.push_str(&match figure {
                FigureName::Count => seen.count.map_or("?".into(), |c| c.0.to_string()),
                FigureName::Limit => seen.count.map_or("?".into(), |c| c.1.to_string()),
                FigureName::Loan => seen.loan.clone().unwrap_or_else(|| {
                    // Sorted, so that the message does not depend on the order of the lists.
                    let mut ids: Vec<String> = cx.loans.iter().map(|&l| cx.s.loans()[l].id.clone()).collect();
                    ids.sort();
                    if ids.is_empty() {
                        "(none on file)".to_string()
                    } else {
                        ids.join(", ")
                    }
                }),
                FigureName::Last => seen.last.map_or("?".into(), format_time),
                FigureName::LocalTimes => cx
                    .location
                    .zones
                    .iter()
                    .map(|z| format!("{} in {}", z.from_utc_datetime(&now.naive_utc()).format("%H:%M %Z"), z.name()))
                    .collect::<Vec<_>>()
                    .join(", "),
                FigureName::Channel => cx.s.request().channel.name().to_string(),
                FigureName::Theme => cx.s.request().theme.map_or("(none)".into(), |t| t.name().to_string()),
                FigureName::Case => seen.case.clone().unwrap_or_else(|| "?".into()),
                FigureName::DoNotInteract => seen.dni.clone().unwrap_or_else(|| "?".into()),
            }),
        }
    }
    out
}

pub(super) fn describe_window(window: &Window) -> String {
    match window {
        Window::Rolling { seconds } if seconds % 86_400 == 0 => format!("in the last {} days", seconds / 86_400),
        Window::Rolling { seconds } if seconds % 3_600 == 0 => format!("in the last {} hours", seconds / 3_600),
        Window::Rolling { seconds } => format!("in the last {} minutes", seconds / 60),
        Window::CalendarDays { days: 1 } => "today".to_string(),
        Window::CalendarDays { days } => format!("in the last {days} calendar days"),
        Window::CalendarWeek { starting } => format!("this calendar week starting {}", starting.name()),
        Window::CalendarMonth => "this calendar month".to_string(),
        Window::SinceLast { .. } => "since the last matching interaction".to_string(),
    }
}
