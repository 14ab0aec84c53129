//! Unit tests of relations: each names the rule that pairs (or does not pair) two names.
use super::*;

fn pairs(x: &Extraction) -> Vec<String> {
    x.relations
        .iter()
        .map(|r| format!("{}: {}", r.kind.as_str(), r.participants.join(" x ")))
        .collect()
}

fn kind_between(x: &Extraction, a: &str, b: &str) -> Option<PartnershipKind> {
    x.relations
        .iter()
        .find(|r| r.participants.iter().any(|p| p == a) && r.participants.iter().any(|p| p == b))
        .map(|r| r.kind)
}

#[test]
fn coordinated_subjects_of_a_joint_verb_are_paired() {
    let x = run(
        "Boy group Nova Kids and British singer Ella Crane teamed up on the single \"Paper Moon\".",
    );
    assert_eq!(
        kind_between(&x, "Nova Kids", "Ella Crane"),
        Some(PartnershipKind::MusicalCollaboration),
        "{:?}",
        pairs(&x)
    );
    let r = x
        .relations
        .iter()
        .find(|r| r.via.is_some())
        .expect("a song");
    assert_eq!(r.via.as_deref(), Some("Paper Moon"));
}

#[test]
fn one_act_with_each_of_a_list_after_the_trigger() {
    let x = run(
        "Singer Mira Stone has collaborated with rapper Dee Kwon, producer Alan Wolfe and the band Iron Tides.",
    );
    for other in ["Dee Kwon", "Alan Wolfe", "Iron Tides"] {
        assert!(
            has_pair(&x, "Mira Stone", other),
            "{other}: {:?}",
            pairs(&x)
        );
    }
    assert!(!has_pair(&x, "Dee Kwon", "Alan Wolfe"), "{:?}", pairs(&x));
}

#[test]
fn a_work_that_stars_a_list_casts_each() {
    let x = run("The new series \"Night Harbor\" stars Kim Ji-ho, Lee Sun-woo and Park Min-jae.");
    for p in ["Kim Ji-ho", "Lee Sun-woo", "Park Min-jae"] {
        assert_eq!(
            kind_between(&x, p, "Night Harbor"),
            Some(PartnershipKind::Casting),
            "{p}: {:?}",
            pairs(&x)
        );
    }
}

#[test]
fn companies_producing_one_work_are_partners() {
    let x = run("The drama \"Blue Hour\" is produced by Dragonfly Studios and Moonlight Pictures.");
    assert_eq!(
        kind_between(&x, "Dragonfly Studios", "Moonlight Pictures"),
        Some(PartnershipKind::BusinessPartnership),
        "{:?}",
        pairs(&x)
    );
}

#[test]
fn an_artist_fronts_each_brand_named() {
    let x = run(
        "Actress Hana Yoon was named the new global ambassador of fashion brands Lumiere Paris and Ceranne Beauty.",
    );
    for brand in ["Lumiere Paris", "Ceranne Beauty"] {
        assert_eq!(
            kind_between(&x, "Hana Yoon", brand),
            Some(PartnershipKind::Endorsement),
            "{brand}: {:?}",
            pairs(&x)
        );
    }
}

#[test]
fn past_works_in_a_relative_clause_are_castings() {
    let x = run(
        "Actor Lee Joon-ho, who starred in \"Red Sky\" and \"Long Night\", will lead the new film.",
    );
    for w in ["Red Sky", "Long Night"] {
        assert!(has_pair(&x, "Lee Joon-ho", w), "{w}: {:?}", pairs(&x));
    }
}

#[test]
fn a_role_noun_between_a_work_and_a_person() {
    let x = run("\"Red Sky\" director Park Chan-ho returns with a thriller.");
    assert_eq!(
        kind_between(&x, "Park Chan-ho", "Red Sky"),
        Some(PartnershipKind::Casting),
        "{:?}",
        pairs(&x)
    );
}

#[test]
fn a_noun_phrase_stands_for_the_articles_work() {
    let x =
        run("The series \"Night Harbor\" premieres in May.\nThe drama is directed by Choi Min-ho.");
    assert!(
        has_pair(&x, "Choi Min-ho", "Night Harbor"),
        "{:?}",
        pairs(&x)
    );
}

