//! `export activities` in each CRM's documented import layout, `--since last` sending only
//! what is new, and `export ics` read back by the calendar crate: the due calls in their
//! windows and the booked meetings, under stable UIDs.

use crate::util::Sandbox;
use icalendar::{Calendar, CalendarComponent, Component};

const MON: &str = "2026-11-23T10:00";

/// Dana (cold-7) with her opener sent, her LinkedIn step done and her call worked, and Lee
/// with no email, whose touch no CRM can match.
fn worked() -> Sandbox {
    let sb = Sandbox::new();
    sb.write_me_in("Europe/Berlin");
    sb.add_dana(MON, "cold-7");
    sb.cmd(MON).args(["log", "1", "sent"]).assert().success();
    sb.cmd("2026-11-25T10:00")
        .args(["log", "1", "done"])
        .assert()
        .success();
    sb.cmd("2026-11-27T10:00")
        .args(["log", "1", "voicemail", "--note", "left the short script"])
        .assert()
        .success();
    sb.cmd(MON)
        .args([
            "add",
            "--first",
            "Lee",
            "--last",
            "Park",
            "--phone",
            "+1 206 555 0101",
        ])
        .args(["--sequence", "inbound"])
        .assert()
        .success();
    sb.cmd(MON)
        .args(["log", "2", "no-answer"])
        .assert()
        .success();
    sb
}

fn export(sb: &Sandbox, now: &str, args: &[&str]) -> String {
    let out = sb
        .cmd(now)
        .args(["export", "activities"])
        .args(args)
        .assert()
        .success();
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

fn rows(text: &str) -> Vec<Vec<String>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("record").iter().map(String::from).collect())
        .collect()
}

fn header(text: &str) -> Vec<String> {
    csv::Reader::from_reader(text.as_bytes())
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect()
}

#[test]
fn hubspot_gets_a_file_per_kind_of_activity_in_its_property_names() {
    let sb = worked();
    let out = sb.dir.path().join("week.csv");
    let said = export(
        &sb,
        "2026-11-27T12:00",
        &["--format", "hubspot", "--out", out.to_str().expect("path")],
    );
    assert!(said.contains("1 calls, 1 emails, 1 LinkedIn"), "{said}");
    assert!(
        said.contains("1 touches of prospects without an email were left out"),
        "{said}"
    );
    let read = |suffix: &str| {
        std::fs::read_to_string(sb.dir.path().join(format!("week-{suffix}.csv"))).expect("file")
    };
    let calls = read("calls");
    assert_eq!(
        header(&calls),
        [
            "Email",
            "hs_timestamp",
            "hs_call_title",
            "hs_call_body",
            "hs_call_direction",
            "hs_call_disposition",
            "hs_call_status"
        ]
    );
    let call = &rows(&calls)[0];
    assert_eq!(call[0], "dana@northwind.example");
    // 2026-11-27 10:00 in Berlin is 09:00 UTC, in milliseconds.
    assert_eq!(call[1], "1795770000000");
    assert_eq!(call[2], "Call: Left voicemail");
    assert!(call[3].starts_with("left the short script"), "{call:?}");
    assert!(call[3].contains("cold-7, step 3 of 7"), "{call:?}");
    assert_eq!(&call[4..], ["OUTBOUND", "Left voicemail", "COMPLETED"]);
    let emails = read("emails");
    assert_eq!(
        header(&emails),
        [
            "Email",
            "hs_timestamp",
            "hs_email_subject",
            "hs_email_text",
            "hs_email_direction",
            "hs_email_status"
        ]
    );
    let email = &rows(&emails)[0];
    assert!(
        !email[2].is_empty() && email[3].starts_with("Hi Dana"),
        "{email:?}"
    );
    assert_eq!(&email[4..], ["EMAIL", "SENT"]);
    let tasks = read("tasks");
    assert_eq!(
        header(&tasks)[2..],
        [
            "hs_task_subject",
            "hs_task_body",
            "hs_task_type",
            "hs_task_status"
        ]
    );
    let task = &rows(&tasks)[0];
    assert_eq!(task[2], "LinkedIn: connect");
    assert_eq!(&task[4..], ["TODO", "COMPLETED"]);
}

#[test]
fn salesforce_gets_task_records_related_by_contact_email_with_a_mapping() {
    let sb = worked();
    let out = sb.dir.path().join("tasks.csv");
    export(
        &sb,
        "2026-11-27T12:00",
        &[
            "--format",
            "salesforce",
            "--out",
            out.to_str().expect("path"),
        ],
    );
    let text = std::fs::read_to_string(&out).expect("csv");
    assert_eq!(
        header(&text),
        [
            "Who:Contact-Email",
            "Subject",
            "ActivityDate",
            "Status",
            "Priority",
            "Description",
            "TaskSubtype",
            "CallType",
            "CallDisposition"
        ]
    );
    let all = rows(&text);
    let subtypes: Vec<&str> = all.iter().map(|r| r[6].as_str()).collect();
    assert_eq!(subtypes, ["Email", "Task", "Call"], "oldest first");
    let call = &all[2];
    assert_eq!(call[2], "2026-11-27");
    assert!(
        call[5].starts_with("Time: 2026-11-27 10:00 (Europe/Berlin)"),
        "{call:?}"
    );
    assert_eq!(&call[7..], ["Outbound", "Left voicemail"]);
    let map = std::fs::read_to_string(out.with_extension("sdl")).expect("mapping");
    assert!(
        map.starts_with("Who\\:Contact-Email=Who\\:Contact-Email\n"),
        "{map}"
    );
}

