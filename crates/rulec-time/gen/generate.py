#!/usr/bin/env python3
"""Rebuilds rulec-time's zone tables from pinned, openly licensed sources.

Run by hand (never at build time); commit what it writes. See docs/zones.md.

    python3 -m venv /tmp/zones-venv
    /tmp/zones-venv/bin/pip install -r crates/rulec-time/gen/requirements.txt
    /tmp/zones-venv/bin/python crates/rulec-time/gen/generate.py

Sources (versions pinned in requirements.txt; the script refuses any other):
  * libphonenumber (PyPI `phonenumbers`, Apache-2.0): every US and territory geographic area
    code, its state, and its zones at area-code and exchange level.
  * PyPI `zipcodes` (MIT; data from unitedstateszipcodes.org, GeoNames coordinates CC BY 4.0,
    USPS): every ZIP code with its state, coordinates, a zone (cross-check) and the area codes
    that serve it (used to find overlays).
  * PyPI `timezonefinder` (MIT) with `timezonefinder-data` (ODbL; timezone-boundary-builder,
    from OpenStreetMap): the zone at a ZIP's coordinates and within BUFFER_KM of them.
  * PyPI `tzdata` (Apache-2.0; the IANA tz database): which zones have kept the same clock.
  * gen/overrides.tsv (places that keep another zone's time), gen/overlays.tsv (overlays the
    ZIP dataset does not know yet), gen/source_errors.tsv (facts of the sources that are wrong).

The tables never narrow a zone set below what a source supports: a ZIP gets the zone at its
coordinates, the dataset's zone and every zone of its own state within BUFFER_KM; an area code
gets every zone libphonenumber gives it or any of its exchanges, its overlay partners' zones
and its overrides. Only a line of source_errors.tsv removes a source's zone.

Zones that have kept identical UTC offsets since CLOCK_FROM (e.g. America/Indiana/Vincennes and
America/Indiana/Indianapolis) are one clock: each state writes each clock under one name, the one
most of its ZIP codes have in the polygons.
"""

from __future__ import annotations

import collections
import datetime as dt
import math
import sys
import zoneinfo
from importlib import metadata
from pathlib import Path

PINS = {
    "phonenumbers": "9.0.43",
    "zipcodes": "3.0.0",
    "timezonefinder": "9.0.0",
    "timezonefinder-data": "3.2026.3.post1",
    "tzdata": "2026.6",
}

# A ZIP code's coordinates are one point of an area several kilometres across: every zone of its
# state found within this distance is added, so ZIP codes that straddle a line get both zones.
BUFFER_KM = 5.0
BUFFER_BEARINGS = 16
# ... and only when a ZIP code of its own state within this distance is in that zone.
STATE_ZONE_KM = 30.0

# Zones with identical offsets at every instant from CLOCK_FROM to CLOCK_TO are one clock.
CLOCK_FROM = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
CLOCK_TO = dt.datetime(2038, 1, 1, tzinfo=dt.timezone.utc)

# Overlay detection: code B shares code A's area when at least this share of the ZIP codes
# listed with B are listed with A too (both codes in the same state).
OVERLAY_SHARE = 0.9

USPS = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP"
).split()
TERRITORY_REGIONS = {"PR": "PR", "GU": "GU", "VI": "VI", "AS": "AS", "MP": "MP"}
STATE_NAMES = {
    "Alabama": "AL", "Alaska": "AK", "Arizona": "AZ", "Arkansas": "AR", "California": "CA",
    "Colorado": "CO", "Connecticut": "CT", "Delaware": "DE", "Florida": "FL", "Georgia": "GA",
    "Hawaii": "HI", "Idaho": "ID", "Illinois": "IL", "Indiana": "IN", "Iowa": "IA",
    "Kansas": "KS", "Kentucky": "KY", "Louisiana": "LA", "Maine": "ME", "Maryland": "MD",
    "Massachusetts": "MA", "Michigan": "MI", "Minnesota": "MN", "Mississippi": "MS",
    "Missouri": "MO", "Montana": "MT", "Nebraska": "NE", "Nevada": "NV", "New Hampshire": "NH",
    "New Jersey": "NJ", "New Mexico": "NM", "New York": "NY", "North Carolina": "NC",
    "North Dakota": "ND", "Ohio": "OH", "Oklahoma": "OK", "Oregon": "OR", "Pennsylvania": "PA",
    "Rhode Island": "RI", "South Carolina": "SC", "South Dakota": "SD", "Tennessee": "TN",
    "Texas": "TX", "Utah": "UT", "Vermont": "VT", "Virginia": "VA", "Washington": "WA",
    "Washington State": "WA", "West Virginia": "WV", "Wisconsin": "WI", "Wyoming": "WY",
    "Washington D.C.": "DC",
}