#[test]
fn a_pronoun_stands_for_the_person_named_last() {
    let x = run(
        "Actress Hana Yoon won praise at the festival.\nShe will star in the film \"Glass Garden\".",
    );
    assert!(has_pair(&x, "Hana Yoon", "Glass Garden"), "{:?}", pairs(&x));
}

#[test]
fn speculation_and_negation_state_no_partnership() {
    for text in [
        "Nova Kids is reportedly in talks to collaborate with Ella Crane.",
        "Nova Kids did not collaborate with Ella Crane on the album.",
    ] {
        let x = run(text);
        assert!(
            !has_pair(&x, "Nova Kids", "Ella Crane"),
            "{text}: {:?}",
            pairs(&x)
        );
    }
}

#[test]
fn members_of_one_group_are_not_partners() {
    let x = run("VELVA members Lisa Moon and Jisoo Park sang together on the duet \"Twin Stars\".");
    assert!(!has_pair(&x, "Lisa Moon", "Jisoo Park"), "{:?}", pairs(&x));
}

#[test]
fn a_song_for_a_work_is_its_soundtrack() {
    let x = run("Singer Ella Crane released \"Glow\" for the drama \"Moon Road\".");
    assert_eq!(kind_of(&x, "Glow"), Some(Kind::Song));
    assert_eq!(
        kind_between(&x, "Ella Crane", "Moon Road"),
        Some(PartnershipKind::Soundtrack),
        "{:?}",
        pairs(&x)
    );
}

#[test]
fn a_period_inside_quote_marks_mid_sentence_is_the_titles() {
    let x = run(
        "Rosé, a member of VELVA, and Bruno Mars released the duet \"APT.\" through Atlantic Records.",
    );
    let song = x
        .found
        .iter()
        .find(|f| f.kind == Kind::Song)
        .expect("a song");
    assert_eq!(song.name, "APT.");
    let rose = x.found.iter().find(|f| f.name == "Rosé").expect("Rosé");
    assert_eq!(rose.member_of, vec!["VELVA".to_string()]);
    assert_eq!(
        kind_between(&x, "Rosé", "Bruno Mars"),
        Some(PartnershipKind::MusicalCollaboration),
        "{:?}",
        pairs(&x)
    );
    assert!(
        !has_pair(&x, "Bruno Mars", "Atlantic Records"),
        "{:?}",
        pairs(&x)
    );
}

#[test]
fn spelling_variants_are_one_entity() {
    let x = run("Rosé (VELVA) sang the theme.\nRose said the song was personal.");
    let rose: Vec<&Found> = x
        .found
        .iter()
        .filter(|f| f.name.starts_with("Ros"))
        .collect();
    assert_eq!(rose.len(), 1, "{:?}", x.found);
    assert!(rose[0].surfaces.contains(&"Rose".to_string()));
}

#[test]
fn lower_case_quoted_titles_are_names() {
    let x = run("The group released \"moonlit\" as the title track of its new album.");
    assert_eq!(kind_of(&x, "moonlit"), Some(Kind::Song), "{:?}", x.found);
}

#[test]
fn explain_tells_why_a_claim_was_left_out() {
    let (_, trace) = trace(
        &article("Nova Kids is reportedly in talks to collaborate with Ella Crane."),
        &Lexicon::builtin(),
    );
    let dropped: Vec<&String> = trace.iter().flat_map(|s| &s.dropped).collect();
    assert!(
        dropped.iter().any(|d| d.contains("speculation")),
        "{dropped:?}"
    );
}

#[test]
fn acts_owning_one_song_made_it_together_and_are_credited_with_it() {
    let x = run(
        "\"Glass Hour\" is the best-selling soundtrack song for the movie \"Harbor\", surpassing Mira Vance and Tobin Reyes's \"Low Tide\".",
    );
    let collab = x
        .relations
        .iter()
        .find(|r| r.kind == PartnershipKind::MusicalCollaboration)
        .expect("a collaboration");
    assert!(
        has_pair(&x, "Mira Vance", "Tobin Reyes"),
        "{:?}",
        x.relations
    );
    assert_eq!(collab.via.as_deref(), Some("Low Tide"));
    let soundtracks: Vec<_> = x
        .relations
        .iter()
        .filter(|r| r.kind == PartnershipKind::Soundtrack)
        .collect();
    assert!(has_pair(&x, "Mira Vance", "Harbor"), "{:?}", x.relations);
    for r in soundtracks {
        assert_eq!(r.via.as_deref(), Some("Low Tide"), "{r:?}");
    }
}

