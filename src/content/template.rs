//! Message templates: Markdown with TOML front matter, rendered with minijinja.

use super::located::{Located, line_col};
use crate::domain::Prospect;
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// A parsed template file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub path: String,
    pub subject: Option<String>,
    pub voicemail: Option<String>,
    pub body: String,
    /// Line of the file where the body starts (for error positions).
    body_line: usize,
    /// [`Template::variables`], worked out when parsed: every render asks.
    variables: BTreeSet<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    subject: Option<String>,
    voicemail: Option<String>,
}

/// The rep's identity from the config: `me.*` in templates.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Me {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub company: String,
    #[serde(default)]
    pub signature: String,
}

/// A touch's text, ready to copy or not.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Rendered {
    pub subject: Option<String>,
    pub body: String,
    pub voicemail: Option<String>,
    /// Why the touch is not ready: missing fields, placeholders left in, template errors.
    pub problems: Vec<String>,
}

impl Rendered {
    pub fn ready(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Template {
    /// Parses a template file and checks its syntax, reporting `file:line:column`.
    pub fn parse(path: &str, text: &str) -> Result<Template, Located> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (front, body, body_line) = split_front_matter(path, text)?;
        let meta: FrontMatter = match front {
            Some(f) => toml::from_str(f).map_err(|e| Located::from_toml(path, f, &e, 1))?,
            None => FrontMatter {
                subject: None,
                voicemail: None,
            },
        };
        let mut t = Template {
            path: path.to_string(),
            subject: meta.subject,
            voicemail: meta.voicemail,
            body: body.to_string(),
            body_line,
            variables: BTreeSet::new(),
        };
        t.check_syntax()?;
        t.variables = t.find_variables();
        Ok(t)
    }

    fn parts(&self) -> [(&'static str, Option<&str>, usize); 3] {
        // Front-matter strings are reported at the front matter's first line.
        [
            ("subject", self.subject.as_deref(), 2),
            ("body", Some(self.body.as_str()), self.body_line),
            ("voicemail", self.voicemail.as_deref(), 2),
        ]
    }

    fn check_syntax(&self) -> Result<(), Located> {
        let env = environment();
        for (_, src, first_line) in self.parts() {
            if let Some(src) = src {
                if let Err(e) = env.template_from_str(src) {
                    return Err(self.locate(src, first_line, &e));
                }
            }
        }
        Ok(())
    }

    fn locate(&self, src: &str, first_line: usize, e: &minijinja::Error) -> Located {
        let (line, col) = match (e.range(), e.line()) {
            (Some(r), _) => line_col(src, r.start),
            (None, Some(l)) => (l, 1),
            _ => (1, 1),
        };
        let msg = e
            .detail()
            .map(|d| format!("{}: {d}", e.kind()))
            .unwrap_or_else(|| e.kind().to_string());
        Located::new(&self.path, first_line + line - 1, col, msg)
    }

    /// What fails when rendering for `values` (an unknown filter, a wrong argument), each at
    /// its own line of the file.
    pub fn render_failures(&self, values: &MergeValues) -> Vec<Located> {
        self.parts()
            .into_iter()
            .filter_map(|(_, src, first_line)| {
                let src = src?;
                let e = render_checked(src, values).err()?;
                Some(self.locate(src, first_line, &e))
            })
            .collect()
    }

    /// The line of the file where the body starts.
    pub fn body_line(&self) -> usize {
        self.body_line
    }

    /// Every variable the template reads (`first_name`, `me.signature`, …).
    pub fn variables(&self) -> &BTreeSet<String> {
        &self.variables
    }

    fn find_variables(&self) -> BTreeSet<String> {
        let mut vars = BTreeSet::new();
        for src in self.parts().into_iter().filter_map(|(_, src, _)| src) {
            let found = COMPILED.with(|compiled| {
                let mut compiled = compiled.borrow_mut();
                let name = compiled.name_of(src)?;
                Ok::<_, minijinja::Error>(
                    compiled.env.get_template(&name)?.undeclared_variables(true),
                )
            });
            vars.extend(found.unwrap_or_default());
        }
        vars
    }

    /// Renders for a prospect. Missing fields do not fail: they become problems and show as
    /// `⟨field⟩` in the text so the rep sees where.
    pub fn render(&self, values: &MergeValues) -> Rendered {
        let mut problems = Vec::new();
        let mut render_part = |src: &str| -> String {
            match render_checked(src, values) {
                Ok((text, missing)) => {
                    for m in missing {
                        let p = if m.starts_with("me.") {
                            format!("missing {m} (set it under [me] in config.toml)")
                        } else {
                            format!("missing {m}")
                        };
                        if !problems.contains(&p) {
                            problems.push(p);
                        }
                    }
                    text
                }
                Err(e) => {
                    problems.push(format!("template {}: {e}", self.path));
                    src.to_string()
                }
            }
        };
        let subject = self.subject.as_deref().map(&mut render_part);
        let body = render_part(&self.body);
        let voicemail = self.voicemail.as_deref().map(&mut render_part);
        for text in [
            subject.as_deref(),
            Some(body.as_str()),
            voicemail.as_deref(),
        ]
        .into_iter()
        .flatten()
        {
            for p in bracket_placeholders(text) {
                let p = format!("placeholder {p} left in the text");
                if !problems.contains(&p) {
                    problems.push(p);
                }
            }
        }
        Rendered {
            subject: subject.map(|s| s.trim().to_string()),
            body: body.trim().to_string(),
            voicemail: voicemail.map(|s| s.trim().to_string()),
            problems,
        }
    }
}

/// How many instructions one render may run: a real message takes a few hundred; a runaway
/// loop stops here, as an error, instead of hanging the queue.
const FUEL: u64 = 100_000;

/// The longest text a render may give: far beyond any message.
const OUTPUT_MAX: usize = 256 * 1024;

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(false);
    env
}

fn split_front_matter<'a>(
    path: &str,
    text: &'a str,
) -> Result<(Option<&'a str>, &'a str, usize), Located> {
    let Some(rest) = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
    else {
        return Ok((None, text, 1));
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front = rest.get(..offset).unwrap_or_default();
            let body = rest.get(offset + line.len()..).unwrap_or_default();
            let body_line = front.matches('\n').count() + 3;
            return Ok((Some(front), body, body_line));
        }
        offset += line.len();
    }
    Err(Located::new(
        path,
        1,
        1,
        "front matter opened with +++ is never closed",
    ))
}

