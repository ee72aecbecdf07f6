//! The command line on a fixed clock: add, import, enroll, due (text and JSON), log with
//! every outcome, undo, show --json, sequences list and show.

use crate::util::Sandbox;
use serde_json::Value;

const MON: &str = "2026-11-23";

fn run(sb: &Sandbox, now: &str, args: &[&str]) -> String {
    let out = sb.cmd(now).args(args).output().expect("run");
    assert!(
        out.status.success(),
        "touchbase {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn json(sb: &Sandbox, now: &str, args: &[&str]) -> Value {
    serde_json::from_str(&run(sb, now, args)).expect("JSON")
}

/// A sandbox with the rep's details, so every built-in template renders ready.
fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.write_me();
    sb
}

fn add_dana(sb: &Sandbox, sequence: &str) {
    sb.add_dana(MON, sequence);
}

#[test]
fn add_import_enroll_and_the_due_queue() {
    let sb = sandbox();
    let out = run(
        &sb,
        MON,
        &[
            "add",
            "--first",
            "Dana",
            "--last",
            "Reyes",
            "--email",
            "Dana@Northwind.example",
            "--company",
            "Northwind",
            "--sequence",
            "classic-4",
        ],
    );
    assert!(
        out.starts_with("Added Dana Reyes as prospect 1 and enrolled in classic-4"),
        "{out}"
    );
    let csv = sb.dir.path().join("leads.csv");
    std::fs::write(
        &csv,
        "first_name,last_name,email,phone,linkedin,company,title,city,timezone,Lead Source\n\
         Omar,Haddad,omar@brightline.example,+1 212 555 0199,https://www.linkedin.com/in/omar-haddad,Brightline,CTO,New York,America/New_York,Webinar\n\
         Lee,Park,lee@quanta.example,,,Quanta,,,,\n",
    )
    .expect("csv");
    let out = run(&sb, MON, &["import", csv.to_str().expect("path")]);
    assert!(
        out.contains("2 added, 0 updated, 0 enrolled, 0 skipped"),
        "{out}"
    );
    let out = run(&sb, MON, &["enroll", "omar@brightline.example", "cold-21"]);
    assert!(out.contains("Enrolled Omar Haddad in cold-21"), "{out}");
    // Lee starts on Wednesday.
    run(
        &sb,
        MON,
        &["enroll", "3", "cold-7", "--start", "2026-11-25"],
    );
    // The CSV's extra column is a custom field, every known column landed where it belongs.
    let omar = json(&sb, MON, &["show", "2", "--json"]);
    assert_eq!(omar["fields"]["lead_source"], "Webinar");
    assert_eq!(omar["title"], "CTO");
    assert_eq!(omar["city"], "New York");
    assert_eq!(omar["timezone"], "America/New_York");
    assert_eq!(omar["phone"], "+1 212 555 0199");

    let text = run(&sb, MON, &["due"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Mon 23 Nov 2026 — 2 due, 0 overdue", "{text}");
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        text.contains("Dana Reyes") && text.contains("Omar Haddad"),
        "{text}"
    );
    assert!(!text.contains("Lee Park"), "{text}");
    assert!(!text.contains("NOT READY"), "{text}");

    let due = json(&sb, MON, &["due", "--json"]);
    let items = due.as_array().expect("array");
    assert_eq!(items.len(), 2);
    let dana = items
        .iter()
        .find(|i| i["prospect_id"] == 1)
        .expect("Dana is due");
    let expected = serde_json::json!({
        "prospect_id": 1,
        "name": "Dana Reyes",
        "email": "dana@northwind.example",
        "company": "Northwind",
        "sequence": "classic-4",
        "step": 1,
        "steps": 4,
        "channel": "email",
        "action": null,
        "purpose": "opener",
        "due": "2026-11-23",
        "overdue_days": 0,
        "ready": true,
        "problems": [],
    });
    for (k, v) in expected.as_object().expect("object") {
        assert_eq!(&dana[k], v, "field {k}");
    }
    assert!(
        dana["subject"]
            .as_str()
            .is_some_and(|s| s.contains("Northwind"))
    );
    assert!(
        dana["body"]
            .as_str()
            .is_some_and(|b| b.starts_with("Hi Dana,"))
    );
    // Two days later, untouched: overdue, at the top, counted.
    let due = json(&sb, "2026-11-25", &["due", "--json"]);
    let first = &due.as_array().expect("array")[0];
    assert_eq!(first["overdue_days"], 2);
    let text = run(&sb, "2026-11-25", &["due"]);
    assert!(
        text.lines()
            .next()
            .is_some_and(|l| l.ends_with("3 due, 2 overdue")),
        "{text}"
    );
    assert!(text.contains("2d late"), "{text}");
}

#[test]
fn due_json_carries_every_documented_field() {
    let sb = sandbox();
    add_dana(&sb, "cold-21");
    run(&sb, MON, &["log", "1", "sent"]);
    let due = json(&sb, MON, &["due", "--json"]);
    let item = &due.as_array().expect("array")[0];
    // DESIGN §6, name by name, with the JSON type each one has.
    type Is = fn(&Value) -> bool;
    let documented: &[(&str, Is)] = &[
        ("prospect_id", Value::is_i64),
        ("name", Value::is_string),
        ("email", Value::is_string),
        ("company", Value::is_string),
        ("sequence", Value::is_string),
        ("step", Value::is_u64),
        ("steps", Value::is_u64),
        ("channel", Value::is_string),
        ("action", Value::is_string),
        ("purpose", Value::is_string),
        ("due", Value::is_string),
        ("overdue_days", Value::is_i64),
        ("subject", Value::is_null),
        ("body", Value::is_string),
        ("ready", Value::is_boolean),
        ("problems", Value::is_array),
    ];
    for (name, is) in documented {
        assert!(is(&item[*name]), "{name} is {:?} in {item:#}", item[*name]);
    }
    // The LinkedIn view after the opener: step 2 of 10.
    assert_eq!(item["step"], 2);
    assert_eq!(item["steps"], 10);
    assert_eq!(item["channel"], "linkedin");
    assert_eq!(item["action"], "view");
}

#[test]
fn an_inbound_lead_is_due_at_the_minute_it_came_in() {
    let sb = sandbox();
    sb.cmd("2026-11-23T14:37")
        .args(["add", "--first", "Ana", "--phone", "+1 415 555 0111"])
        .args(["--email", "ana@quanta.example", "--sequence", "inbound"])
        .assert()
        .success();
    let due = json(&sb, "2026-11-23T14:40", &["due", "--json"]);
    assert_eq!(due[0]["due"], "2026-11-23T14:37:00");
    assert_eq!(due[0]["channel"], "call");
}

/// One outcome logged through the command line, a line each: the sequence, the outcomes
/// logged first to reach a step that fits, the `log` arguments, the status after, and the
/// outcomes it appends to the history.
const CASES: &[&str] = &[
    "cold-21   |           | sent                         | active    | sent",
    "classic-4 |           | bounced                      | bounced   | bounced skipped skipped skipped",
    "cold-21   | sent      | done                         | active    | done",
    "inbound   |           | connected                    | replied   | connected replied",
    "inbound   |           | voicemail                    | active    | voicemail",
    "inbound   |           | no-answer                    | active    | no-answer",
    "inbound   |           | gatekeeper                   | active    | gatekeeper",
    "inbound   |           | wrong-number                 | active    | wrong-number",
    "cold-21   |           | skipped --reason conference  | active    | skipped",
    "cold-21   |           | snoozed --until 2026-11-26   | active    | snoozed",
    "cold-21   | sent done | replied                      | replied   | replied",
    "cold-21   | sent      | meeting                      | meeting   | meeting",
    "cold-21   | sent      | opted-out                    | opted_out | opted-out",
    "cold-21   | sent      | paused --until 2026-12-07    | paused    | paused",
    "cold-21   | sent paused | resumed                    | active    | resumed",
    "cold-21   | sent      | removed --reason wrong-person | removed  | removed",
];

#[test]
fn log_takes_every_outcome_and_show_json_reports_it() {
    for line in CASES {
        let cols: Vec<Vec<&str>> = line
            .split('|')
            .map(|c| c.split_whitespace().collect())
            .collect();
        let [sequence, logged_first, log, status, appends] = &cols[..] else {
            panic!("bad case {line}");
        };
        let sb = sandbox();
        add_dana(&sb, sequence[0]);
        for o in logged_first {
            run(&sb, MON, &["log", "dana@northwind.example", o]);
        }
        let before = json(&sb, MON, &["show", "1", "--json"]);
        let mut args = vec!["log", "1"];
        args.extend_from_slice(log);
        let said = run(&sb, MON, &args);
        assert_eq!(said.lines().count(), 1, "{said}");
        let after = json(&sb, MON, &["show", "dana@northwind.example", "--json"]);
        assert_eq!(after["status"], status[0], "log {log:?}");
        let old = before["history"].as_array().expect("history").len();
        let history = after["history"].as_array().expect("history");
        let appended: Vec<&str> = history[old..]
            .iter()
            .map(|h| h["outcome"].as_str().expect("outcome"))
            .collect();
        assert_eq!(&appended, appends, "log {log:?}");
        for h in history {
            assert!(
                h["at"]
                    .as_str()
                    .is_some_and(|a| a.starts_with("2026-11-23T")),
                "{h}"
            );
            assert!(h.get("step").is_some() && h.get("channel").is_some(), "{h}");
        }
        // The effects that outlive the enrollment.
        match log[0] {
            "bounced" => assert_eq!(after["email_bad"], true),
            "wrong-number" => assert_eq!(after["phone_bad"], true),
            "opted-out" => assert_eq!(after["do_not_contact"], true),
            "skipped" | "removed" => {
                let reason = history.last().and_then(|h| h["reason"].as_str());
                assert_eq!(reason, Some(log[2]));
            }
            "snoozed" => assert_eq!(after["enrollments"][0]["due"], "2026-11-26T00:00:00"),
            _ => {}
        }
        // And undo puts it back exactly as `show` saw it before.
        let said = run(&sb, MON, &["undo"]);
        assert!(said.starts_with("Undone:"), "{said}");
        assert_eq!(
            json(&sb, MON, &["show", "1", "--json"]),
            before,
            "undo of {log:?}"
        );
    }
}

#[test]
fn show_json_history_names_step_channel_and_outcome() {
    let sb = sandbox();
    add_dana(&sb, "cold-21");
    run(&sb, "2026-11-23T09:15", &["log", "1", "sent"]);
    run(&sb, "2026-11-23T09:20", &["log", "1", "done"]);
    run(
        &sb,
        "2026-11-25T11:00",
        &["log", "1", "voicemail", "--note", "left the short one"],
    );
    run(&sb, "2026-11-26T16:45", &["log", "1", "replied"]);
    let show = json(&sb, "2026-11-27", &["show", "1", "--json"]);
    assert_eq!(show["status"], "replied");
    let rows: Vec<(String, Value, String, String)> = show["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| {
            (
                h["at"].as_str().expect("at").to_string(),
                h["step"].clone(),
                h["channel"].as_str().unwrap_or("").to_string(),
                h["outcome"].as_str().expect("outcome").to_string(),
            )
        })
        .collect();
    let want = [
        ("2026-11-23T09:15:00", 1, "email", "sent"),
        ("2026-11-23T09:20:00", 2, "linkedin", "done"),
        ("2026-11-25T11:00:00", 3, "call", "voicemail"),
        ("2026-11-26T16:45:00", 3, "call", "replied"),
    ];
    assert_eq!(rows.len(), want.len(), "{rows:?}");
    for (got, (at, step, channel, outcome)) in rows.iter().zip(want) {
        assert_eq!(
            (got.0.as_str(), &got.1, got.2.as_str(), got.3.as_str()),
            (at, &Value::from(step), channel, outcome)
        );
    }
    assert_eq!(show["history"][2]["note"], "left the short one");
    assert_eq!(show["history"][3]["attributed_step"], 3);
}