#[test]
fn his_role_stands_for_the_person_and_a_filmography_list_runs_past_years_and_kind_nouns() {
    let x = run(
        "Dex Halloway spoke to reporters on Monday.\nKnown for his role in \"Harbor Lights,\" Halloway has done about 40 films, including the crime drama \"Glass Road\" (2017) and the action thriller \"Night Ferry\" (2019).",
    );
    for work in ["Harbor Lights", "Glass Road", "Night Ferry"] {
        assert!(
            has_pair(&x, "Dex Halloway", work),
            "{work}: {:?}",
            x.relations
        );
    }
}

#[test]
fn a_group_cue_outweighs_how_often_a_name_looks_like_a_person() {
    let x = run(
        "The group Nova Line (Ari Moon, Bel Kang, Cass Yoon) will appear on the music show \"Star Stage\".\nNova Line will perform \"Paper Sun\" there.\nNova Line also released a new single.\nFans of Nova Line waited for hours.",
    );
    let nova = x
        .found
        .iter()
        .find(|f| f.name == "Nova Line")
        .expect("Nova Line");
    assert_eq!(nova.subtype, Some(Subtype::Group));
    for member in ["Ari Moon", "Bel Kang", "Cass Yoon"] {
        assert_ne!(kind_of(&x, member), Some(Kind::Film), "{member}");
        assert!(
            !has_pair(&x, "Nova Line", member),
            "{member}: {:?}",
            x.relations
        );
    }
}

#[test]
fn people_credited_with_a_song_are_not_cast_in_the_articles_show() {
    let x = run(
        "The group Nova Line will appear on the music show \"Star Stage\" on Friday.\nThe new song was written and composed by Ari Moon and Bel Kang.",
    );
    assert!(has_pair(&x, "Nova Line", "Star Stage"), "{:?}", x.relations);
    assert!(!has_pair(&x, "Ari Moon", "Star Stage"), "{:?}", x.relations);
}

#[test]
fn a_collaboration_between_two_parties_however_described() {
    let x = run(
        "The video came out of a collaboration between Orbis Electronics and the top star of the time, Mira Vance, in 2005.",
    );
    assert!(
        has_pair(&x, "Orbis Electronics", "Mira Vance"),
        "{:?}",
        x.relations
    );
}

#[test]
fn a_company_word_opening_a_name_makes_a_company_and_its_people_stand_for_it() {
    let x = run(
        "To prepare the series, Streamly teamed up with producers Cho Min and Kim Joo of Company Hanul last year.",
    );
    assert_eq!(kind_of(&x, "Company Hanul"), Some(Kind::Label));
    assert!(
        has_pair(&x, "Streamly", "Company Hanul"),
        "{:?}",
        x.relations
    );
    assert!(!has_pair(&x, "Streamly", "Cho Min"), "{:?}", x.relations);
}

#[test]
fn a_name_before_a_work_noun_and_a_title_says_what_the_title_is_about() {
    let x = run(
        "The series will be directed by Nadia Holm, who directed Streamly's Mira Vance documentary \"Rising\".",
    );
    assert_eq!(kind_of(&x, "Rising"), Some(Kind::Film));
    assert_ne!(kind_of(&x, "Mira Vance"), Some(Kind::Film));
    assert!(has_pair(&x, "Nadia Holm", "Rising"), "{:?}", x.relations);
    assert!(
        !has_pair(&x, "Nadia Holm", "Mira Vance"),
        "{:?}",
        x.relations
    );
}

#[test]
fn a_capitalized_new_or_one_mid_sentence_opens_a_title() {
    let x = run(
        "Streamly has picked up the remake rights to Park Hoon's crime film New Dawn.\nNew projects were announced too.",
    );
    assert_eq!(kind_of(&x, "New Dawn"), Some(Kind::Film));
    assert!(
        x.found
            .iter()
            .all(|f| f.name != "Dawn" && f.name != "New projects")
    );
}

