//! A fired rule's message, with the figures its condition saw.

use super::{Ctx, Seen};
use crate::decision::with_time_text;
use chrono::{DateTime, Utc};
use std::fmt::Write;
use rulec_check::checked::Figure as FigureName;
use rulec_check::checked::{Rule, TemplatePart, Window};
use rulec_model::Vocabulary;

/// Whether a rule's message shows a figure that only testing its condition again can give (a
/// count, its loan, the last interaction, the case, the Do Not Interact): if not, the message
/// is written without that test.
pub(super) fn needs_what_was_seen(rule: &Rule) -> bool {
    rule.message.as_ref().is_some_and(|template| {
        template.parts.iter().any(|part| {
            matches!(
                part,
                TemplatePart::Figure(FigureName::Count | FigureName::Limit | FigureName::Loan | FigureName::Last | FigureName::Case | FigureName::DoNotInteract)
            )
        })
    })
}

pub(super) fn render_message(rule: &Rule, cx: &Ctx<'_>, seen: &Seen, now: DateTime<Utc>) -> String {
    let Some(template) = &rule.message else { return rule.title.clone() };
    // Every figure is written straight into the message (writing to a `String` cannot fail).
    let mut out = String::with_capacity(template.parts.iter().map(|p| if let TemplatePart::Text(t) = p { t.len() + 8 } else { 24 }).sum());
    for part in &template.parts {
        match part {
            TemplatePart::Text(text) => out.push_str(text),
            TemplatePart::Figure(figure) => match figure {
                FigureName::Count | FigureName::Limit => match (seen.count, figure) {
                    (Some((count, _)), FigureName::Count) => _ = write!(out, "{count}"),
                    (Some((_, limit)), _) => _ = write!(out, "{limit}"),
                    (None, _) => out.push('?'),
                },
                FigureName::Loan => match seen.loan {
                    Some(loan) => out.push_str(&cx.s.loans()[loan].id),
                    None => {
                        // Sorted, so that the message does not depend on the order of the lists.
                        let mut ids: Vec<&str> = cx.loans.iter().map(|&l| cx.s.loans()[l].id.as_str()).collect();
                        ids.sort_unstable();
                        if ids.is_empty() {
                            out.push_str("(none on file)");
                        } else {
                            out.push_str(&ids.join(", "));
                        }
                    }
                },
                FigureName::Last => match seen.last {
                    Some(last) => with_time_text(last, |text| out.push_str(text)),
                    None => out.push('?'),
                },
                FigureName::LocalTimes => {
                    for (i, z) in cx.location.zones.iter().enumerate() {
                        let separator = if i == 0 { "" } else { ", " };
                        _ = write!(out, "{separator}{} in {}", cx.local(*z, now).format("%H:%M %Z"), z.name());
                    }
                }
                FigureName::Channel => out.push_str(cx.s.request().channel.name()),
                FigureName::Theme => out.push_str(cx.s.request().theme.map_or("(none)", |t| t.name())),
                FigureName::Case => out.push_str(seen.case.as_deref().unwrap_or("?")),
                FigureName::DoNotInteract => out.push_str(seen.dni.as_deref().unwrap_or("?")),
            },
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