#[test]
fn undo_steps_back_one_action_at_a_time() {
    let sb = sandbox();
    add_dana(&sb, "cold-21");
    let states: Vec<Value> = ["sent", "done", "no-answer"]
        .iter()
        .map(|o| {
            let s = json(&sb, MON, &["show", "1", "--json"]);
            // The call is due on Wednesday: worked ahead on purpose.
            run(&sb, MON, &["log", "1", o, "--ahead"]);
            s
        })
        .collect();
    for expected in states.iter().rev() {
        run(&sb, MON, &["undo"]);
        assert_eq!(&json(&sb, MON, &["show", "1", "--json"]), expected);
    }
    run(&sb, MON, &["undo"]);
    sb.cmd(MON).args(["show", "1"]).assert().failure();
    assert_eq!(run(&sb, MON, &["undo"]).trim(), "Nothing to undo.");
}

#[test]
fn sequences_list_and_show() {
    let sb = sandbox();
    let list = run(&sb, MON, &["sequences", "list"]);
    let names: Vec<&str> = list
        .lines()
        .map(|l| l.split_whitespace().next().expect("name first"))
        .collect();
    assert_eq!(
        names,
        [
            "classic-4",
            "cold-21",
            "cold-7",
            "cold-8",
            "inbound",
            "missed-meeting",
            "post-demo",
            "proposal",
            "re-engagement",
            "rule-222",
            "rule-333"
        ]
    );
    let show = run(&sb, MON, &["sequences", "show", "cold-21"]);
    let days: Vec<u32> = show
        .lines()
        .filter_map(|l| l.split_once(". day "))
        .map(|(_, rest)| {
            rest.split_whitespace()
                .next()
                .expect("day")
                .parse()
                .expect("number")
        })
        .collect();
    assert_eq!(days, [1, 1, 3, 4, 7, 9, 11, 14, 17, 21]);
    assert!(show.contains("cold-21/10-breakup.md"), "{show}");
}