#[test]
fn a_relative_clause_runs_on_through_commas_until_the_main_verb_resumes() {
    let x = run(
        "Streamly has picked up the remake rights to the crime film \"New Dawn\".\nMeanwhile Will Harlan, who has been in demand lately, penning projects for directors Clive Eston and Sean Pike, is set to write the remake.",
    );
    assert!(has_pair(&x, "Will Harlan", "New Dawn"), "{:?}", x.relations);
    assert!(
        !has_pair(&x, "Clive Eston", "New Dawn"),
        "{:?}",
        x.relations
    );
    assert!(!has_pair(&x, "Sean Pike", "New Dawn"), "{:?}", x.relations);
}

#[test]
fn a_list_opened_by_a_known_organization_is_of_organizations() {
    let x = run(
        "It is being produced by Studio Dragon and Pan Leisure (\"Winter Bells,\" \"Moon River\").",
    );
    assert_eq!(kind_of(&x, "Pan Leisure"), Some(Kind::Label));
    assert!(
        has_pair(&x, "Studio Dragon", "Pan Leisure"),
        "{:?}",
        x.relations
    );
    assert!(
        !has_pair(&x, "Pan Leisure", "Winter Bells"),
        "{:?}",
        x.relations
    );
}

#[test]
fn co_stars_named_alongside_are_cast_too() {
    let x = run(
        "Mira will star in the upcoming Streamly series \"Tangerine Days\" alongside Park Bo-ram.",
    );
    assert!(has_pair(&x, "Mira", "Tangerine Days"), "{:?}", x.relations);
    assert!(
        has_pair(&x, "Park Bo-ram", "Tangerine Days"),
        "{:?}",
        x.relations
    );
}

#[test]
fn a_name_that_has_been_named_an_ambassador_is_an_artist() {
    let x = run("Jiwoo has been named the global ambassador for Calvin Klein.");
    assert_eq!(kind_of(&x, "Jiwoo"), Some(Kind::Artist));
    assert!(has_pair(&x, "Jiwoo", "Calvin Klein"), "{:?}", x.relations);
}

#[test]
fn signing_with_an_agency_is_no_partnership() {
    let x = run("Actress Jun Mi-ra signed an exclusive contract with agency Peach Lane.");
    assert_eq!(kind_of(&x, "Peach Lane"), Some(Kind::Label));
    assert!(
        !has_pair(&x, "Jun Mi-ra", "Peach Lane"),
        "{:?}",
        x.relations
    );
}

#[test]
fn a_song_for_a_work_makes_a_soundtrack_whatever_else_the_sentence_says() {
    let x = run(
        "Singer Lim Ha-ram participated in the OST of drama \"Doctor Cho\" with the song \"Warmth\".",
    );
    assert_eq!(
        kind_between(&x, "Lim Ha-ram", "Doctor Cho"),
        Some(PartnershipKind::Soundtrack)
    );
}

#[test]
fn breathing_together_in_a_drama_is_a_casting_of_both() {
    let x = run("Kim Soo-ha and Kim Ji-woo are breathing together in the drama \"Queen of Cups\".");
    assert!(
        has_pair(&x, "Kim Soo-ha", "Queen of Cups"),
        "{:?}",
        x.relations
    );
    assert!(
        has_pair(&x, "Kim Ji-woo", "Queen of Cups"),
        "{:?}",
        x.relations
    );
}

#[test]
fn a_one_letter_name_after_a_person_cue_appears_with_its_co_star() {
    let x = run("NOVA member V will appear on tvN's \"Jinny's Table\" alongside Park Seo-ha.");
    assert!(has_pair(&x, "V", "Jinny's Table"), "{:?}", x.relations);
    assert!(
        has_pair(&x, "Park Seo-ha", "Jinny's Table"),
        "{:?}",
        x.relations
    );
}

#[test]
fn a_work_produced_by_a_platform_is_no_partnership_of_its_cast() {
    let x = run(
        "Lee Min-ho plays the role of Baek-ho in the drama \"Pachinko\" produced by Apple TV+.",
    );
    assert!(has_pair(&x, "Lee Min-ho", "Pachinko"), "{:?}", x.relations);
    assert!(
        !has_pair(&x, "Lee Min-ho", "Apple TV+"),
        "{:?}",
        x.relations
    );
}

