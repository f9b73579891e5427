//! Where the borrower may be: candidate time zones and jurisdictions (docs/scenarios.md,
//! "Location and local time").

use chrono_tz::Tz;
use rulec_model::{Affiliation, Channel, ContactStatus, ContactType};
use rulec_scenario::Scenario;
use serde::Serialize;

/// Why a zone is a candidate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "from", rename_all = "camelCase")]
pub enum ZoneSource {
    /// A non-archived `self` address; `settled` when its postal code picked the one zone.
    Address { contact: String, state: String, settled: bool },
    /// The area code of the contacted phone number (voice and text requests).
    AreaCode { number: String },
    /// The area code of one of the borrower's own phone numbers (affiliation `self`, valid, not
    /// archived), whatever the channel: Regulation F reads a number's area code as information
    /// about where the consumer is, for every medium (comment 6(b)(1)(i)-1).
    OwnPhone { contact: String, number: String },
    /// `borrower.timezone`.
    BorrowerTimezone,
    /// No location at all: every zone of the 50 states and DC, so that a local-time rule
    /// holds only at times convenient everywhere in the United States.
    Fallback,
}

/// The borrower's candidate zones and jurisdictions.
#[derive(Clone, Debug, PartialEq)]
pub struct Location {
    /// Candidate zones, each once, in the order found.
    pub zones: Vec<Tz>,
    /// Why each zone (parallel to `zones`; the first reason found).
    pub sources: Vec<ZoneSource>,
    /// `federal`, then the states of non-archived `self` addresses, then localities (`NYC`).
    pub jurisdictions: Vec<&'static str>,
}

/// The zones of a borrower with no location at all: one of each clock of the states and territories.
const FALLBACK_ZONES: &[Tz] = rulec_time::NO_LOCATION_ZONES;

/// A phone number of the borrower's own that says where they may be: a phone or WhatsApp
/// contact, affiliation `self`, `valid`, status not `archived`.
fn is_own_phone(contact: &rulec_scenario::Contact) -> bool {
    matches!(contact.contact_type, ContactType::Phone | ContactType::WhatsApp)
        && contact.affiliation == Some(Affiliation::SelfParty)
        && contact.valid
        && contact.status != Some(ContactStatus::Archived)
}

/// City names that place a New York address in New York City (the five boroughs).
const NYC_CITIES: &[&str] = &["new york", "new york city", "nyc", "manhattan", "brooklyn", "queens", "bronx", "the bronx", "staten island"];

/// Whether a city name is one of [`NYC_CITIES`], in any case (Unicode lower case, so that
/// only a non-ASCII name pays for a lowered copy).
fn is_nyc_city(city: &str) -> bool {
    if city.is_ascii() {
        NYC_CITIES.iter().any(|n| n.eq_ignore_ascii_case(city))
    } else {
        NYC_CITIES.contains(&city.to_lowercase().as_str())
    }
}

impl Location {
    pub fn of(scenario: &Scenario) -> Location {
        Location::build(scenario, true)
    }

