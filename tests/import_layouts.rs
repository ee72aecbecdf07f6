//! Files whose shape is not one clean table: two people a CRM tells apart by id though they
//! share an address, the header written again when exports are joined, yes/no columns that
//! say no.

use crate::import_csv::{MON, prospects, run};
use crate::util::Sandbox;

fn write(sb: &Sandbox, name: &str, text: &str) -> String {
    let path = sb.dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    path.to_str().expect("path").to_string()
}

/// Two Salesforce leads at one company, both written to at its info@ address: two people.
const SHARED: &str = "\"Id\",\"LastName\",\"FirstName\",\"Company\",\"Email\",\"DoNotCall\"\n\
\"00Q5g00000Tg6HwEAJ\",\"Vogel\",\"Lena\",\"Tailspin Toys\",\"info@tailspin.example\",\"false\"\n\
\"00Q5g00000Rb2KpEAJ\",\"Martin\",\"Jules\",\"Tailspin Toys\",\"info@tailspin.example\",\"false\"\n";

#[test]
fn two_leads_sharing_an_address_are_two_people_and_stay_two() {
    let sb = Sandbox::new();
    let path = write(&sb, "Lead.csv", SHARED);
    let out = run(&sb, MON, &["import", &path]);
    assert!(out.contains("2 rows; 2 added"), "{out}");
    assert!(out.contains("1 person shares an email"), "{out}");
    let all = prospects(&sb);
    let lena = all.iter().find(|p| p.first_name == "Lena").expect("Lena");
    let jules = all.iter().find(|p| p.first_name == "Jules").expect("Jules");
    assert_eq!(lena.email.as_deref(), Some("info@tailspin.example"));
    assert_eq!(jules.email, None);
    assert_eq!(
        jules.fields.get("shared_email").map(String::as_str),
        Some("info@tailspin.example")
    );
    // "DoNotCall: false" is kept as the CRM wrote it and does not stop calls.
    assert_eq!(
        jules.fields.get("do_not_call").map(String::as_str),
        Some("false")
    );
    assert!(!jules.do_not_call());
    // Next week's export: the same two, nobody merged, nothing refused.
    let again = run(&sb, MON, &["import", &path]);
    assert!(again.contains("0 added, 2 updated"), "{again}");
    assert_eq!(prospects(&sb), all);
}

#[test]
fn a_header_written_again_mid_file_is_skipped_and_counted() {
    let sb = Sandbox::new();
    let text = "First Name,Last Name,Email\nAnn,Lee,ann@x.example\n\
                First Name,Last Name,Email\nBo,Chen,bo@x.example\n";
    let path = write(&sb, "joined.csv", text);
    let out = run(&sb, MON, &["import", &path]);
    assert!(out.contains("2 rows; 2 added"), "{out}");
    assert!(out.contains("1 line of layout skipped"), "{out}");
    let names: Vec<String> = prospects(&sb).iter().map(|p| p.full_name()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

/// Windows writes zones by its own names (Outlook, Dynamics): each is the zone it means,
/// typed or imported; `edit` works the zone out from a new city as an import does.
#[test]
fn windows_zone_names_are_read_and_a_new_city_settles_the_zone() {
    let sb = Sandbox::new();
    let path = write(
        &sb,
        "outlook.csv",
        "First Name,Email,Time Zone\n\
         Ann,ann@x.example,US Mountain Standard Time\n\
         Bo,bo@x.example,W. Europe Standard Time\n\
         Cy,cy@x.example,AUS Eastern Standard Time\n",
    );
    run(&sb, MON, &["import", &path]);
    let zone = |email: &str| {
        prospects(&sb)
            .into_iter()
            .find(|p| p.email.as_deref() == Some(email))
            .and_then(|p| p.timezone)
    };
    assert_eq!(zone("ann@x.example").as_deref(), Some("America/Phoenix"));
    assert_eq!(zone("bo@x.example").as_deref(), Some("Europe/Berlin"));
    assert_eq!(zone("cy@x.example").as_deref(), Some("Australia/Sydney"));
    run(
        &sb,
        MON,
        &["add", "--first", "Di", "--email", "di@x.example"],
    );
    assert_eq!(zone("di@x.example"), None);
    let said = run(&sb, MON, &["edit", "di@x.example", "--city", "Chicago"]);
    assert!(said.contains("city, timezone"), "{said}");
    assert_eq!(zone("di@x.example").as_deref(), Some("America/Chicago"));
    run(
        &sb,
        MON,
        &["edit", "di@x.example", "--timezone", "Tokyo Standard Time"],
    );
    assert_eq!(zone("di@x.example").as_deref(), Some("Asia/Tokyo"));
}