#[test]
fn an_everyone_partnership_says_no_more_than_the_endorsements_of_each() {
    let x = run("Chanel unveiled its new campaign featuring Jennie, Lisa and Karina.");
    for who in ["Jennie", "Lisa", "Karina"] {
        assert_eq!(
            kind_between(&x, who, "Chanel"),
            Some(PartnershipKind::Endorsement)
        );
    }
    assert!(
        x.relations.iter().all(|r| r.participants.len() == 2),
        "{:?}",
        x.relations
    );
}

#[test]
fn labels_launching_an_act_together_are_partners() {
    let x = run("JYP Entertainment and Republic Records jointly launched the girl group VCHA.");
    assert_eq!(
        kind_between(&x, "JYP Entertainment", "Republic Records"),
        Some(PartnershipKind::BusinessPartnership)
    );
    assert!(
        !has_pair(&x, "VCHA", "Republic Records"),
        "{:?}",
        x.relations
    );
}

#[test]
fn a_known_company_keeps_its_company_word() {
    let x = run("Hyundai Motor partnered with the group NOVA for its campaign.");
    assert_eq!(kind_of(&x, "Hyundai Motor"), Some(Kind::Label));
    assert!(has_pair(&x, "Hyundai Motor", "NOVA"), "{:?}", x.relations);
}

#[test]
fn a_credit_inside_a_quoted_title_is_a_collaboration_via_the_song() {
    let x = run("Mira Vance also shared \"Blue Hour (feat. Sunmi)\" as the lead single.");
    assert_eq!(kind_of(&x, "Blue Hour"), Some(Kind::Song));
    let r = x
        .relations
        .iter()
        .find(|r| r.kind == PartnershipKind::MusicalCollaboration)
        .expect("a collaboration");
    assert!(has_pair(&x, "Mira Vance", "Sunmi"), "{:?}", x.relations);
    assert_eq!(r.via.as_deref(), Some("Blue Hour"));
}

#[test]
fn a_lower_case_title_released_is_a_work_and_a_credit_after_a_title_no_character() {
    let x = run(
        "Singer Mira Vance released \"moonlit (Remix)\" with rapper Jae Park.\nHer album adds \"Low Tide\" (feat. Jae Park).",
    );
    assert_eq!(kind_of(&x, "moonlit (Remix)"), Some(Kind::Song));
    assert_eq!(kind_of(&x, "Low Tide"), Some(Kind::Song));
}

#[test]
fn a_soundtrack_listing_songs_by_their_acts_credits_each_act_with_its_song() {
    let x = run(
        "The OST lineup for the drama \"Queen of Cups\" features Taeyeon's \"Blue\" and Crush's \"Beautiful\".\nThe drama's soundtrack also features \"Stay\" by Zion.T and \"Home\" by Punch.",
    );
    let pairs = [
        ("Taeyeon", "Blue"),
        ("Crush", "Beautiful"),
        ("Zion.T", "Stay"),
        ("Punch", "Home"),
    ];
    for (act, song) in pairs {
        let r = x
            .relations
            .iter()
            .find(|r| r.participants.iter().any(|p| p == act))
            .unwrap_or_else(|| panic!("{act}: {:?}", x.relations));
        assert_eq!(r.kind, PartnershipKind::Soundtrack);
        assert_eq!(r.via.as_deref(), Some(song));
    }
}

#[test]
fn acts_in_a_relative_clauses_own_list_are_no_parties_of_the_sentence() {
    let x = run(
        "The first OST, \"Love Beyond Words,\" is produced by DOKO, who is behind hits like Mira Vance's \"Blue,\" Jae Park's \"Red\" and Nova Line's \"Gold.\"",
    );
    for act in ["Mira Vance", "Jae Park", "Nova Line"] {
        assert!(
            x.relations
                .iter()
                .all(|r| r.kind != PartnershipKind::Soundtrack
                    || !r.participants.iter().any(|p| p == act)),
            "{act}: {:?}",
            x.relations
        );
    }
}