#[test]
fn pipedrive_gets_person_and_activity_columns_and_since_last_sends_only_the_new() {
    let sb = worked();
    let first = export(
        &sb,
        "2026-11-27T12:00",
        &["--format", "pipedrive", "--since", "last"],
    );
    assert_eq!(
        header(&first),
        [
            "Person - Name",
            "Person - Email",
            "Activity - Subject",
            "Activity - Type",
            "Activity - Due date",
            "Activity - Due time",
            "Activity - Note",
            "Activity - Done"
        ]
    );
    let all = rows(&first);
    assert_eq!(all.len(), 3, "{first}");
    assert_eq!(all[0][0], "Dana Reyes");
    assert_eq!(
        all[2][2..6],
        ["Call: Left voicemail", "Call", "2026-11-27", "10:00"]
    );
    assert!(all.iter().all(|r| r[7] == "Done"));
    // Times as the real clock stores them, with a fraction of a second.
    rusqlite::Connection::open(sb.db())
        .and_then(|c| {
            c.execute(
                "UPDATE touches SET extra = json_set(coalesce(extra, '{}'), '$.f', '.570047107')",
                [],
            )
        })
        .expect("fractions");
    export(
        &sb,
        "2026-11-27T12:01",
        &["--format", "pipedrive", "--since", "last"],
    );
    // Nothing new: nothing again.
    let again = export(
        &sb,
        "2026-11-27T12:05",
        &["--format", "pipedrive", "--since", "last"],
    );
    assert!(rows(&again).is_empty(), "{again}");
    // Another CRM keeps its own mark.
    let other = export(
        &sb,
        "2026-11-27T12:05",
        &["--format", "salesforce", "--since", "last"],
    );
    assert_eq!(rows(&other).len(), 3);
    sb.cmd("2026-11-27T15:00")
        .args(["log", "1", "sent", "--ahead"])
        .assert()
        .success();
    let new = export(
        &sb,
        "2026-11-27T16:00",
        &["--format", "pipedrive", "--since", "last"],
    );
    assert_eq!(rows(&new).len(), 1, "{new}");
    let dated = export(
        &sb,
        "2026-11-27T16:00",
        &["--format", "pipedrive", "--since", "2026-11-25"],
    );
    assert_eq!(rows(&dated).len(), 3, "{dated}");
}

#[test]
fn activities_refuse_what_makes_no_file() {
    let sb = worked();
    for (args, says) in [
        (vec!["export", "activities"], "needs --format"),
        (vec!["export", "activities", "--format", "hubspot"], "--out"),
        (
            vec![
                "export",
                "activities",
                "--format",
                "pipedrive",
                "--since",
                "whenever",
            ],
            "--since",
        ),
        (
            vec!["export", "prospects", "--format", "pipedrive"],
            "--format is for",
        ),
    ] {
        let out = sb.cmd(MON).args(&args).assert().failure();
        let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(
            err.starts_with("error: ") && err.contains(says),
            "{args:?}: {err}"
        );
    }
}