GEN = Path(__file__).resolve().parent
CRATE = GEN.parent
DATA = CRATE / "data"
SNAPSHOT = CRATE / "tests" / "sources"


def fail(message: str) -> None:
    print(f"generate.py: {message}", file=sys.stderr)
    sys.exit(1)


def check_pins() -> None:
    for package, pinned in PINS.items():
        try:
            installed = metadata.version(package)
        except metadata.PackageNotFoundError:
            fail(f"{package}=={pinned} is not installed (pip install -r {GEN / 'requirements.txt'})")
        if installed != pinned:
            fail(f"{package} {installed} is installed; the tables are pinned to {pinned}")


def tsv_lines(path: Path):
    """(line number, columns) of a hand-written input, comments and blank lines dropped."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("#"):
            yield number, [c.strip() for c in line.split("\t")]


# --- clocks ---------------------------------------------------------------------------------

zoneinfo.reset_tzpath(to=[])  # only the pinned tzdata package, never the machine's zone files
_clocks: dict[str, tuple] = {}


def clock(name: str) -> tuple:
    """The zone's UTC offsets from CLOCK_FROM to CLOCK_TO: daily samples, hourly on change days."""
    if name not in _clocks:
        zone = zoneinfo.ZoneInfo(name)
        offset = lambda t: t.astimezone(zone).utcoffset()  # noqa: E731
        samples, t = [], CLOCK_FROM
        while t < CLOCK_TO:
            today, tomorrow = offset(t), offset(t + dt.timedelta(days=1))
            samples.append(today)
            if today != tomorrow:
                samples.extend(offset(t + dt.timedelta(hours=h)) for h in range(1, 24))
            t += dt.timedelta(days=1)
        _clocks[name] = tuple(samples)
    return _clocks[name]


def is_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
        return not name.startswith("Etc/")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False


# --- inputs ---------------------------------------------------------------------------------


def read_source_errors():
    errors = {}
    for number, cols in tsv_lines(GEN / "source_errors.tsv"):
        if len(cols) != 4 or cols[0] not in ("zip", "phone"):
            fail(f"source_errors.tsv:{number}: expected zip|phone, key, zone, reason")
        errors[(cols[0], cols[1], cols[2])] = number
    return errors


def read_overrides():
    """[(line, place, state, zips, area codes, zone)] from overrides.tsv."""
    overrides = []
    for number, cols in tsv_lines(GEN / "overrides.tsv"):
        if len(cols) != 7:
            fail(f"overrides.tsv:{number}: expected 7 tab-separated columns, found {len(cols)}")
        place, state, zips, codes, zone, source, reason = cols
        if state not in USPS or not is_zone(zone) or not source or not reason:
            fail(f"overrides.tsv:{number}: bad state, zone, source or reason")
        zips = [] if zips == "-" else zips.split()
        codes = [] if codes == "-" else codes.split()
        overrides.append((number, place, state, zips, codes, zone))
    return overrides


def read_overlays():
    """{area code: [partner codes]} from overlays.tsv."""
    overlays = {}
    for number, cols in tsv_lines(GEN / "overlays.tsv"):
        if len(cols) != 4:
            fail(f"overlays.tsv:{number}: expected code, partners, source, reason")
        overlays[cols[0]] = [] if cols[1] == "-" else cols[1].split()
    return overlays


# --- ZIP codes ------------------------------------------------------------------------------


