//! `touchbase import` reads the real exports of the tools reps use, in their encodings and
//! delimiters, and refuses a bad row by file, line and column without changing anything.

use crate::db;
use crate::util::Sandbox;
use std::path::PathBuf;
use touchbase::domain::Prospect;

pub const MON: &str = "2026-11-23";

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// Runs touchbase and returns stdout; panics with stderr when it fails.
pub fn run(sb: &Sandbox, now: &str, args: &[&str]) -> String {
    let out = sb.cmd(now).args(args).output().expect("run");
    assert!(
        out.status.success(),
        "touchbase {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Imports a fixture into the sandbox's database; returns the summary.
pub fn import(sb: &Sandbox, name: &str, extra: &[&str]) -> String {
    let path = fixture(name);
    let mut args = vec!["import", path.to_str().expect("path")];
    args.extend_from_slice(extra);
    run(sb, MON, &args)
}

/// The prospect with this email, read straight from the database.
pub fn prospect(sb: &Sandbox, email: &str) -> Prospect {
    crate::db::open(&sb.db(), None)
        .prospect(email)
        .unwrap_or_else(|e| panic!("no prospect {email}: {e}"))
}

pub fn prospects(sb: &Sandbox) -> Vec<Prospect> {
    crate::db::open(&sb.db(), None)
        .search("", 10_000)
        .expect("search")
}

fn field<'p>(p: &'p Prospect, key: &str) -> Option<&'p str> {
    p.fields.get(key).map(String::as_str)
}

#[test]
fn apollo_people_export() {
    let sb = Sandbox::new();
    let out = import(&sb, "apollo.csv", &["--sequence", "cold-7"]);
    assert!(out.contains("3 added, 0 updated, 3 enrolled"), "{out}");
    let dana = prospect(&sb, "dana.reyes@northwind.example");
    assert_eq!(
        (dana.first_name.as_str(), dana.last_name.as_str()),
        ("Dana", "Reyes")
    );
    assert_eq!(dana.title.as_deref(), Some("VP Operations"));
    assert_eq!(dana.company.as_deref(), Some("Northwind Freight"));
    // The direct line wins over mobile and switchboard; Apollo's apostrophe comes off.
    assert_eq!(dana.phone.as_deref(), Some("+1 312-555-0142"));
    assert_eq!(field(&dana, "mobile_phone"), Some("+1 312-555-0199"));
    assert_eq!(field(&dana, "corporate_phone"), Some("+1 312-555-0100"));
    assert_eq!(
        dana.linkedin.as_deref(),
        Some("https://www.linkedin.com/in/dana-reyes-nw")
    );
    assert_eq!(
        field(&dana, "company_linkedin_url"),
        Some("http://www.linkedin.com/company/northwind-freight")
    );
    assert_eq!(dana.city.as_deref(), Some("Chicago"));
    assert_eq!(field(&dana, "state"), Some("Illinois"));
    assert_eq!(field(&dana, "country"), Some("United States"));
    assert_eq!(
        dana.timezone.as_deref(),
        Some("America/Chicago"),
        "from Illinois"
    );
    assert_eq!(field(&dana, "keywords"), Some("freight, 3pl, warehousing"));
    assert_eq!(field(&dana, "employees"), Some("250"), "# Employees");
    let priya = prospect(&sb, "priya@fabrikam.example");
    assert_eq!(
        priya.phone.as_deref(),
        Some("+44 20 7946 0321"),
        "mobile, no direct line"
    );
    assert_eq!(priya.timezone.as_deref(), Some("Europe/London"));
    let marco = prospects(&sb)
        .into_iter()
        .find(|p| p.first_name == "Marco")
        .expect("Marco, who has no email");
    assert_eq!(marco.email, None);
    assert_eq!(marco.phone.as_deref(), Some("+39 02 5555 0100"));
}