    /// The location; `sources` is left empty unless `with_sources` (deciding does not need
    /// them, and they are the only part that copies text out of the scenario).
    pub(crate) fn build(scenario: &Scenario, with_sources: bool) -> Location {
        // Room for the usual few zones and jurisdictions without growing.
        let mut location = Location { zones: Vec::with_capacity(4), sources: Vec::new(), jurisdictions: Vec::with_capacity(3) };
        location.jurisdictions.push("federal");
        let add = |location: &mut Location, zone: Tz, source: &dyn Fn() -> ZoneSource| {
            if !location.zones.contains(&zone) {
                location.zones.push(zone);
                if with_sources {
                    location.sources.push(source());
                }
            }
        };
        let mut localities = Vec::new();
        for contact in scenario.contacts() {
            let is_self = contact.affiliation == Some(Affiliation::SelfParty);
            let archived = contact.status == Some(ContactStatus::Archived);
            let Some(address) = contact.address.as_ref().filter(|_| is_self && !archived) else { continue };
            if address.country_code != "US" {
                continue;
            }
            let Some(state) = address.state.as_deref() else { continue };
            let id = || contact.id.clone().unwrap_or_else(|| "(new contact)".to_string());
            let settled = address.postal_code.as_deref().and_then(|p| rulec_time::zone_for_postal_code(state, p));
            match settled {
                Some(zone) => add(&mut location, zone, &|| ZoneSource::Address { contact: id(), state: state.to_string(), settled: true }),
                None => {
                    for zone in rulec_time::zones_for_state(state).unwrap_or(&[]) {
                        add(&mut location, *zone, &|| ZoneSource::Address { contact: id(), state: state.to_string(), settled: false });
                    }
                }
            }
            if let Some(jurisdiction) = rulec_model::state_jurisdiction(state) {
                if !location.jurisdictions.contains(&jurisdiction) {
                    location.jurisdictions.push(jurisdiction);
                }
            }
            let in_nyc = state == "NY"
                && address.city.as_deref().is_some_and(|c| is_nyc_city(c.trim()));
            if in_nyc && !localities.contains(&"NYC") {
                localities.push("NYC");
            }
        }
        location.jurisdictions[1..].sort();
        location.jurisdictions.extend(localities);

        let contact = scenario.request_contact();
        let phone_like = matches!(contact.contact_type, ContactType::Phone | ContactType::WhatsApp);
        let mut called = None;
        if matches!(scenario.request().channel, Channel::Voice | Channel::Text) && phone_like {
            if let Some(number) = contact.value.as_deref() {
                for zone in rulec_time::zones_for_phone(number).unwrap_or(&[]) {
                    add(&mut location, *zone, &|| ZoneSource::AreaCode { number: number.to_string() });
                }
                called = Some(number);
            }
        }
        for contact in scenario.contacts().iter().filter(|c| is_own_phone(c)) {
            // The number called has added its zones (and their reasons) already.
            let Some(number) = contact.value.as_deref().filter(|n| Some(*n) != called) else { continue };
            let id = || contact.id.clone().unwrap_or_else(|| "(new contact)".to_string());
            for zone in rulec_time::zones_for_phone(number).unwrap_or(&[]) {
                add(&mut location, *zone, &|| ZoneSource::OwnPhone { contact: id(), number: number.to_string() });
            }
        }
        if let Some(zone) = scenario.borrower().timezone {
            add(&mut location, zone, &|| ZoneSource::BorrowerTimezone);
        }
        if location.zones.is_empty() {
            for zone in FALLBACK_ZONES {
                add(&mut location, *zone, &|| ZoneSource::Fallback);
            }
        }
        // The order of contacts in the input must not change the decision or its output.
        if with_sources {
            let mut paired: Vec<(Tz, ZoneSource)> = location.zones.drain(..).zip(location.sources.drain(..)).collect();
            paired.sort_by(|a, b| a.0.name().cmp(b.0.name()));
            (location.zones, location.sources) = paired.into_iter().unzip();
        } else {
            location.zones.sort_by(|a, b| a.name().cmp(b.name()));
        }
        location
    }

    /// Is the borrower under this state's or locality's rules?
    pub fn has_jurisdiction(&self, name: &str) -> bool {
        self.jurisdictions.iter().any(|j| *j == name)
    }
}

#[cfg(test)]
mod tests {
    use super::is_nyc_city;

    /// A borough's name in any case places a New York address in the city; the ASCII road and
    /// the Unicode one agree (the Kelvin sign lowers to `k`).
    #[test]
    fn city_names_match_in_any_case() {
        for city in ["Brooklyn", "BROOKLYN", "new york city", "The Bronx", "Staten Island", "NYC", "BROO\u{212A}LYN"] {
            assert!(is_nyc_city(city), "{city}");
        }
        for city in ["Albany", "Brooklyn Heights", "New York, NY", "Bronx\u{e9}", ""] {
            assert!(!is_nyc_city(city), "{city}");
        }
    }
}
