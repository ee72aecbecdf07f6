//! Lint findings for the app, worked out once per sequence version: the detail pane asks for
//! one step's findings on every selection change, and linting renders every template.

use crate::content::Sequence;
use crate::content::lint::{Finding, LintInput, lint};
use crate::desk::Desk;
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Default)]
pub struct LintCache {
    /// Every custom field name in the database, read the first time it is needed.
    custom: Option<BTreeSet<String>>,
    /// Findings per sequence version id.
    by_version: HashMap<i64, Vec<Finding>>,
}

impl LintCache {
    /// The custom field names prospects carry (templates may use them).
    pub fn custom_fields(&mut self, desk: &Desk) -> &BTreeSet<String> {
        self.custom
            .get_or_insert_with(|| desk.custom_field_names().unwrap_or_default())
    }

    /// The findings about step `step` (0-based) of this version of a sequence.
    pub fn step_findings(
        &mut self,
        desk: &Desk,
        version_id: i64,
        sequence: &Sequence,
        step: usize,
    ) -> Vec<Finding> {
        if !self.by_version.contains_key(&version_id) {
            let custom = self.custom_fields(desk).clone();
            let found = lint(&LintInput {
                sequence,
                custom_fields: &custom,
            });
            self.by_version.insert(version_id, found);
        }
        self.by_version
            .get(&version_id)
            .map(|all| {
                all.iter()
                    .filter(|f| f.step == Some(step))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
}
