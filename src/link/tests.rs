use super::*;
use quorum_sim::msg::NodeId;
use quorum_sim::scenario::Action;

#[test]
fn no_query_means_the_course_defaults() {
    for q in ["", "?", "?utm_source=course"] {
        let link = parse(q);
        assert_eq!(link.scenario, default_scenario());
        assert_eq!(
            (link.preset.is_none(), link.embed, link.notice.clone()),
            (true, false, None),
            "{q}"
        );
    }
}

#[test]
fn presets_load_by_id_and_embed_is_read() {
    let link = parse("?preset=leader-crash&embed=1");
    assert_eq!(link.preset.as_ref().unwrap().id, "leader-crash");
    assert_eq!(
        link.scenario,
        presets::find("leader-crash").unwrap().scenario
    );
    assert!(link.embed);
    assert_eq!(link.notice, None);
}

#[test]
fn a_recorded_run_round_trips_through_its_query() {
    let mut s = presets::find("partition-split").unwrap().scenario.clone();
    s.config.drop = 0.1;
    s.actions.push((
        7_000.5,
        Action::Crash {
            node: NodeId::numbered(2).unwrap(),
        },
    ));
    let q = query(&s, Some("partition-split"), true);
    let link = parse(&q);
    assert_eq!(link.scenario, s);
    assert_eq!(link.preset.unwrap().id, "partition-split");
    assert!(link.embed);
}

#[test]
fn an_untouched_preset_needs_no_scenario_in_the_link() {
    let s = presets::find("read-repair").unwrap().scenario.clone();
    assert_eq!(query(&s, Some("read-repair"), false), "?preset=read-repair");
    assert_eq!(query(&default_scenario(), None, false), "");
}

#[test]
fn default_settings_are_left_out_of_the_link() {
    let mut s = default_scenario();
    s.config.w = 3;
    let json = String::from_utf8(URL_SAFE_NO_PAD.decode(encode(&s)).unwrap()).unwrap();
    assert!(json.contains("\"w\":3"), "{json}");
    assert!(!json.contains("heartbeat_ms"), "{json}");
}

#[test]
fn broken_links_fall_back_with_a_sentence() {
    let cases = [
        ("?preset=nope", "no preset called “nope”"),
        ("?s=%%%", "not valid base64"),
        ("?s=e30", "no scenario version"),
        ("?s=eyJ2ZXJzaW9uIjo5fQ", "made for scenario version 9"),
        ("?preset=leader-crash&s=AAAA", "could not be used"),
    ];
    for (q, says) in cases {
        let link = parse(q);
        assert_eq!(link.scenario, default_scenario(), "{q}");
        let notice = link.notice.unwrap_or_default();
        assert!(notice.contains(says), "{q}: {notice}");
    }
    let mut bad = default_scenario();
    bad.config.w = 9;
    let notice = parse(&format!("?s={}", encode(&bad))).notice.unwrap();
    assert!(notice.contains("W must be between 1 and"), "{notice}");
    let long = format!("?s={}", "A".repeat(MAX_ENCODED + 1));
    assert!(parse(&long).notice.unwrap().contains("more than"));
}

#[test]
fn hostile_preset_names_are_quoted_safely() {
    let notice = parse(&format!("?preset={}\u{7}", "x".repeat(100)))
        .notice
        .unwrap();
    assert!(notice.contains('…') && !notice.contains('\u{7}'));
}

#[test]
fn links_over_a_limit_are_refused_naming_it() {
    use quorum_sim::scenario::limits::MAX_VALUE_BYTES;
    use quorum_sim::workload::Workload;
    let mut fast = default_scenario();
    fast.workload = Some(Workload {
        ops_per_sec: 100_000.0,
        ..Workload::default()
    });
    fast.until_ms = Some(1_000.0);
    let notice = parse(&query(&fast, None, false)).notice.unwrap();
    assert!(
        notice.contains("100000 operations per second, more than the 200"),
        "{notice}"
    );
    let mut big = default_scenario();
    big.actions.push((
        10.0,
        Action::Write {
            client: 1,
            node: NodeId::numbered(1).unwrap(),
            key: "k".into(),
            value: "v".repeat(MAX_VALUE_BYTES + 1),
        },
    ));
    let notice = parse(&query(&big, None, false)).notice.unwrap();
    assert!(
        notice.contains(&format!("{MAX_VALUE_BYTES} bytes a value may have")),
        "{notice}"
    );
}

#[test]
fn a_lessons_defaults_are_the_pages_opening_run() {
    let lessons = Scenario::from_json(quorum_lessons::COURSE_DEFAULTS).unwrap();
    assert_eq!(lessons, default_scenario());
}

#[test]
fn a_lesson_link_names_the_lesson_and_its_step() {
    assert_eq!(
        parse("?lesson=partition&step=2").lesson,
        Some(("partition".into(), 2))
    );
    assert_eq!(
        parse("?lesson=partition").lesson,
        Some(("partition".into(), 1))
    );
    assert_eq!(
        parse("?step=x&lesson=quorums").lesson,
        Some(("quorums".into(), 1))
    );
    assert_eq!(parse("?preset=leader-crash").lesson, None);
}

#[test]
fn a_link_whose_scenario_would_not_fit_a_link_again_is_refused() {
    // Reads that leave their level out are written back with it: 700 of
    // them fit a link as given, and not as the page would write it.
    let read = r#"[2637.408,{"do":"read","client":3,"node":3,"key":"name"}]"#;
    let json = format!(
        r#"{{"version":1,"seed":7,"actions":[{}]}}"#,
        vec![read; 700].join(",")
    );
    let given = URL_SAFE_NO_PAD.encode(&json);
    assert!(given.len() <= MAX_ENCODED, "{}", given.len());
    let why = decode(&given).unwrap_err();
    assert!(
        matches!(why, LinkError::TooLong { again: true, .. }),
        "{why:?}"
    );
    let why = why.to_string();
    assert!(why.starts_with("written out again it is "), "{why}");
    let link = parse(&format!("?s={given}"));
    assert_eq!(link.scenario, default_scenario());
    assert!(link.notice.unwrap().contains(&why));
}