#[test]
fn a_channel_may_have_several_windows() {
    let sb = sandbox();
    std::fs::write(
        sb.config_dir().join("config.toml"),
        "[me]\nname = \"Sam\"\ncompany = \"Relaypoint\"\nsignature = \"Sam\"\n\n[windows]\n\
         email = [{ days = [\"tue\", \"wed\", \"thu\"], from = \"08:00\", to = \"10:00\" },\n\
                  { days = [\"tue\", \"wed\", \"thu\"], from = \"15:00\", to = \"16:00\" }]\n\
         cold_call = false\n",
    )
    .expect("config");
    run(
        &sb,
        "2026-11-24",
        &[
            "add",
            "--first",
            "Ana",
            "--email",
            "ana@x.example",
            "--company",
            "X",
            "--sequence",
            "classic-4",
        ],
    );
    let v: serde_json::Value =
        serde_json::from_str(&run(&sb, "2026-11-24T12:00", &["due", "--json"])).expect("json");
    assert_eq!(v[0]["window"], "Tue–Thu 08:00–10:00 and 15:00–16:00", "{v}");
    std::fs::write(
        sb.config_dir().join("config.toml"),
        "[windows]\nemail = [{ from = \"nine\", to = \"10:00\" }]\n",
    )
    .expect("config");
    let out = sb.cmd("2026-11-24").args(["due"]).output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("config.toml:2:"),
        "{err}"
    );
}