def destination(lat: float, lng: float, km: float, bearing: float):
    """The point km away from (lat, lng) on the given bearing (spherical Earth)."""
    r = km / 6371.0
    lat1, lng1, b = math.radians(lat), math.radians(lng), math.radians(bearing)
    lat2 = math.asin(math.sin(lat1) * math.cos(r) + math.cos(lat1) * math.sin(r) * math.cos(b))
    lng2 = lng1 + math.atan2(
        math.sin(b) * math.sin(r) * math.cos(lat1), math.cos(r) - math.sin(lat1) * math.sin(lat2)
    )
    return math.degrees(lat2), math.degrees(lng2)


def read_zips(errors, used_errors):
    """{zip: record} with the source zones ("truth"), for every ZIP code of a USPS code."""
    import zipcodes
    from timezonefinder import TimezoneFinder

    finder = TimezoneFinder()
    zips = {}
    for record in zipcodes.list_all():
        state, code = record["state"], record["zip_code"]
        if state not in USPS:
            continue  # military (AA AE AP) and the freely associated states (FM MH PW)
        truth = []
        dataset_zone = record["timezone"]
        if (("zip", code, dataset_zone)) in errors:
            used_errors.add(("zip", code, dataset_zone))
        elif dataset_zone:
            if not is_zone(dataset_zone):
                fail(f"ZIP {code}: the dataset's zone {dataset_zone!r} is no zone (source_errors.tsv?)")
            truth.append(dataset_zone)
        lat, lng = float(record["lat"] or 0), float(record["long"] or 0)
        point = None
        if (lat, lng) != (0.0, 0.0):
            found = finder.timezone_at(lng=lng, lat=lat)
            point = found if found and is_zone(found) else None
        if point and point not in truth:
            truth.insert(0, point)
        if not truth:
            fail(f"ZIP {code}: no zone from any source")
        zips[code] = {
            "state": state,
            "point": point or truth[0],
            "truth": truth,
            "coords": (lat, lng) if point else None,
            "area_codes": record["area_codes"],
        }
    return zips, finder


def km_between(a, b):
    """Great-circle distance between two (lat, lng) points, in km."""
    (lat1, lng1), (lat2, lng2) = [(math.radians(x), math.radians(y)) for x, y in (a, b)]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def add_buffer(zips, finder):
    """Adds "near": zones of the ZIP's own state found within BUFFER_KM, not already its clocks.

    A zone found around a ZIP code counts only when a ZIP code of the same state within
    STATE_ZONE_KM has that zone at its own coordinates: the polygons know no state lines, and a
    ZIP code on a state line that is also a zone line (Eufaula AL, across the Chattahoochee
    from Georgia) must not take the neighbour state's zone."""
    points = collections.defaultdict(list)  # (state, clock) -> coordinates of its ZIP codes
    for z in zips.values():
        if z["coords"]:
            points[(z["state"], clock(z["point"]))].append(z["coords"])
    for z in zips.values():
        z["near"] = []
        if not z["coords"]:
            continue
        have = {clock(name) for name in z["truth"]}
        lat, lng = z["coords"]
        for km in (BUFFER_KM / 3, 2 * BUFFER_KM / 3, BUFFER_KM):
            for i in range(BUFFER_BEARINGS):
                plat, plng = destination(lat, lng, km, 360.0 * i / BUFFER_BEARINGS)
                found = finder.timezone_at(lng=plng, lat=plat)
                if not found or not is_zone(found) or clock(found) in have:
                    continue
                own = points.get((z["state"], clock(found)), ())
                if any(km_between(z["coords"], p) <= STATE_ZONE_KM for p in own):
                    have.add(clock(found))
                    z["near"].append(found)


# --- area codes -----------------------------------------------------------------------------