#[test]
fn hubspot_contacts_export() {
    let sb = Sandbox::new();
    import(&sb, "hubspot.csv", &[]);
    let lena = prospect(&sb, "lena.vogel@tailspin.example");
    assert_eq!(
        lena.timezone.as_deref(),
        Some("Europe/Berlin"),
        "HubSpot's zone slug"
    );
    assert_eq!(lena.title.as_deref(), Some("Head of Procurement"));
    assert_eq!(lena.company.as_deref(), Some("Tailspin Toys"));
    assert_eq!(lena.phone.as_deref(), Some("+49 30 5555 0101"));
    assert_eq!(
        lena.external_ids.get("hubspot").map(String::as_str),
        Some("51234001"),
        "HubSpot's Record ID is her id there, not a custom field"
    );
    assert_eq!(field(&lena, "record_id"), None);
    assert_eq!(field(&lena, "lifecycle_stage"), Some("Lead"));
    let jules = prospect(&sb, "jules.martin@litware.example");
    assert_eq!(jules.email.as_deref(), Some("jules.martin@litware.example"));
    assert_eq!(field(&jules, "mobile_phone_number"), Some("(415) 555-0188"));
    assert_eq!(field(&jules, "state"), Some("CA"));
    let noor = prospect(&sb, "noor.ali@adatum.example");
    assert_eq!(
        noor.timezone.as_deref(),
        Some("America/Chicago"),
        "Austin, TX"
    );
}

#[test]
fn salesforce_reports_and_api_names() {
    let sb = Sandbox::new();
    import(&sb, "salesforce.csv", &[]);
    import(&sb, "salesforce_leads.csv", &[]);
    let aisha = prospect(&sb, "aisha.khan@woodgrove.example");
    assert_eq!(aisha.company.as_deref(), Some("Woodgrove Bank"));
    assert_eq!(aisha.title.as_deref(), Some("Director, IT Operations"));
    assert_eq!(aisha.city.as_deref(), Some("New York"));
    assert_eq!(aisha.timezone.as_deref(), Some("America/New_York"));
    assert_eq!(aisha.notes, "Met at the NRF booth; asked about SSO");
    assert_eq!(field(&aisha, "lead_source"), Some("Trade Show"));
    assert_eq!(field(&aisha, "mobile"), Some("+1 (917) 555-0111"));
    let sofia = prospect(&sb, "sofia.berg@alpineski.example");
    assert_eq!(sofia.company.as_deref(), Some("Alpine Ski House"));
    assert_eq!(sofia.timezone.as_deref(), Some("Europe/Stockholm"));
    assert_eq!(field(&sofia, "status"), Some("Open - Not Contacted"));
}

#[test]
fn pipedrive_people_export_with_several_addresses_in_a_cell() {
    let sb = Sandbox::new();
    import(&sb, "pipedrive.csv", &[]);
    let tomas = prospect(&sb, "tomas.garcia@woodgrove-log.example");
    assert_eq!(
        (tomas.first_name.as_str(), tomas.last_name.as_str()),
        ("Tomás", "García")
    );
    assert_eq!(
        field(&tomas, "other_emails"),
        // The work cell's second address, then the home column's.
        Some("t.garcia@woodgrove-log.example; tomas@garcia-home.example")
    );
    assert_eq!(field(&tomas, "person_email_home"), None);
    assert_eq!(tomas.company.as_deref(), Some("Woodgrove Logistics"));
    assert_eq!(tomas.title.as_deref(), Some("Fleet Manager"));
    assert_eq!(tomas.city.as_deref(), Some("Madrid"));
    // Only "Person - Name": split into first and last; two phones in one cell.
    let ravi = prospect(&sb, "ravi@litwarelabs.example");
    assert_eq!(
        (ravi.first_name.as_str(), ravi.last_name.as_str()),
        ("Ravi", "Iyer")
    );
    assert_eq!(ravi.phone.as_deref(), Some("+91 98 5555 0101"));
    assert_eq!(field(&ravi, "other_phones"), Some("+91 98 5555 0102"));
}

