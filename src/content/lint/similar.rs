//! Two steps saying nearly the same thing: the same message on another channel, or the same
//! email sent twice, adds nothing. Bodies are compared as sets of word shingles (three words
//! in a row); 0.8 or more of them shared is "nearly the same".

use super::{Finding, Severity, at_step};
use crate::content::sequence::Sequence;
use std::collections::BTreeSet;

/// How much two bodies may share before they count as one message twice.
const NEAR: f64 = 0.8;

pub fn check(seq: &Sequence, out: &mut Vec<Finding>) {
    let mut seen: Vec<(usize, BTreeSet<String>)> = Vec::new();
    for (i, paths) in seq.step_templates.iter().enumerate() {
        for path in paths {
            let Some(t) = seq.templates.get(path) else {
                continue;
            };
            let shingles = shingles(&t.body);
            if shingles.is_empty() {
                continue;
            }
            let twin = seen
                .iter()
                .filter(|(j, _)| *j != i)
                .map(|(j, other)| (*j, similarity(&shingles, other)))
                .find(|(_, s)| *s >= NEAR);
            if let Some((j, s)) = twin {
                let how = if s >= 0.999 {
                    "the same text as"
                } else {
                    "nearly the same text as"
                };
                out.push(at_step(
                    seq,
                    i,
                    "near-duplicate",
                    Severity::Warning,
                    format!("has {how} step {}; say something new", j + 1),
                ));
            }
            seen.push((i, shingles));
        }
    }
}

/// The three-word runs of a text, lowercased, merge fields as one word each.
pub fn shingles(text: &str) -> BTreeSet<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 3 {
        return words.into_iter().collect();
    }
    words.windows(3).map(|w| w.join(" ")).collect()
}

/// Shared shingles over all shingles of the two (Jaccard).
pub fn similarity(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let shared = a.intersection(b).count();
    let all = a.union(b).count();
    if all == 0 {
        0.0
    } else {
        shared as f64 / all as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_word_or_two_is_still_the_same_message() {
        let a = shingles(
            "Hi Dana, teams like yours lose half a day a week on reports. Would fifteen minutes next week be useful to see how others handle it?",
        );
        let b = shingles(
            "Hi Dana, teams like yours lose half a day a week on reports. Would fifteen minutes next week be useful to see how others do it?",
        );
        let c = shingles("A different note entirely, about hiring plans and the spring budget.");
        assert!(similarity(&a, &b) >= NEAR, "{}", similarity(&a, &b));
        assert!(similarity(&a, &c) < 0.1);
    }
}