fn events(text: &str) -> Vec<icalendar::Event> {
    let cal: Calendar = text.parse().expect("a calendar");
    cal.components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

#[test]
fn the_calendar_holds_the_due_calls_in_their_window_and_the_booked_meetings() {
    let sb = Sandbox::new();
    sb.write_me_in("America/New_York");
    // Lee's first touch is a call, due today, in Chicago.
    sb.cmd(MON)
        .args([
            "add",
            "--first",
            "Lee",
            "--last",
            "Park",
            "--phone",
            "+1 312 555 0101",
        ])
        .args(["--email", "lee@quanta.example", "--company", "Quanta"])
        .args(["--timezone", "America/Chicago", "--sequence", "inbound"])
        .assert()
        .success();
    let out = sb
        .cmd(MON)
        .args(["export", "ics", "--days", "7"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let calls = events(&text);
    assert_eq!(calls.len(), 1, "{text}");
    let call = &calls[0];
    assert_eq!(call.get_uid(), Some("call-1-1@touchbase"));
    assert_eq!(call.get_summary(), Some("Call Lee Park (Quanta)"));
    let description = call.get_description().expect("description");
    assert!(
        description.contains("Number: +1 312 555 0101"),
        "{description}"
    );
    assert!(description.contains("in America/Chicago"), "{description}");
    // The follow-up window (11:00–12:00) of Lee's day: 17:00 UTC.
    let start = call.get_start().expect("start");
    assert_eq!(
        format!("{start:?}"),
        format!(
            "{:?}",
            icalendar::DatePerhapsTime::DateTime(icalendar::CalendarDateTime::Utc(
                "2026-11-23T17:00:00Z".parse().expect("utc")
            ))
        ),
        "{text}"
    );
    // The call books a meeting on Thursday at 14:00 on the rep's clock.
    sb.cmd("2026-11-23T12:00")
        .args(["log", "1", "connected"])
        .assert()
        .success();
    sb.cmd("2026-11-23T12:05")
        .args([
            "log",
            "1",
            "meeting",
            "--when",
            "2026-11-26T14:00",
            "--note",
            "demo",
        ])
        .assert()
        .success();
    let file = sb.dir.path().join("week.ics");
    sb.cmd("2026-11-23T12:10")
        .args(["export", "ics", "--out"])
        .arg(&file)
        .assert()
        .success();
    let text = std::fs::read_to_string(&file).expect("ics");
    let all = events(&text);
    assert_eq!(
        all.len(),
        1,
        "the call is done; the meeting remains: {text}"
    );
    let meeting = &all[0];
    assert!(
        meeting.get_uid().is_some_and(|u| u.starts_with("meeting-")),
        "{text}"
    );
    assert_eq!(
        meeting.get_summary(),
        Some("Meeting with Lee Park (Quanta)")
    );
    assert!(
        meeting
            .get_description()
            .is_some_and(|d| d.contains("demo")),
        "{text}"
    );
    // Stable: the same file again has the same UIDs.
    let again = sb
        .cmd("2026-11-23T12:20")
        .args(["export", "ics"])
        .assert()
        .success();
    let again = events(&String::from_utf8_lossy(&again.get_output().stdout));
    assert_eq!(again[0].get_uid(), meeting.get_uid());
}

/// Dana replied and booked a meeting; Ann opted out: the CRM hears of all three.
fn answered() -> Sandbox {
    let sb = worked();
    sb.cmd("2026-11-27T11:00")
        .args(["log", "1", "replied", "--note", "Tuesday at 10 works"])
        .assert()
        .success();
    sb.cmd("2026-11-27T11:05")
        .args(["log", "1", "meeting", "--when", "2026-12-01T10:00"])
        .assert()
        .success();
    sb.cmd("2026-11-27T11:10")
        .args(["add", "--first", "Ann", "--email", "ann@quanta.example"])
        .assert()
        .success();
    sb.cmd("2026-11-27T11:15")
        .args(["log", "3", "opted-out"])
        .assert()
        .success();
    sb
}

#[test]
fn meetings_replies_and_opt_outs_reach_every_crm() {
    let sb = answered();
    let since = ["--since", "2026-11-27"];
    let out = sb.dir.path().join("week.csv");
    let path = out.to_str().expect("path");
    let said = export(
        &sb,
        "2026-11-27T12:00",
        &[&["--format", "hubspot", "--out", path][..], &since[..]].concat(),
    );
    assert!(
        said.contains("1 meetings and 2 replies and opt-outs"),
        "{said}"
    );
    let read = |name: &str| std::fs::read_to_string(sb.dir.path().join(name)).expect(name);
    let meetings = rows(&read("week-meetings.csv"));
    assert_eq!(meetings.len(), 1, "{meetings:?}");
    assert_eq!(meetings[0][0], "dana@northwind.example");
    assert_eq!(meetings[0][2], "Meeting with Dana Reyes");
    // 2026-12-01 10:00 in Berlin is 09:00 UTC; the end half an hour on.
    assert_eq!(meetings[0][4], "1796115600000");
    assert_eq!(meetings[0][5], "1796117400000");
    let notes = rows(&read("week-notes.csv"));
    let bodies: Vec<&str> = notes.iter().map(|n| n[2].as_str()).collect();
    assert!(
        bodies[0].starts_with("Dana Reyes replied\n\nTuesday at 10 works"),
        "{bodies:?}"
    );
    assert!(
        bodies[1].starts_with("Ann opted out of email: do not contact"),
        "{bodies:?}"
    );
    // Salesforce: the meeting as an Event in UTC, the reply and opt-out as Tasks.
    export(
        &sb,
        "2026-11-27T12:00",
        &[
            &["--format", "salesforce", "--out", path, "--force"][..],
            &since[..],
        ]
        .concat(),
    );
    let events = rows(&read("week-events.csv"));
    assert_eq!(
        events[0][..4],
        [
            "dana@northwind.example",
            "Meeting with Dana Reyes",
            "2026-12-01T09:00:00Z",
            "2026-12-01T09:30:00Z"
        ]
    );
    let tasks = read("week.csv");
    assert!(tasks.contains("Dana Reyes replied"), "{tasks}");
    assert!(!tasks.contains("Meeting with"), "{tasks}");
    // Pipedrive: a meeting activity on its own day and time, not done yet.
    let text = export(
        &sb,
        "2026-11-27T12:00",
        &[&["--format", "pipedrive"][..], &since[..]].concat(),
    );
    let meeting = rows(&text)
        .into_iter()
        .find(|r| r[3] == "Meeting")
        .expect("a meeting row");
    assert_eq!(meeting[4..6], ["2026-12-01", "10:00"]);
    assert_eq!(meeting[7], "");
}