def read_area_codes(errors, used_errors):
    """{npa: {"state", "zones" (libphonenumber, errors dropped), "raw"}} for US geographic codes."""
    import phonenumbers as pn
    from phonenumbers.geodata import GEOCODE_DATA
    from phonenumbers.tzdata import TIMEZONE_DATA

    by_code = collections.defaultdict(list)
    for prefix, zones in TIMEZONE_DATA.items():
        if prefix.startswith("1") and len(prefix) >= 4:
            by_code[prefix[1:4]].append((prefix, zones))
    geographic = {
        pn.PhoneNumberType.FIXED_LINE,
        pn.PhoneNumberType.MOBILE,
        pn.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    }
    codes = {}
    for npa in sorted(by_code):
        regions = collections.Counter()
        exchanges = [p[4:7] for p, _ in by_code[npa] if len(p) >= 7] + [f"{x}" for x in range(200, 1000)]
        for exchange in exchanges:
            number = pn.parse(f"+1{npa}{exchange}0100")
            if pn.is_valid_number(number) and pn.number_type(number) in geographic:
                regions[pn.region_code_for_number(number)] += 1
                if sum(regions.values()) >= 20:
                    break
        if not regions:
            continue
        region = regions.most_common(1)[0][0]
        if region == "US":
            name = GEOCODE_DATA.get(f"1{npa}", {}).get("en")
            state = STATE_NAMES.get(name) if name else None
            if state is None:
                places = collections.Counter(
                    v["en"].rsplit(", ", 1)[-1]
                    for k, v in GEOCODE_DATA.items()
                    if k.startswith(f"1{npa}") and "en" in v and ", " in v["en"]
                )
                state = places.most_common(1)[0][0] if places else None
            if state not in USPS:
                fail(f"area code {npa}: no US state from libphonenumber's geocoder ({name!r})")
        elif region in TERRITORY_REGIONS:
            state = TERRITORY_REGIONS[region]
        else:
            continue
        raw, zones = set(), set()
        for prefix, names in by_code[npa]:
            for name in names:
                raw.add(name)
                if ("phone", prefix, name) in errors:
                    used_errors.add(("phone", prefix, name))
                else:
                    zones.add(name)
        codes[npa] = {"state": state, "raw": sorted(raw), "zones": zones}
    return codes


def overlay_partners(codes, zips, manual):
    """{npa: sorted partner codes}: from the ZIP dataset's area codes, and overlays.tsv."""
    listed = collections.defaultdict(set)
    for code, z in zips.items():
        for npa in z["area_codes"]:
            listed[npa].add(code)
    partners = collections.defaultdict(set)
    for b in codes:
        for a in codes:
            if a == b or codes[a]["state"] != codes[b]["state"] or not listed[b]:
                continue
            if len(listed[b] & listed[a]) >= OVERLAY_SHARE * len(listed[b]):
                partners[b].add(a)
    for npa, others in manual.items():
        if npa not in codes:
            # In service by its state commission's order, but not yet in libphonenumber: the
            # code takes its partners' state and zones.
            states = {codes[p]["state"] for p in others if p in codes}
            if len(states) != 1 or len(others) == 0:
                fail(f"overlays.tsv: {npa}: its partners must be known codes of one state")
            codes[npa] = {"state": states.pop(), "raw": [], "zones": set(), "unknown": True}
        if listed[npa]:
            fail(f"overlays.tsv: {npa} is in the ZIP dataset; its overlays are derived, drop the line")
        partners[npa].update(others)
    return {npa: sorted(p) for npa, p in partners.items()}, listed


# --- writing --------------------------------------------------------------------------------


def header(title: str, body: str) -> str:
    pins = ", ".join(f"{p} {v}" for p, v in PINS.items())
    lines = [
        f"# {title}",
        "#",
        "# GENERATED by crates/rulec-time/gen/generate.py: do not edit by hand; change the inputs in",
        "# gen/ and rerun it (docs/zones.md). Sources, pinned: " + pins + ".",
        "# Data (c) libphonenumber authors (Apache-2.0); timezone-boundary-builder / OpenStreetMap",
        "# contributors (ODbL 1.0); GeoNames (CC BY 4.0) via the zipcodes package; see NOTICE.",
        "#",
    ]
    lines += [f"# {line}" if line else "#" for line in body.strip("\n").split("\n")]
    return "\n".join(lines) + "\n"


def ranges(numbers):
    """Consecutive runs of sorted ints as (first, last)."""
    runs = []
    for n in sorted(numbers):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [tuple(r) for r in runs]