/// The values a template can read, with empty ones left out (an empty field is missing).
/// The prospect's and the rep's are made once and shared (`Value` is counted, not copied),
/// so a text for each step of the same prospect only adds its own `previous`.
#[derive(Debug, Clone)]
pub struct MergeValues {
    /// The prospect's fields and `me`.
    base: Value,
    /// Those and `previous` (`previous.subject`, when there is one), as the template reads
    /// them.
    all: Value,
}

impl MergeValues {
    pub fn new(prospect: &Prospect, me: &Me, previous_subject: Option<&str>) -> Self {
        Self::of(prospect, me).after(previous_subject)
    }

    /// The prospect's and the rep's values, with no earlier subject.
    pub fn of(prospect: &Prospect, me: &Me) -> Self {
        let mut top = BTreeMap::new();
        for (k, v) in prospect.merge_values() {
            if !v.trim().is_empty() {
                top.insert(k, Value::from(v));
            }
        }
        let mut me_map = BTreeMap::new();
        for (k, v) in [
            ("name", &me.name),
            ("company", &me.company),
            ("signature", &me.signature),
        ] {
            if !v.trim().is_empty() {
                me_map.insert(k.to_string(), Value::from(v.clone()));
            }
        }
        top.insert("me".into(), Value::from(me_map));
        MergeValues::with_previous(Value::from(top), BTreeMap::new())
    }