#[test]
fn linkedin_connections_with_notes_above_the_header_and_sales_navigator_exports() {
    let sb = Sandbox::new();
    let out = import(&sb, "linkedin_connections.csv", &[]);
    assert!(out.contains("2 added"), "{out}");
    let elena = prospect(&sb, "elena.petrova@graphic.example");
    assert_eq!(elena.title.as_deref(), Some("VP, Customer Operations"));
    assert_eq!(
        elena.linkedin.as_deref(),
        Some("https://www.linkedin.com/in/elena-petrova-ops")
    );
    assert_eq!(field(&elena, "connected_on"), Some("14 Nov 2026"));
    let ben = prospects(&sb)
        .into_iter()
        .find(|p| p.first_name == "Ben")
        .expect("Ben, whose email LinkedIn withholds");
    assert_eq!(ben.company.as_deref(), Some("Fourth Coffee"));
    import(&sb, "sales_navigator.csv", &[]);
    let all = prospects(&sb);
    let grace = all.iter().find(|p| p.first_name == "Grace").expect("Grace");
    assert_eq!(
        grace.linkedin.as_deref(),
        Some("https://www.linkedin.com/in/grace-liu-coho"),
        "the public profile, not the Sales Navigator link"
    );
    let henrik = all
        .iter()
        .find(|p| p.first_name == "Henrik")
        .expect("Henrik");
    assert_eq!(henrik.linkedin, None);
    assert_eq!(
        field(henrik, "profile_url"),
        Some("https://www.linkedin.com/sales/lead/ACwAAAC4d5e6,NAME_SEARCH,efgh"),
        "kept exactly, for the rep's own seat"
    );
    assert_eq!(henrik.timezone.as_deref(), Some("Europe/Copenhagen"));
}

#[test]
fn close_lead_and_contact_exports() {
    let sb = Sandbox::new();
    import(&sb, "close.csv", &[]);
    import(&sb, "close_contacts.csv", &[]);
    let maya = prospect(&sb, "maya.cohen@blueyonder.example");
    assert_eq!(maya.company.as_deref(), Some("Blue Yonder Airlines"));
    assert_eq!(maya.title.as_deref(), Some("VP Ground Operations"));
    assert_eq!(maya.phone.as_deref(), Some("+1 206 555 0190"));
    assert_eq!(
        maya.linkedin.as_deref(),
        Some("https://www.linkedin.com/in/maya-cohen-by")
    );
    assert_eq!(
        field(&maya, "lead_source"),
        Some("Webinar"),
        "custom.Lead Source"
    );
    assert_eq!(field(&maya, "fleet_size"), Some("42"));
    let luis = prospect(&sb, "luis.ortega@treyresearch.example");
    assert_eq!(
        (luis.first_name.as_str(), luis.last_name.as_str()),
        ("Luis", "Ortega")
    );
    let ines = prospect(&sb, "ines.duarte@relecloud.example");
    assert_eq!(ines.company.as_deref(), Some("Relecloud"));
    assert_eq!(ines.title.as_deref(), Some("Head of Fulfilment"));
}

#[test]
fn google_contacts_new_and_old_formats() {
    let sb = Sandbox::new();
    import(&sb, "google_contacts.csv", &[]);
    import(&sb, "google_contacts_old.csv", &[]);
    let chloe = prospect(&sb, "chloe.dubois@lucerne.example");
    assert_eq!(chloe.first_name, "Chloé");
    assert_eq!(
        field(&chloe, "other_emails"),
        Some("c.dubois@lucerne.example; chloe@dubois-home.example")
    );
    assert_eq!(chloe.phone.as_deref(), Some("+33 6 55 55 01 23"));
    assert_eq!(field(&chloe, "other_phones"), Some("+33 1 55 55 01 00"));
    assert_eq!(chloe.company.as_deref(), Some("Lucerne Publishing"));
    assert_eq!(chloe.title.as_deref(), Some("Managing Editor"));
    assert_eq!(chloe.city.as_deref(), Some("Paris"));
    assert_eq!(chloe.timezone.as_deref(), Some("Europe/Paris"));
    assert_eq!(
        chloe.linkedin.as_deref(),
        Some("https://www.linkedin.com/in/chloe-dubois-lucerne"),
        "a website that is a LinkedIn profile"
    );
    let arjun = prospect(&sb, "arjun.mehta@humongous.example");
    assert_eq!(arjun.linkedin, None);
    assert_eq!(
        field(&arjun, "website_1_value"),
        Some("https://arjun.example")
    );
    let hannah = prospect(&sb, "hannah.schmidt@margie.example");
    assert_eq!(hannah.last_name, "Schmidt");
    assert_eq!(hannah.company.as_deref(), Some("Margie's Travel"));
    assert_eq!(hannah.title.as_deref(), Some("Operations Lead"));
}

