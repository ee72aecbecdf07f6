//! The Prospects view's state: a search (indexed, with a limit, loaded only when the view is
//! shown) and the card of the selected prospect.

use super::views;
use crate::desk::{Desk, HistoryLine, enrollment_state};
use crate::domain::{Prospect, TouchRef};
use chrono::NaiveDateTime;
use std::collections::HashMap;

/// At most this many search results: the view is for finding someone, not for paging.
pub const LIMIT: usize = 200;

#[derive(Debug, Default)]
pub struct ProspectList {
    pub query: String,
    /// The search box is taking typed characters.
    pub searching: bool,
    /// The query the rows were loaded for; `None` means load again.
    loaded: Option<String>,
    pub rows: Vec<Prospect>,
    /// One-line sequence status of the rows on screen.
    pub statuses: HashMap<i64, String>,
    pub selected: usize,
    pub offset: usize,
    pub card: Option<Card>,
    /// The card fills the view (Enter), instead of sitting beside the list.
    pub opened: bool,
    pub scroll: u16,
    pub error: Option<String>,
    /// Prospects marked with `v` for one action on all of them.
    pub marked: std::collections::BTreeSet<i64>,
}

/// One prospect in full: fields, enrollments, history.
#[derive(Debug, Clone)]
pub struct Card {
    pub prospect: Prospect,
    pub enrollments: Vec<String>,
    pub history: Vec<HistoryLine>,
    pub do_not_contact: bool,
    /// The open enrollment's current touch as the card shows it: what its keys act on.
    pub touch: Option<TouchRef>,
}

impl ProspectList {
    /// Forgets loaded rows and the card, after an action changed them.
    pub fn invalidate(&mut self) {
        self.loaded = None;
        self.statuses.clear();
        self.card = None;
    }

    pub fn selected_prospect(&self) -> Option<&Prospect> {
        self.rows.get(self.selected)
    }

    /// Loads what the view shows: the search results, the statuses of the rows on screen,
    /// and the selected prospect's card.
    pub fn sync(&mut self, desk: &Desk, now: NaiveDateTime, size: (u16, u16)) {
        if self.loaded.as_deref() != Some(self.query.as_str()) {
            let keep = self.selected_prospect().map(|p| p.id);
            match desk.search(&self.query, LIMIT) {
                Ok(rows) => {
                    self.rows = rows;
                    self.error = None;
                }
                Err(e) => {
                    self.rows.clear();
                    self.error = Some(format!("{e:#}"));
                }
            }
            self.loaded = Some(self.query.clone());
            self.statuses.clear();
            self.selected = keep
                .and_then(|id| self.rows.iter().position(|p| p.id == id))
                .unwrap_or(self.selected)
                .min(self.rows.len().saturating_sub(1));
        }
        let page = usize::from(views::prospect_rows(size)).max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        self.offset = self.offset.min(self.rows.len().saturating_sub(page));
        for p in self.rows.iter().skip(self.offset).take(page) {
            self.statuses.entry(p.id).or_insert_with(|| {
                status_line(desk, p.id, now).unwrap_or_else(|e| format!("{e:#}"))
            });
        }
        let want = self.selected_prospect().map(|p| p.id);
        if self.card.as_ref().map(|c| c.prospect.id) != want {
            self.scroll = 0;
            self.card = want.and_then(|id| match load_card(desk, id, now) {
                Ok(card) => card,
                Err(e) => {
                    self.error = Some(format!("{e:#}"));
                    None
                }
            });
        }
    }
}

/// "cold-21 3/10 call · due Thu 26 Nov", "cold-21 paused until 7 Dec", "classic-4 replied".
fn status_line(desk: &Desk, prospect_id: i64, now: NaiveDateTime) -> anyhow::Result<String> {
    let all = desk.enrollments(prospect_id)?;
    let pick = all
        .iter()
        .find(|i| i.enrollment.status.is_open())
        .or(all.last());
    Ok(match pick {
        Some(i) => format!(
            "{} {}",
            i.sequence_name,
            enrollment_state(&i.sequence, &i.enrollment, now)
        ),
        None => "not in a sequence".to_string(),
    })
}

fn load_card(desk: &Desk, prospect_id: i64, now: NaiveDateTime) -> anyhow::Result<Option<Card>> {
    let Some(prospect) = desk.prospect_by_id(prospect_id)? else {
        return Ok(None);
    };
    let infos = desk.enrollments(prospect_id)?;
    let enrollments = infos
        .iter()
        .map(|i| {
            format!(
                "{}: {} · started {}",
                i.sequence_name,
                enrollment_state(&i.sequence, &i.enrollment, now),
                i.enrollment.started.format("%-d %b %Y")
            )
        })
        .collect();
    let touch = infos.iter().find_map(|i| i.enrollment.touch());
    Ok(Some(Card {
        do_not_contact: desk.do_not_contact_match(&prospect)?.is_some(),
        history: desk.history(prospect_id)?,
        enrollments,
        touch,
        prospect,
    }))
}
