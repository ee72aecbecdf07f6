//! The numbered schema migrations. Append new ones; never edit a released one. Here: the
//! list in order, the version numbers and the pins that keep released texts unedited;
//! `texts` holds the SQL of V1 to V23 and V27, `hooks` what those migrations do in Rust.

mod hooks;
mod texts;

use hooks::{fill_keys, fill_other_addresses, pack_messages};
use rusqlite_migration::{M, Migrations};
use texts::*;

/// Marks a SQLite file as touchbase's own (`PRAGMA application_id`): "TBas".
pub const APPLICATION_ID: i32 = 0x5442_6173;

/// The SQL of every released migration, in order (V1 first): history, never edited. A
/// migration made by a hook (V21) is pinned by the SQL its hook builds
/// (`compact_log::released_text`).
#[cfg(test)]
const RELEASED: [&str; 25] = [
    V1,
    V2,
    V3,
    V4,
    V5,
    V6,
    V7,
    V8,
    V9,
    V10,
    V11,
    V12,
    V13,
    V14,
    V15,
    V16,
    V17,
    V18,
    V19,
    V20,
    V18_DAYS,
    V22,
    V23,
    super::book_order::V24,
    V27,
];

pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up(V3),
        M::up(V4),
        M::up(V5),
        M::up_with_hook(V6, fill_keys),
        M::up(V7),
        M::up(V8),
        M::up(V9),
        M::up(V10),
        M::up(V11),
        M::up(V12),
        M::up(V13),
        M::up(V14),
        M::up(V15),
        M::up_with_hook(V16, fill_other_addresses),
        M::up(V17),
        M::up_with_hook(V18, pack_messages),
        M::up(V19),
        M::up(V20),
        // The touch log in its compact layout (store::log_codes).
        M::up_with_hook("", super::compact_log::migrate),
        M::up(V22),
        M::up_with_hook(V23, super::stats::after_reply::migrate),
        // The book's order as positions, the search index keyed by them (store::book_order).
        M::up_with_hook("", super::book_order::migrate),
        // Responses by the day each enrollment first answered (stats::response_days).
        M::up_with_hook("", super::stats::response_days::migrate),
        // Meetings held and deals won by day (stats::after_reply_days).
        M::up_with_hook("", super::stats::after_reply_days::migrate),
        M::up(V27),
    ])
}

/// The version whose migration packs the log, the enrollments and the prospects.
pub const COMPACT: i64 = 21;

/// The schema version this build writes (the number of migrations).
pub const LATEST: i64 = 27;

#[cfg(test)]
mod tests {
    use super::*;

    /// Length and FNV-1a hash of each text of [`RELEASED`], as released.
    const PINNED: [(usize, u64); 25] = [
        (3187, 0xa02d_6f08_882c_cc97),  // V1
        (44, 0x995e_eebd_0b5d_97a7),    // V2
        (151, 0xd87a_ba05_faea_58bd),   // V3
        (14165, 0xb639_35bd_13c9_7230), // V4
        (1240, 0x3d82_1379_ceef_06fd),  // V5
        (1250, 0xefc4_3609_996d_4d7a),  // V6
        (258, 0x9c05_fd30_a9f5_59a0),   // V7
        (2154, 0x61af_a07f_c0bc_cc8e),  // V8
        (99, 0xf628_e1b4_a950_762f),    // V9
        (422, 0x98d3_f43b_7a17_bb6c),   // V10
        (257, 0x2d8c_3063_bc67_2a15),   // V11
        (253, 0xca55_1d77_fab6_e3ae),   // V12
        (285, 0x1181_d144_33c5_94c3),   // V13
        (107, 0x87e7_663b_6c88_81c3),   // V14
        (690, 0x391f_aede_4a3a_1622),   // V15
        (153, 0xfa96_ae5e_937d_305c),   // V16
        (967, 0xe0cf_6201_77b4_cfe2),   // V17
        (803, 0xd9a8_1729_560a_7445),   // V18
        (13804, 0x8f48_4d82_99bf_ea22), // V19
        (132, 0x98fa_835e_caed_6853),   // V20
        (1278, 0x71ac_6e16_cf75_271c),  // V18's days
        (1190, 0x8567_76a1_65d2_c558),  // V22
        (1816, 0xa789_5b17_ff01_31fd),  // V23
        (1245, 0xde9d_8f70_4dfc_a54b),  // V24
        (890, 0xf8bf_fb33_cd3d_bbc2),   // V27
    ];
    const PINNED_V21: (usize, u64) = (11029, 0x4c7f_dade_431f_4406);
    const PINNED_V26: (usize, u64) = (3541, 0x62f0_dd1f_3bc3_ff2c);
    const PINNED_V25: (usize, u64) = (1450, 0x20bb_62b2_31c8_995c);

    /// FNV-1a, 64 bits: enough to notice any edit, and stable across Rust versions.
    fn fnv(text: &str) -> u64 {
        text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    }

    /// Each released migration's text, pinned when it was released. A failure here means a
    /// released migration was edited: put the change in a new migration instead.
    #[test]
    fn released_migrations_are_never_edited() {
        for (i, (sql, (len, hash))) in RELEASED.iter().zip(PINNED).enumerate() {
            let name = if i == 20 {
                "V18's days".to_string()
            } else if i == 24 {
                "V27".to_string()
            } else {
                format!("V{}", i + 1)
            };
            assert_eq!((sql.len(), fnv(sql)), (len, hash), "{name} was edited");
        }
        let v21 = crate::desk::store::compact_log::released_text();
        assert_eq!((v21.len(), fnv(&v21)), PINNED_V21, "V21 was edited");
        let v25 = crate::desk::store::stats::response_days::released_text();
        assert_eq!((v25.len(), fnv(&v25)), PINNED_V25, "V25 was edited");
        let v26 = crate::desk::store::stats::after_reply_days::released_text();
        assert_eq!((v26.len(), fnv(&v26)), PINNED_V26, "V26 was edited");
    }

    /// V27 finds accounts with the free-mail domains `domain::accounts` knows, all of them.
    #[test]
    fn the_free_mail_domains_of_v27_are_the_accounts_rule() {
        let list = format!("'|{}|'", crate::domain::accounts::FREE_MAIL.join("|"));
        assert!(
            V27.contains(&list),
            "V27 lists other domains than FREE_MAIL"
        );
    }
}