    fn with_previous(base: Value, previous: BTreeMap<String, Value>) -> Self {
        let all = minijinja::context! { previous => Value::from(previous), ..base.clone() };
        MergeValues { base, all }
    }

    /// The same values with `previous.subject` set to `subject` (none when it is blank).
    pub fn after(&self, subject: Option<&str>) -> Self {
        let mut prev = BTreeMap::new();
        if let Some(s) = subject.filter(|s| !s.trim().is_empty()) {
            prev.insert("subject".to_string(), Value::from(s));
        }
        MergeValues::with_previous(self.base.clone(), prev)
    }

    /// Every value, as the template reads them.
    fn value(&self) -> Value {
        self.all.clone()
    }

    fn has(&self, path: &str) -> bool {
        let mut v = self.value();
        for p in path.split('.') {
            match v.get_attr(p) {
                Ok(next) if !next.is_undefined() => v = next,
                _ => return false,
            }
        }
        true
    }

    /// The values with a visible marker (`⟨company⟩`) standing in for each missing one.
    fn with_markers(&self, missing: &[String]) -> Value {
        let mut top = map_of(&self.value());
        for m in missing {
            let marker = Value::from(format!("⟨{m}⟩"));
            match m.split_once('.') {
                None => {
                    top.insert(m.clone(), marker);
                }
                Some((head, tail)) => {
                    let mut inner = top.get(head).map(map_of).unwrap_or_default();
                    inner.insert(tail.to_string(), marker);
                    top.insert(head.to_string(), Value::from(inner));
                }
            }
        }
        Value::from(top)
    }
}

/// The entries of a map value (none for another kind of value).
fn map_of(value: &Value) -> BTreeMap<String, Value> {
    let mut map = BTreeMap::new();
    if let Ok(keys) = value.try_iter() {
        for k in keys {
            if let Ok(v) = value.get_item(&k) {
                map.insert(k.to_string(), v);
            }
        }
    }
    map
}

/// Renders `src`; returns the text and the fields it needed but did not get. A field used
/// with a `default(...)` is not needed.
fn render_checked(
    src: &str,
    values: &MergeValues,
) -> Result<(String, Vec<String>), minijinja::Error> {
    COMPILED.with(|compiled| {
        let mut compiled = compiled.borrow_mut();
        let name = compiled.name_of(src)?;
        let tmpl = compiled.env.get_template(&name)?;
        render_compiled(&tmpl, src, values)
    })
}

/// Templates compiled once per thread and kept by their source: a queue, an export or the
/// demo renders the same few templates for every prospect.
struct Compiled {
    env: Environment<'static>,
    names: rustc_hash::FxHashMap<String, String>,
}

/// More distinct sources than a rep's sequences hold: past it the cache starts over.
const COMPILED_KEPT: usize = 1024;

impl Compiled {
    fn new() -> Compiled {
        Compiled {
            env: environment(),
            names: rustc_hash::FxHashMap::default(),
        }
    }

    /// The name `src` is compiled under, compiling it first if need be.
    fn name_of(&mut self, src: &str) -> Result<String, minijinja::Error> {
        if let Some(name) = self.names.get(src) {
            return Ok(name.clone());
        }
        if self.names.len() >= COMPILED_KEPT {
            *self = Compiled::new();
        }
        let name = self.names.len().to_string();
        self.env.add_template_owned(name.clone(), src.to_string())?;
        self.names.insert(src.to_string(), name.clone());
        Ok(name)
    }
}

thread_local! {
    static COMPILED: std::cell::RefCell<Compiled> = std::cell::RefCell::new(Compiled::new());
}

