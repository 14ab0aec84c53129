//! Unit tests of extraction on single sentences: each names a rule, not a seed.
use super::*;
use crate::ingest::{Block, BlockKind, Format};

fn article(text: &str) -> Article {
    let blocks: Vec<Block> = text
        .lines()
        .map(|l| Block {
            kind: BlockKind::Paragraph,
            text: l.to_string(),
            sentences: crate::ingest::segment::sentences(l),
        })
        .collect();
    Article {
        id: "t".into(),
        path: "t.txt".into(),
        format: Format::Text,
        title: "t".into(),
        date: None,
        source: None,
        publisher: None,
        author: None,
        lang: "en".into(),
        blocks: blocks.into(),
        markdown: None,
        twins: vec![],
    }
}

fn run(text: &str) -> Extraction {
    extract(&article(text), &Lexicon::builtin())
}

fn kind_of(x: &Extraction, name: &str) -> Option<Kind> {
    x.found
        .iter()
        .find(|f| f.surfaces.iter().any(|s| s == name))
        .map(|f| f.kind)
}

fn has_pair(x: &Extraction, a: &str, b: &str) -> bool {
    x.relations
        .iter()
        .any(|r| r.participants.iter().any(|p| p == a) && r.participants.iter().any(|p| p == b))
}

#[test]
fn quoted_title_after_movie_cue_is_a_film() {
    let x = run("The singer released a song for the American movie \"Skyline Run\" last week.");
    assert_eq!(kind_of(&x, "Skyline Run"), Some(Kind::Film));
}

#[test]
fn group_cue_finds_lower_case_names() {
    let x = run(
        "Girl group aespa has released \"Die Trying\", the soundtrack for the film \"Moonfall\".",
    );
    assert_eq!(kind_of(&x, "aespa"), Some(Kind::Artist));
    assert_eq!(kind_of(&x, "Die Trying"), Some(Kind::Song));
    assert!(has_pair(&x, "aespa", "Moonfall"));
}

#[test]
fn member_in_parentheses() {
    let x = run(
        "Recently, Yuri (VELVA) released the soundtrack song \"Dizzy\" for the movie \"Harbor\", starring actor Dex Halloway.",
    );
    let yuri = x
        .found
        .iter()
        .find(|f| f.name == "Yuri")
        .expect("Yuri found");
    assert_eq!(yuri.member_of, vec!["VELVA".to_string()]);
    assert!(has_pair(&x, "Yuri", "Harbor"));
    assert!(has_pair(&x, "Dex Halloway", "Harbor"));
    assert!(!has_pair(&x, "VELVA", "Harbor"), "{:?}", x.relations);
}

#[test]
fn two_names_share_one_starring_cue() {
    let x = run(
        "Or Mina's participation in the movie \"The Lantern\", starring Lily-Rose Quinn and The Weekday, drew criticism.",
    );
    for p in ["Mina", "Lily-Rose Quinn", "The Weekday"] {
        assert!(has_pair(&x, p, "The Lantern"), "{p}: {:?}", x.relations);
    }
}

#[test]
fn korean_names_are_people_and_executives_are_not_entities() {
    let x = run(
        "Park Hae Soo and Kim Tae Hee are available on the original series \"Butterfly Road\".\nThe deal was signed by Starwave Entertainment's co-CEO, Joseph Marsh, and Billboard President Mike Vance.",
    );
    assert_eq!(kind_of(&x, "Park Hae Soo"), Some(Kind::Artist));
    assert!(has_pair(&x, "Kim Tae Hee", "Butterfly Road"));
    assert_eq!(kind_of(&x, "Joseph Marsh"), None);
    assert_eq!(kind_of(&x, "Mike Vance"), None);
    assert_eq!(kind_of(&x, "Starwave Entertainment"), Some(Kind::Label));
}

#[test]
fn awards_are_not_entities_even_with_a_broadcaster_inside() {
    let x = run(
        "Kim Mu Jun, who won the Newcomer Award at the MBC Drama Awards for her role in the TV series Lovers, will next star in the series Black Sea.",
    );
    assert_eq!(kind_of(&x, "MBC"), None);
    assert!(has_pair(&x, "Kim Mu Jun", "Lovers"));
    assert!(has_pair(&x, "Kim Mu Jun", "Black Sea"));
}

#[test]
fn business_partnership_between_organizations() {
    let x = run(
        "This marks the first official partnership between Billboard, Billboard Korea, and Kakao Entertainment.",
    );
    assert_eq!(kind_of(&x, "Billboard Korea"), Some(Kind::Label));
    assert!(has_pair(&x, "Billboard", "Kakao Entertainment"));
    assert!(has_pair(&x, "Billboard Korea", "Kakao Entertainment"));
}

#[test]
fn speculation_is_not_a_partnership() {
    let x = run(
        "Fans hope Jimin will collaborate with Doja Cat on the soundtrack of the movie \"Nova\".",
    );
    assert!(x.relations.is_empty(), "{:?}", x.relations);
}