def main() -> None:
    check_pins()
    errors = read_source_errors()
    used_errors: set = set()
    overrides = read_overrides()
    manual_overlays = read_overlays()

    zips, finder = read_zips(errors, used_errors)
    add_buffer(zips, finder)
    codes = read_area_codes(errors, used_errors)
    partners, listed = overlay_partners(codes, zips, manual_overlays)

    # Overrides: zones for places, and for the area codes a line names.
    for z in zips.values():
        z["override"] = []
    for number, place, state, zip_list, code_list, zone in overrides:
        for code in zip_list:
            if code not in zips or zips[code]["state"] != state:
                fail(f"overrides.tsv:{number}: {place}: ZIP {code} is not a {state} ZIP in the dataset")
            zips[code]["override"].append(zone)
        for npa in code_list:
            if npa not in codes or codes[npa]["state"] != state:
                fail(f"overrides.tsv:{number}: {place}: {npa} is not a {state} area code")
            codes[npa].setdefault("override", []).append(zone)

    for key, line in errors.items():
        if key not in used_errors:
            fail(f"source_errors.tsv:{line}: matches nothing in the sources any more; drop it")

    # Area code zones: own, overlay partners', overrides.
    for npa, c in codes.items():
        c["all"] = set(c["zones"]) | set(c.get("override", []))
        for p in partners.get(npa, []):
            c["all"] |= codes[p]["zones"]
        if not c["all"]:
            fail(f"area code {npa}: no zone left")
    # A code of a state with several clocks that the ZIP dataset does not know must be decided
    # in overlays.tsv (its zones could be its overlay parent's, which libphonenumber misses).
    state_clocks = collections.defaultdict(set)
    for z in zips.values():
        for name in z["truth"] + z["near"] + z["override"]:
            state_clocks[z["state"]].add(clock(name))
    for c in codes.values():
        state_clocks[c["state"]].update(clock(n) for n in c["all"])
    undecided = [
        npa for npa, c in codes.items()
        if len(state_clocks[c["state"]]) > 1 and not listed[npa] and npa not in manual_overlays
    ]
    if undecided:
        fail(f"area codes of multi-zone states with no ZIP data: {undecided}: decide them in overlays.tsv")

    # One name per (state, clock): the one most of the state's ZIP codes have at their point.
    counts = collections.defaultdict(collections.Counter)
    for z in zips.values():
        counts[z["state"]][z["point"]] += 1
    for c in codes.values():
        for n in sorted(c["all"]):
            counts[c["state"]][n] += 0
    for z in zips.values():
        for n in z["truth"] + z["near"] + z["override"]:
            counts[z["state"]][n] += 0
    name_of, state_rows = {}, {}
    for state in USPS:
        by_clock = collections.defaultdict(collections.Counter)
        for n, k in counts[state].items():
            by_clock[clock(n)][n] = k
        chosen = []
        for clk, names in by_clock.items():
            best = sorted(names.items(), key=lambda nk: (-nk[1], nk[0]))[0][0]
            chosen.append((sum(names.values()), best))
            for n in names:
                name_of[(state, n)] = best
        if not chosen:
            fail(f"{state}: no zone")
        state_rows[state] = [n for _, n in sorted(chosen, key=lambda kn: (-kn[0], kn[1]))]

    def canonical(state, names):
        order = state_rows[state]
        return sorted({name_of[(state, n)] for n in names}, key=order.index)

    for z in zips.values():
        z["zones"] = canonical(z["state"], z["truth"] + z["near"] + z["override"])
    # An area code's zones, the one most of the ZIP codes listed with it have first.
    for npa, c in codes.items():
        weight = collections.Counter()
        for code in listed[npa]:
            if zips[code]["state"] == c["state"]:
                weight[zips[code]["zones"][0]] += 1
        zones = canonical(c["state"], c["all"])
        c["final"] = sorted(zones, key=lambda n: -weight[n])

    write_state_zones(state_rows)
    multi = [s for s in USPS if len(state_rows[s]) > 1]
    write_postal(zips, multi)
    write_area_codes(codes, partners)
    write_snapshots(zips, codes, partners, multi, errors)
    report(zips, codes, multi)


