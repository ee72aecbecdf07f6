//! Time zones as Windows (and the tools that export its names, Outlook and Dynamics among
//! them) write them, with the zone each means: CLDR's windowsZones table, for the zones
//! reps' prospects live in.

/// A Windows zone id in lower case ("w. europe standard time"), and its IANA zone.
const WINDOWS: &[(&str, &str)] = &[
    ("dateline standard time", "Etc/GMT+12"),
    ("hawaiian standard time", "Pacific/Honolulu"),
    ("alaskan standard time", "America/Anchorage"),
    ("pacific standard time", "America/Los_Angeles"),
    ("pacific standard time (mexico)", "America/Tijuana"),
    ("us mountain standard time", "America/Phoenix"),
    ("mountain standard time", "America/Denver"),
    ("mountain standard time (mexico)", "America/Mazatlan"),
    ("central america standard time", "America/Guatemala"),
    ("central standard time", "America/Chicago"),
    ("central standard time (mexico)", "America/Mexico_City"),
    ("canada central standard time", "America/Regina"),
    ("sa pacific standard time", "America/Bogota"),
    ("eastern standard time", "America/New_York"),
    ("us eastern standard time", "America/Indiana/Indianapolis"),
    ("venezuela standard time", "America/Caracas"),
    ("atlantic standard time", "America/Halifax"),
    ("pacific sa standard time", "America/Santiago"),
    ("newfoundland standard time", "America/St_Johns"),
    ("e. south america standard time", "America/Sao_Paulo"),
    ("argentina standard time", "America/Argentina/Buenos_Aires"),
    ("sa eastern standard time", "America/Cayenne"),
    ("utc", "UTC"),
    ("gmt standard time", "Europe/London"),
    ("greenwich standard time", "Atlantic/Reykjavik"),
    ("morocco standard time", "Africa/Casablanca"),
    ("w. europe standard time", "Europe/Berlin"),
    ("central europe standard time", "Europe/Budapest"),
    ("romance standard time", "Europe/Paris"),
    ("central european standard time", "Europe/Warsaw"),
    ("w. central africa standard time", "Africa/Lagos"),
    ("gtb standard time", "Europe/Bucharest"),
    ("e. europe standard time", "Europe/Chisinau"),
    ("fle standard time", "Europe/Kyiv"),
    ("israel standard time", "Asia/Jerusalem"),
    ("egypt standard time", "Africa/Cairo"),
    ("south africa standard time", "Africa/Johannesburg"),
    ("turkey standard time", "Europe/Istanbul"),
    ("russian standard time", "Europe/Moscow"),
    ("arab standard time", "Asia/Riyadh"),
    ("e. africa standard time", "Africa/Nairobi"),
    ("iran standard time", "Asia/Tehran"),
    ("arabian standard time", "Asia/Dubai"),
    ("pakistan standard time", "Asia/Karachi"),
    ("india standard time", "Asia/Kolkata"),
    ("sri lanka standard time", "Asia/Colombo"),
    ("nepal standard time", "Asia/Kathmandu"),
    ("bangladesh standard time", "Asia/Dhaka"),
    ("se asia standard time", "Asia/Bangkok"),
    ("china standard time", "Asia/Shanghai"),
    ("singapore standard time", "Asia/Singapore"),
    ("taipei standard time", "Asia/Taipei"),
    ("w. australia standard time", "Australia/Perth"),
    ("tokyo standard time", "Asia/Tokyo"),
    ("korea standard time", "Asia/Seoul"),
    ("cen. australia standard time", "Australia/Adelaide"),
    ("aus central standard time", "Australia/Darwin"),
    ("e. australia standard time", "Australia/Brisbane"),
    ("aus eastern standard time", "Australia/Sydney"),
    ("tasmania standard time", "Australia/Hobart"),
    ("new zealand standard time", "Pacific/Auckland"),
];

/// The IANA zone a Windows zone id names, in any case ("W. Europe Standard Time").
pub fn windows_zone(name: &str) -> Option<&'static str> {
    let lower = name.trim().to_lowercase();
    WINDOWS
        .iter()
        .find(|(windows, _)| *windows == lower)
        .map(|(_, zone)| *zone)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_zone_in_the_table_is_one_the_zone_database_knows() {
        for (windows, zone) in super::WINDOWS {
            assert!(zone.parse::<chrono_tz::Tz>().is_ok(), "{windows}: {zone}");
        }
    }
}