#[test]
fn streaming_platform_is_not_a_partner() {
    let x = run(
        "The song \"Messy\" by Rose debuted with 2.04 million streams on Spotify and 5 million views on YouTube.",
    );
    assert!(x.relations.is_empty(), "{:?}", x.relations);
}

#[test]
fn generic_text_names_nothing() {
    let x = run(
        "Korean dramas, commonly known as K-Series, have become a global phenomenon.\nThe combination of K-Pop and K-Series has created a powerful synergy.",
    );
    assert!(x.found.is_empty(), "{:?}", x.found);
}

#[test]
fn diacritics_name_in_parentheses() {
    let x = run(
        "Recently, Rosé (Blackpink) attracted attention when releasing the MV for the soundtrack song \"Messy\" for the American movie \"F1\".\nThe song “Messy” by Rose debuted with 2.04 million streams on Spotify.",
    );
    let r = x
        .found
        .iter()
        .find(|f| f.name == "Rosé" || f.name == "Rose");
    assert!(r.is_some(), "{:#?}", x.found);
}

#[test]
fn role_word_before_a_name_is_a_cue() {
    let x = run(
        "Actor Ahn Hyo-seop voices Jinu in the film.\nCreator Hwang Dong-hyuk wrote every episode of the series \"Squid Game\".",
    );
    assert_eq!(
        kind_of(&x, "Ahn Hyo-seop"),
        Some(Kind::Artist),
        "{:#?}",
        x.found
    );
    assert_eq!(kind_of(&x, "Hwang Dong-hyuk"), Some(Kind::Artist));
}

#[test]
fn featured_on_someones_song_is_a_collaboration() {
    let x = run("Rapper Nova Quinn featured on Velvet Crown's new single \"Dizzy Nights\".");
    assert!(
        has_pair(&x, "Nova Quinn", "Velvet Crown"),
        "{:?} {:?}",
        x.found,
        x.relations
    );
}

#[test]
fn characters_are_not_entities_and_their_actors_are_cast() {
    let x = run(
        "Netflix unveiled the cast of the series \"Tide Line\".\nActor Park Ji-hoon plays the crisis negotiator Seon Woo-jin, and Lee Na-ra plays Tokyo.",
    );
    assert_eq!(kind_of(&x, "Seon Woo-jin"), None, "{:?}", x.found);
    assert!(
        has_pair(&x, "Park Ji-hoon", "Tide Line"),
        "{:?}",
        x.relations
    );
    assert!(has_pair(&x, "Lee Na-ra", "Tide Line"), "{:?}", x.relations);
}

#[test]
fn member_lists_make_members() {
    let x = run(
        "The girl group was formed last year. Velvet Rain members Ahri, Bomi and Sena released \"Glow\" for the film \"Moon Road\".",
    );
    let bomi = x.found.iter().find(|f| f.name == "Bomi").expect("Bomi");
    assert_eq!(bomi.member_of, vec!["Velvet Rain".to_string()]);
    assert!(has_pair(&x, "Ahri", "Moon Road"), "{:?}", x.relations);
    assert!(!has_pair(&x, "Velvet Rain", "Bomi"), "{:?}", x.relations);
}

mod relations;

#[test]
fn stars_after_a_work_is_a_verb_not_a_plural_cue() {
    let x = run(
        "HBO's new drama \"The Harbor\" premieres in April.\nThe drama stars Lee Min-ho, who plays a cop, actress Kim Go-eun and actor Woo Do-hwan.",
    );
    let lee = x
        .found
        .iter()
        .find(|f| f.name == "Lee Min-ho")
        .expect("Lee Min-ho");
    assert_eq!(lee.subtype, Some(Subtype::Person));
    for who in ["Lee Min-ho", "Kim Go-eun", "Woo Do-hwan"] {
        assert!(has_pair(&x, who, "The Harbor"), "{who}: {:?}", x.relations);
    }
}

#[test]
fn a_quoted_title_right_after_a_music_verb_is_a_song() {
    let x = run(
        "The film \"Night Run\" opens in May.\nThe band performed \"Chk Chk Boom\" on the show.",
    );
    assert_eq!(kind_of(&x, "Chk Chk Boom"), Some(Kind::Song));
    assert_eq!(kind_of(&x, "Night Run"), Some(Kind::Film));
}

#[test]
fn a_cue_noun_after_a_modal_is_a_verb() {
    let x = run(
        "Streamly's \"Glass Game\" season 2 will feature Lee Byung-ha, Gong Yoon and Park Sung-ho.",
    );
    for who in ["Lee Byung-ha", "Gong Yoon", "Park Sung-ho"] {
        assert_eq!(kind_of(&x, who), Some(Kind::Artist), "{who}");
    }
}

#[test]
fn a_companys_title_before_its_soundtrack_stays_a_film() {
    let x = run(
        "Streamly's animated film \"Demon Choir\" is a hit.\nSinger Mira Vance joined Streamly's \"Demon Choir\" soundtrack with the song \"Golden\".",
    );
    assert_eq!(kind_of(&x, "Demon Choir"), Some(Kind::Film));
    assert!(
        has_pair(&x, "Mira Vance", "Demon Choir"),
        "{:?}",
        x.relations
    );
}
