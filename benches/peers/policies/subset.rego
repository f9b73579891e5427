# The federal subset of rules/federal/subset.rules in Rego (v1 syntax), as the peers bench
# gives it to regorus. The harness precomputes, per scenario, what needs time-zone arithmetic:
#   input.local_seconds     seconds since local midnight of `now`, one per candidate zone
#   input.window_start_s    start of "the last 7 calendar days" (local midnight six days before
#                           today, the earliest over the candidate zones), in Unix seconds
# Everything else is the scenario as data; the policy counts the calls itself.
#   input.now_s, input.role, input.channel, input.theme, input.subject (or null),
#   input.contact_id, input.is_autodialed, input.loan_ids (the request's; [] = every loan),
#   input.all_loan_ids, input.consents ({name: value}, as given),
#   input.interactions[]: {channel, direction, status, start_s, loan_ids ([] = every loan)}
#   input.dnis[]: {channels, themes, subjects, contact_ids ([] = all), starts_s, expires_s (or null)}
package rulec.subset

default allow := false

allow if count(deny) == 0

# 12 CFR 1006.6(b)(1)(i): outside 08:00-21:00 (both ends allowed) in any candidate zone.
deny contains "federal.reg_f.inconvenient_time" if {
	input.role == "collector"
	some s in input.local_seconds
	not convenient(s)
}

convenient(s) if {
	s >= 28800
	s <= 75600
}

# 12 CFR 1006.14(b)(2)(i)(A): 7 or more calls in the last 7 calendar days about one debt.
deny contains "federal.reg_f.call_frequency" if {
	input.role == "collector"
	input.channel == "voice"
	some loan in request_loans
	count([i | some i in counted_calls; about(i, loan)]) >= 7
}

request_loans := input.loan_ids if count(input.loan_ids) > 0

request_loans := input.all_loan_ids if count(input.loan_ids) == 0

counted_calls contains i if {
	some i in input.interactions
	i.channel == "voice"
	i.direction == "outbound"
	i.status in {"attempted", "connected"}
	i.start_s >= input.window_start_s
	i.start_s <= input.now_s
}

about(i, _) if count(i.loan_ids) == 0

about(i, loan) if loan in i.loan_ids

# 47 CFR 64.1200(a)(1): autodialed call or text with `autodialedColl` revoked (default consented).
deny contains "federal.tcpa.autodialed_without_consent" if {
	input.channel in {"voice", "text"}
	input.is_autodialed
	input.consents.autodialedColl == "revoked"
}

# The platform's Do Not Interact: one that covers the request and is in force.
deny contains "federal.platform.do_not_interact" if {
	some d in input.dnis
	covers_channel(d)
	covers_theme(d)
	covers_subject(d)
	covers_contact(d)
	started(d)
	not expired(d)
}

covers_channel(d) if count(d.channels) == 0

covers_channel(d) if input.channel in d.channels

covers_theme(d) if {
	count(d.themes) == 0
	input.theme != "opsAccountCredentials"
}

covers_theme(d) if input.theme in d.themes

covers_subject(d) if count(d.subjects) == 0

covers_subject(d) if input.subject in d.subjects

covers_contact(d) if count(d.contact_ids) == 0

covers_contact(d) if input.contact_id in d.contact_ids

started(d) if d.starts_s == null

started(d) if {
	is_number(d.starts_s)
	d.starts_s <= input.now_s
}

expired(d) if {
	is_number(d.expires_s)
	input.now_s >= d.expires_s
}