/// Runs `init` in `sb` with `answers` typed in, which must succeed: what it said, and the
/// config it wrote as text and parsed.
fn init_with(sb: &Sandbox, answers: &str) -> (String, String, toml::Value) {
    let out = sb
        .cmd(MON)
        .arg("init")
        .write_stdin(answers.to_string())
        .output()
        .expect("init");
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    let written = std::fs::read_to_string(sb.config_dir().join("config.toml")).expect("config");
    let parsed: toml::Value = toml::from_str(&written).expect("toml");
    (said, written, parsed)
}

#[test]
fn init_asks_once_and_the_first_touches_are_ready() {
    let sb = Sandbox::new();
    let (_, written, parsed) = init_with(
        &sb,
        "Sam Carter\nRelaypoint\n\nEurope/Berlin\nmon tue wed thu\n",
    );
    assert!(written.contains("name = \"Sam Carter\""), "{written}");
    assert_eq!(
        parsed["me"]["signature"].as_str(),
        Some("Sam Carter\nRelaypoint")
    );
    assert!(
        written.contains("working_days = [\"mon\", \"tue\", \"wed\", \"thu\"]"),
        "{written}"
    );
    run(
        &sb,
        MON,
        &[
            "add",
            "--first",
            "Lee",
            "--email",
            "lee@q.example",
            "--company",
            "Quanta",
            "--sequence",
            "classic-4",
        ],
    );
    let v: serde_json::Value =
        serde_json::from_str(&run(&sb, MON, &["due", "--json"])).expect("json");
    assert_eq!(v[0]["ready"], true, "{v}");
    // Asked again, it refuses to overwrite; a bad zone is asked again, the answers before
    // it kept.
    let again = sb
        .cmd(MON)
        .arg("init")
        .write_stdin("x\n")
        .output()
        .expect("init");
    assert!(!again.status.success());
    let other = Sandbox::new();
    let bad = other
        .cmd(MON)
        .arg("init")
        .write_stdin("Sam\nRelaypoint\n\nMars/Olympus\nEurope/Berlin\nmon-fri\nmon tue\n")
        .output()
        .expect("init");
    let said = String::from_utf8_lossy(&bad.stderr).into_owned();
    assert!(
        said.contains("not a time zone") && said.contains("try again"),
        "{said}"
    );
    assert!(said.contains("'mon-fri' is not a weekday"), "{said}");
    let written = std::fs::read_to_string(other.config_dir().join("config.toml")).expect("written");
    assert!(
        written.contains("timezone = \"Europe/Berlin\""),
        "{written}"
    );
    assert!(
        written.contains("working_days = [\"mon\", \"tue\"]"),
        "{written}"
    );
    assert!(written.contains("company = \"Relaypoint\""), "{written}");
}

