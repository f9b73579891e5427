# policies/subset.rego with the time-zone arithmetic done by the policy itself (regorus's
# `time.clock` and `time.date`, chrono-tz underneath): the harness gives the candidate zones'
# names and Unix nanoseconds instead of local clock readings and a window start.
#   input.zones              candidate IANA zones
#   input.now_ns             the instant of evaluation
#   input.interactions[]     as in subset.rego, with start_ns instead of start_s
# The rest of the input and every other rule are those of subset.rego.
package rulec.subset_tz

default allow := false

allow if count(deny) == 0

deny contains "federal.reg_f.inconvenient_time" if {
	input.role == "collector"
	some z in input.zones
	c := time.clock([input.now_ns, z])
	not convenient((c[0] * 3600 + c[1] * 60) + c[2])
}

convenient(s) if {
	s >= 28800
	s <= 75600
}

deny contains "federal.reg_f.call_frequency" if {
	input.role == "collector"
	input.channel == "voice"
	some loan in request_loans
	count([i | some i in counted_calls; about(i, loan)]) >= 7
}

request_loans := input.loan_ids if count(input.loan_ids) > 0

request_loans := input.all_loan_ids if count(input.loan_ids) == 0

# Today's local date in each candidate zone, as a day number.
today := {z: day_number(time.date([input.now_ns, z])) | some z in input.zones}

counted_calls contains i if {
	some i in input.interactions
	i.channel == "voice"
	i.direction == "outbound"
	i.status in {"attempted", "connected"}
	i.start_ns <= input.now_ns
	in_last_7_calendar_days(i.start_ns)
}

# Today and the six local calendar days before it, in at least one candidate zone (the window
# starts at the earliest of the zones' starts).
in_last_7_calendar_days(ns) if {
	some z in input.zones
	day_number(time.date([ns, z])) >= today[z] - 6
}

# The Julian day number of a [year, month, day] (Gregorian calendar).
day_number(d) := n if {
	a := floor((14 - d[1]) / 12)
	y := (d[0] + 4800) - a
	m := (d[1] + (12 * a)) - 3
	n := (((((d[2] + floor(((153 * m) + 2) / 5)) + (365 * y)) + floor(y / 4)) - floor(y / 100)) + floor(y / 400)) - 32045
}

about(i, _) if count(i.loan_ids) == 0

about(i, loan) if loan in i.loan_ids

deny contains "federal.tcpa.autodialed_without_consent" if {
	input.channel in {"voice", "text"}
	input.is_autodialed
	input.consents.autodialedColl == "revoked"
}

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