#[test]
fn encodings_delimiters_and_quoting() {
    let sb = Sandbox::new();
    import(&sb, "windows1252_semicolon.csv", &[]);
    let rene = prospect(&sb, "rene.mueller@wingtip.example");
    assert_eq!(
        (rene.first_name.as_str(), rene.last_name.as_str()),
        ("René", "Müller")
    );
    assert_eq!(rene.city.as_deref(), Some("München"));
    assert_eq!(field(&rene, "annual_revenue"), Some("1.250.000,50"));
    let zoe = prospect(&sb, "zoe.angstrom@fourthcoffee.example");
    assert_eq!(zoe.title.as_deref(), Some("Café Director"));
    assert_eq!(field(&zoe, "annual_revenue"), Some("€ 900.000"));
    import(&sb, "utf8_bom.csv", &[]);
    let soren = prospect(&sb, "soren@northwind.example");
    assert_eq!(
        soren.first_name, "Søren",
        "the BOM is not part of the first header"
    );
    assert_eq!(prospect(&sb, "lucja.zak@contoso.example").last_name, "Żak");
    import(&sb, "quoted.csv", &[]);
    let dana = prospect(&sb, "dana@northwind.example");
    assert_eq!(dana.company.as_deref(), Some("Northwind, Inc."));
    assert_eq!(
        dana.notes,
        "Met at ProMat.\nFollow up after the \"Q1 freeze\", she said."
    );
    assert_eq!(field(&dana, "lead_source"), Some("Event"));
}

#[test]
fn a_bad_row_names_file_line_and_column_and_changes_nothing() {
    let sb = Sandbox::new();
    import(&sb, "apollo.csv", &["--sequence", "cold-7"]);
    let before = db::dump_file(&sb.db());
    let bytes_before = db::bytes(&sb.db());
    // (file, file:line:column, what the message says)
    let cases = [
        (
            "bad_email.csv",
            "bad_email.csv:4:3:",
            "Email: 'dana at northwind' is not an email",
        ),
        ("bad_quote.csv", "bad_quote.csv:3:", "is a quote left open?"),
    ];
    for (name, place, says) in cases {
        let path = fixture(name);
        let out = sb
            .cmd(MON)
            .args([
                "import",
                path.to_str().expect("path"),
                "--sequence",
                "cold-7",
            ])
            .output()
            .expect("run");
        assert!(!out.status.success(), "{name} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.starts_with("error: "), "{err}");
        assert!(err.contains(place), "{name}: {err}");
        assert!(err.contains(says), "{name}: {err}");
        assert!(
            db::bytes(&sb.db()) == bytes_before,
            "{name} changed the file"
        );
    }
    db::assert_same(&db::dump_file(&sb.db()), &before, "after refused imports");
}

/// A zone cell nobody can read does not refuse the file: the zone comes from the place where
/// that settles one, and the summary says how many rows named an unknown zone.
#[test]
fn an_unknown_zone_is_a_note_and_the_place_settles_it() {
    let sb = Sandbox::new();
    let path = sb.dir.path().join("zones.csv");
    std::fs::write(
        &path,
        "first_name,last_name,email,city,timezone\n\
         Ana,Lim,ana@quanta.example,Chicago,Mars/Olympus\n\
         Bo,Ko,bo@quanta.example,,Berlin\n",
    )
    .expect("write");
    let said = import_path(&sb, &path);
    assert!(
        said.contains("1 row names a time zone touchbase does not know"),
        "{said}"
    );
    assert_eq!(
        prospect(&sb, "ana@quanta.example").timezone.as_deref(),
        Some("America/Chicago")
    );
    assert_eq!(
        prospect(&sb, "bo@quanta.example").timezone.as_deref(),
        Some("Europe/Berlin")
    );
}

fn import_path(sb: &Sandbox, path: &std::path::Path) -> String {
    run(sb, MON, &["import", path.to_str().expect("path")])
}
