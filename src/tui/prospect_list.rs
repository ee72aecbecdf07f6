//! The Prospects view's state: a window onto the whole book in name order, paged by key as
//! the selection moves (so the last of 100,000 prospects is as near as the first), narrowed
//! by a search and a status; and the card of the selected prospect.

use super::views;
use crate::desk::{BookFilter, BookKey, Page};
use crate::desk::{Desk, HistoryLine, enrollment_state};
use crate::domain::{Prospect, TouchRef};
use chrono::NaiveDateTime;
use std::collections::HashMap;

/// Rows read at a time; the window holds at most three pages.
pub const PAGE: usize = 200;

#[derive(Debug, Default)]
pub struct ProspectList {
    pub query: String,
    /// The search box is taking typed characters.
    pub searching: bool,
    /// Only prospects whose latest enrollment has this status (`none`: never enrolled).
    pub status: Option<String>,
    /// Whether few prospects (under a fifth of the book) have that status.
    pub rare: bool,
    /// The query and status the rows were loaded for; `None` means load again.
    loaded: Option<(String, Option<String>)>,
    /// Whether the window reaches the first / the last prospect that matches.
    pub at_start: bool,
    pub at_end: bool,
    /// A one- or two-letter search stopped after the rows it may look through: more
    /// matches may lie beyond what the window reached.
    pub partial: bool,
    /// The whole book's size, when no search or status narrows it.
    pub total: Option<i64>,
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
        let wanted = (self.query.clone(), self.status.clone());
        if self.loaded.as_ref() != Some(&wanted) {
            let keep = self.selected_prospect().map(|p| p.id);
            self.load(desk, &Page::First);
            self.total = if wanted.0.trim().is_empty() && wanted.1.is_none() {
                desk.count_prospects().ok()
            } else {
                None
            };
            self.loaded = Some(wanted);
            self.statuses.clear();
            self.selected = keep
                .and_then(|id| self.rows.iter().position(|p| p.id == id))
                .unwrap_or(0)
                .min(self.rows.len().saturating_sub(1));
            self.offset = 0;
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

impl ProspectList {
    /// Which prospects the list shows.
    fn filter(&self) -> BookFilter<'_> {
        BookFilter {
            needle: &self.query,
            status: self.status.as_deref(),
            rare: self.rare,
        }
    }

    /// Replaces the window with one page.
    fn load(&mut self, desk: &Desk, page: &Page) {
        match desk.book_page(&self.filter(), page, PAGE) {
            Ok(found) => {
                let short = found.rows.len() < PAGE;
                (self.at_start, self.at_end) = match page {
                    Page::First => (true, short),
                    Page::Last => (short, true),
                    _ => (self.at_start, self.at_end),
                };
                self.partial = found.partial;
                self.rows = found.rows;
                self.error = None;
            }
            Err(e) => {
                self.rows.clear();
                self.error = Some(format!("{e:#}"));
            }
        }
    }

    /// Reads the page after the window; the window drops its first page when it grows past
    /// three.
    fn extend_after(&mut self, desk: &Desk) {
        let Some(last) = self.rows.last().map(BookKey::of) else {
            self.at_end = true;
            return;
        };
        match desk.book_page(&self.filter(), &Page::After(last), PAGE) {
            Ok(found) => {
                self.at_end = found.rows.len() < PAGE;
                self.partial |= found.partial;
                self.rows.extend(found.rows);
                if self.rows.len() > 3 * PAGE {
                    self.rows.drain(..PAGE);
                    self.selected = self.selected.saturating_sub(PAGE);
                    self.offset = self.offset.saturating_sub(PAGE);
                    self.at_start = false;
                }
            }
            Err(e) => {
                self.at_end = true;
                self.error = Some(format!("{e:#}"));
            }
        }
    }

    /// Reads the page before the window; the window drops its last page past three.
    fn extend_before(&mut self, desk: &Desk) {
        let Some(first) = self.rows.first().map(BookKey::of) else {
            self.at_start = true;
            return;
        };
        match desk.book_page(&self.filter(), &Page::Before(first), PAGE) {
            Ok(found) => {
                let mut more = found.rows;
                self.at_start = more.len() < PAGE;
                self.partial |= found.partial;
                let added = more.len();
                more.append(&mut self.rows);
                self.rows = more;
                self.selected += added;
                self.offset += added;
                if self.rows.len() > 3 * PAGE {
                    self.rows.truncate(3 * PAGE);
                    self.at_end = false;
                }
            }
            Err(e) => {
                self.at_start = true;
                self.error = Some(format!("{e:#}"));
            }
        }
    }

    /// Moves the selection `by` rows (negative: up), reading pages as it reaches the
    /// window's edge; `i64::MIN` and `i64::MAX` go to the very first and last row.
    pub fn move_by(&mut self, desk: &Desk, by: i64) {
        if by == i64::MIN {
            if !self.at_start {
                self.load(desk, &Page::First);
                self.offset = 0;
            }
            self.selected = 0;
            return;
        }
        if by == i64::MAX {
            if !self.at_end {
                self.load(desk, &Page::Last);
                self.offset = 0;
            }
            self.selected = self.rows.len().saturating_sub(1);
            return;
        }
        let mut target = i64::try_from(self.selected).unwrap_or(0) + by;
        while target >= i64::try_from(self.rows.len()).unwrap_or(0) && !self.at_end {
            let before = self.selected;
            self.extend_after(desk);
            target -= i64::try_from(before - self.selected).unwrap_or(0);
        }
        while target < 0 && !self.at_start {
            let before = self.selected;
            self.extend_before(desk);
            target += i64::try_from(self.selected - before).unwrap_or(0);
        }
        let last = i64::try_from(self.rows.len()).unwrap_or(1) - 1;
        self.selected = usize::try_from(target.clamp(0, last.max(0))).unwrap_or(0);
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