fn render_compiled(
    tmpl: &minijinja::Template,
    src: &str,
    values: &MergeValues,
) -> Result<(String, Vec<String>), minijinja::Error> {
    match tmpl.render(values.value()) {
        Ok(text) => return bounded(text).map(|t| (t, Vec::new())),
        // A runaway template fails the same way whatever the fields: no second try.
        Err(e) if e.kind() == minijinja::ErrorKind::OutOfFuel => return Err(e),
        Err(_) => {}
    }
    let mut absent: Vec<String> = tmpl
        .undeclared_variables(true)
        .into_iter()
        .filter(|v| !values.has(v))
        .collect();
    // Name them in the order the text uses them.
    absent.sort_by_key(|v| (src.find(v.as_str()).unwrap_or(usize::MAX), v.clone()));
    // A field is needed when rendering fails without it while every other gap is filled.
    let needed: Vec<String> = absent
        .iter()
        .filter(|v| {
            let others: Vec<String> = absent.iter().filter(|o| o != v).cloned().collect();
            tmpl.render(values.with_markers(&others)).is_err()
        })
        .cloned()
        .collect();
    let text = bounded(tmpl.render(values.with_markers(&absent))?)?;
    Ok((text, needed))
}

/// The text, unless it is longer than any message could be.
fn bounded(text: String) -> Result<String, minijinja::Error> {
    if text.len() > OUTPUT_MAX {
        return Err(minijinja::Error::new(
            minijinja::ErrorKind::InvalidOperation,
            format!(
                "it writes over {} KB: no message is that long",
                OUTPUT_MAX / 1024
            ),
        ));
    }
    Ok(text)
}

/// Bracket placeholders such as `[Name]` or `[Company name]` left in a text. Markdown links
/// (`[text](url)`) are not placeholders.
pub fn bracket_placeholders(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some((_, after)) = rest.split_once('[') {
        let Some((inner, tail)) = after.split_once(']') else {
            break;
        };
        let next = tail.chars().next();
        let looks_like = inner.chars().next().is_some_and(|c| c.is_uppercase())
            && inner.len() <= 40
            && inner
                .chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '_' || c == '\'');
        if looks_like && next != Some('(') {
            found.push(format!("[{inner}]"));
        }
        rest = tail;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prospect() -> Prospect {
        Prospect {
            first_name: "Dana".into(),
            last_name: "Reyes".into(),
            company: Some("Northwind".into()),
            ..Prospect::default()
        }
    }

    #[test]
    fn renders_fields_and_defaults() {
        let t = Template::parse(
            "t.md",
            "+++\nsubject = \"{{ company }} question\"\n+++\nHi {{ first_name }}, {{ title | default(\"friend\") }}.\n",
        )
        .expect("parses");
        let r = t.render(&MergeValues::new(&prospect(), &Me::default(), None));
        assert_eq!(r.subject.as_deref(), Some("Northwind question"));
        assert_eq!(r.body, "Hi Dana, friend.");
        assert!(r.ready());
    }

    #[test]
    fn missing_field_without_default_is_named() {
        let t = Template::parse(
            "t.md",
            "Hi {{ first_name }} at {{ city }}.\n{{ me.signature }}",
        )
        .expect("parses");
        let r = t.render(&MergeValues::new(&prospect(), &Me::default(), None));
        assert_eq!(
            r.problems,
            vec![
                "missing city",
                "missing me.signature (set it under [me] in config.toml)"
            ]
        );
        assert!(r.body.contains("⟨city⟩"));
    }

    #[test]
    fn syntax_error_points_at_line() {
        let err = Template::parse("x.md", "+++\nsubject = \"s\"\n+++\nok\n{{ first_name \n")
            .expect_err("broken");
        assert_eq!(err.file, "x.md");
        assert_eq!(err.line, 5);
    }

    #[test]
    fn finds_bracket_placeholders_not_links() {
        assert_eq!(
            bracket_placeholders("Hi [Name], see [the guide](https://x.example)"),
            vec!["[Name]"]
        );
    }
}