/// A bounce comes back after the send was logged, when the next step is current: it names
/// the email that went out (not the step in front of the rep), which stays in the log as
/// sent; the address is marked bad, and a current email step that can no longer go out is
/// skipped. Undo puts everything back.
#[test]
fn a_bounce_logged_after_the_send_marks_the_email_that_went_out() {
    for (sequence, status, current, appended) in [
        // cold-7: the LinkedIn step after the opener stays current.
        ("cold-7", "active", "2/7", vec!["sent", "bounced"]),
        // classic-4: every step is an email: the sequence ends, bounced.
        (
            "classic-4",
            "bounced",
            "",
            vec!["sent", "bounced", "skipped", "skipped", "skipped"],
        ),
    ] {
        let sb = sandbox();
        add_dana(&sb, sequence);
        run(&sb, "2026-11-23T10:00", &["log", "1", "sent"]);
        let before = crate::db::dump_file(&sb.db());
        let said = run(&sb, "2026-11-23T10:30", &["log", "1", "bounced"]);
        assert!(said.contains("opener to Dana Reyes bounced"), "{said}");
        let shown = json(&sb, "2026-11-23T10:31", &["show", "1", "--json"]);
        assert_eq!(shown["email_bad"], true, "{sequence}");
        assert_eq!(shown["status"], status, "{sequence}");
        let outcomes: Vec<&str> = shown["history"]
            .as_array()
            .expect("history")
            .iter()
            .map(|h| h["outcome"].as_str().expect("outcome"))
            .collect();
        assert_eq!(
            outcomes, appended,
            "{sequence}: the sent row stays, the bounce is a row of its own"
        );
        assert_eq!(shown["history"][1]["step"], 1, "{sequence}");
        let stats = json(&sb, "2026-11-23T10:31", &["stats", "--json"]);
        let opener = &stats["sequences"][0]["steps"][0];
        assert_eq!(
            (&opener["touches"], &opener["bounces"]),
            (&1.into(), &1.into())
        );
        assert_eq!(shown["history"][0]["step"], 1, "{sequence}");
        if !current.is_empty() {
            let text = run(&sb, "2026-11-23T10:31", &["show", "1"]);
            assert!(text.contains(&format!("{sequence}: {current}")), "{text}");
        }
        // The same bounce again: logged already, nothing more changes.
        let again = sb
            .cmd("2026-11-23T10:32")
            .args(["log", "1", "bounced"])
            .output()
            .expect("run");
        if status == "active" {
            assert!(!again.status.success(), "{again:?}");
            assert!(
                String::from_utf8_lossy(&again.stderr)
                    .starts_with("error: the bounce of Dana Reyes's last email is logged already"),
                "{again:?}"
            );
        }
        run(&sb, "2026-11-23T10:40", &["undo"]);
        let mut after = crate::db::dump_file(&sb.db());
        let mut was = before;
        after.remove("actions");
        was.remove("actions");
        crate::db::assert_same(&after, &was, "undo of the late bounce");
    }
}

#[test]
fn init_sets_up_sending_when_asked_and_asks_again_for_a_bad_server() {
    let sb = Sandbox::new();
    let (said, _, parsed) = init_with(
        &sb,
        "Sam Carter\nRelaypoint\n\nEurope/Berlin\n\nsam@relaypoint.example\n\
         mail.relaypoint.example\nsmtps://sam@mail.relaypoint.example\npass show mail\n",
    );
    assert!(said.contains("write it smtps://you@host"), "{said}");
    assert!(said.contains("touchbase doctor"), "{said}");
    let send = &parsed["send"];
    assert_eq!(
        send["from"].as_str(),
        Some("Sam Carter <sam@relaypoint.example>")
    );
    assert_eq!(
        send["smtp"].as_str(),
        Some("smtps://sam@mail.relaypoint.example")
    );
    assert_eq!(send["password_command"].as_str(), Some("pass show mail"));
    assert_eq!(send["per_day"].as_integer(), Some(100));
    // With a sendmail command instead.
    let other = Sandbox::new();
    let (_, _, parsed) = init_with(
        &other,
        "Sam\nRelaypoint\n\n\n\nsam@relaypoint.example\n\n\n",
    );
    assert_eq!(parsed["send"]["sendmail"].as_str(), Some("msmtp -t"));
    assert!(parsed["send"].get("smtp").is_none());
}