def write_state_zones(state_rows):
    body = """state_zones.tsv: USPS code -> every zone used anywhere in that state or territory.

Format: CODE <TAB> zone,zone,...   The first zone is the one most of its ZIP codes are in.
A state's zones are those of its ZIP codes (zone boundary polygons at and around each ZIP's
coordinates, the ZIP dataset's zone, overrides.tsv) and of its area codes. Zones that have
kept the same clock since 2020 are written once, under the name most of the state's ZIP codes
have (Eastern Indiana is America/Indiana/Indianapolis, North Dakota's Central part
America/Chicago, every Alaska-time place America/Anchorage).
FM, MH, PW (the freely associated states, which the USPS serves as domestic mail) have no
ZIP zones in the sources and no area code of the North American plan: their zones are the tz
database's (FREELY_ASSOCIATED). The military codes AA, AE and AP name no place and no zone."""
    out = header("state_zones.tsv", body)
    out += "".join(f"{s}\t{','.join(state_rows[s])}\n" for s in USPS)
    out += "".join(f"{s}\t{','.join(zones)}\n" for s, zones in FREELY_ASSOCIATED.items())
    (DATA / "state_zones.tsv").write_text(out, encoding="utf-8")


# The freely associated states' zones, from the tz database's zone.tab: Chuuk and Yap
# (Pacific/Chuuk), Pohnpei, Kosrae; Majuro and Kwajalein; Palau.
FREELY_ASSOCIATED = {
    "FM": ["Pacific/Chuuk", "Pacific/Pohnpei", "Pacific/Kosrae"],
    "MH": ["Pacific/Majuro", "Pacific/Kwajalein"],
    "PW": ["Pacific/Palau"],
}


def write_postal(zips, multi):
    prefix_lines, exception_lines = [], []
    for state in multi:
        by_prefix = collections.defaultdict(dict)
        for code, z in zips.items():
            if z["state"] == state:
                by_prefix[int(code[:3])][code] = tuple(z["zones"])
        uniform = collections.defaultdict(list)
        for prefix, members in sorted(by_prefix.items()):
            sets = set(members.values())
            if len(sets) == 1:
                uniform[sets.pop()].append(prefix)
            else:
                groups = collections.defaultdict(list)
                for code, zones in sorted(members.items()):
                    groups[zones].append(code)
                for zones, codes in sorted(groups.items(), key=lambda g: g[1][0]):
                    for i in range(0, len(codes), 12):
                        exception_lines.append(
                            (state, codes[i], f"{state}\t{','.join(zones)}\t{' '.join(codes[i:i + 12])}\n")
                        )
        for zones, prefixes in uniform.items():
            for first, last in ranges(prefixes):
                field = f"{first:03}" if first == last else f"{first:03}-{last:03}"
                prefix_lines.append((state, first, f"{state}\t{field}\t{','.join(zones)}\n"))
    body = f"""postal_prefixes.tsv: 3-digit ZIP prefix -> the zones of every ZIP code starting with it,
for the states with several zones.

Format: STATE <TAB> PREFIX or FIRST-LAST (inclusive; every prefix in it has ZIP codes) <TAB> zones
A prefix is listed only when all of its ZIP codes in the dataset have the same zones; the ZIP
codes of the other prefixes are listed one by one in postal_codes.tsv. A ZIP code's zones are
the zone at its coordinates in the boundary polygons, the dataset's zone, every zone of its state
within {BUFFER_KM:g} km of its coordinates, and overrides.tsv."""
    out = header("postal_prefixes.tsv", body)
    out += "".join(line for _, _, line in sorted(prefix_lines))
    (DATA / "postal_prefixes.tsv").write_text(out, encoding="utf-8")
    body = """postal_codes.tsv: 5-digit ZIP code -> its zones, for the 3-digit prefixes whose ZIP codes
do not all agree (see postal_prefixes.tsv for how a ZIP code's zones are found).

Format: STATE <TAB> zones <TAB> ZIP ZIP ...   (a ZIP code of such a prefix that is not listed gets
no zone from the tables: the state's zones apply)."""
    out = header("postal_codes.tsv", body)
    out += "".join(line for _, _, line in sorted(exception_lines))
    (DATA / "postal_codes.tsv").write_text(out, encoding="utf-8")


def write_area_codes(codes, partners):
    body = """area_codes.tsv: area code (NPA) -> its state and zones, for every US and territory
geographic area code in libphonenumber.

Format: NPA <TAB> STATE <TAB> zone,zone,...
A code's zones: every zone libphonenumber gives the code or any of its exchanges, those of the
codes that share its area (overlays: nearly all ZIP codes listed with it in the ZIP dataset are
listed with the other code too; gen/overlays.tsv for codes the dataset does not know yet), and
gen/overrides.tsv. Toll-free, non-geographic, Canadian and non-US Caribbean codes are absent."""
    out = header("area_codes.tsv", body)
    for npa in sorted(codes):
        c = codes[npa]
        out += f"{npa}\t{c['state']}\t{','.join(c['final'])}\n"
    (DATA / "area_codes.tsv").write_text(out, encoding="utf-8")


def write_snapshots(zips, codes, partners, multi, errors):
    body = f"""zip_zones.tsv: snapshot of the sources, for tests/sources.rs. Not read by rulec.

  zips <TAB> STATE <TAB> source zones <TAB> zones within {BUFFER_KM:g} km <TAB> ZIP ZIP ...
      every ZIP code of a state with several zones: the zone at its coordinates in the boundary
      polygons and the ZIP dataset's zone (raw names, source errors included), and the other
      zones of its state found around it ("-": none).
  state <TAB> STATE <TAB> source zones <TAB> ZIP count
      a state whose ZIP codes all have one zone: the zones the sources give them."""
    out = header("zip_zones.tsv", body)
    groups = collections.defaultdict(list)
    single = collections.defaultdict(lambda: [set(), 0])
    raw_truth = {}
    for code, z in zips.items():
        truth = list(z["truth"])
        for kind, key, zone in errors:
            if kind == "zip" and key == code and zone not in truth:
                truth.append(zone)
        raw_truth[code] = truth
        if z["state"] in multi:
            key = (z["state"], ",".join(sorted(truth)), ",".join(sorted(z["near"])) or "-")
            groups[key].append(code)
        else:
            single[z["state"]][0].update(truth)
            single[z["state"]][1] += 1
    for (state, truth, near), members in sorted(groups.items()):
        members.sort()
        for i in range(0, len(members), 16):
            out += f"zips\t{state}\t{truth}\t{near}\t{' '.join(members[i:i + 16])}\n"
    for state in USPS:
        if state in single:
            names, count = single[state]
            out += f"state\t{state}\t{','.join(sorted(names))}\t{count}\n"
    (SNAPSHOT / "zip_zones.tsv").write_text(out, encoding="utf-8")

    body = """area_codes.tsv: snapshot of libphonenumber, for tests/sources.rs. Not read by rulec.

  NPA <TAB> STATE <TAB> zones of the code and its exchanges (raw, source errors included)
      <TAB> overlay partners (codes sharing its area; "-": none)"""
    out = header("area_codes.tsv (sources)", body)
    for npa in sorted(codes):
        c = codes[npa]
        if not c.get("unknown"):
            out += f"{npa}\t{c['state']}\t{','.join(c['raw'])}\t{' '.join(partners.get(npa, [])) or '-'}\n"
    (SNAPSHOT / "area_codes.tsv").write_text(out, encoding="utf-8")


def report(zips, codes, multi):
    extra = collections.Counter()
    for z in zips.values():
        truth = {clock(n) for n in z["truth"]}
        if any(clock(n) not in truth for n in z["zones"]):
            extra[z["state"]] += 1
    wide = [npa for npa, c in codes.items() if any(clock(n) not in {clock(m) for m in c["zones"]} for n in c["final"])]
    unknown = sorted(npa for npa, c in codes.items() if c.get("unknown"))
    print(f"area codes not in libphonenumber, from overlays.tsv: {' '.join(unknown)}")
    print(f"ZIP codes: {len(zips)}; states with several zones: {' '.join(multi)}")
    print(f"ZIP codes with a zone beyond the sources at their point: {sum(extra.values())} {dict(extra.most_common())}")
    print(f"area codes: {len(codes)}; wider than libphonenumber: {' '.join(sorted(wide))}")


if __name__ == "__main__":
    main()
