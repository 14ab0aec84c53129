//! The lexicon: cue words and widely known organizations, loaded from YAML data.
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// The built-in lexicon.
pub const DEFAULT_LEXICON: &str = include_str!("../../data/lexicon.yaml");
/// The built-in relation triggers (same format, merged over the lexicon).
pub const DEFAULT_TRIGGERS: &str = include_str!("../../data/triggers.yaml");

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LexiconFile {
    pub labels: Vec<KnownLabel>,
    pub media: Vec<String>,
    pub stopwords: Vec<String>,
    pub generic_terms: Vec<String>,
    pub places: Vec<String>,
    pub nationalities: Vec<String>,
    pub non_entity_heads: Vec<String>,
    pub executive_titles: Vec<String>,
    pub korean_surnames: Vec<String>,
    pub months: Vec<String>,
    pub kind_cues: HashMap<String, Vec<String>>,
    pub triggers: HashMap<String, Vec<String>>,
    pub relation_cues: HashMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownLabel {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A broadcaster or streaming service: a title it airs is a screen work.
    #[serde(default)]
    pub screen: bool,
}

impl LexiconFile {
    /// Merge `other` into `self`: lists are appended.
    pub fn merge(&mut self, other: LexiconFile) {
        self.labels.extend(other.labels);
        self.media.extend(other.media);
        self.stopwords.extend(other.stopwords);
        self.generic_terms.extend(other.generic_terms);
        self.places.extend(other.places);
        self.nationalities.extend(other.nationalities);
        self.non_entity_heads.extend(other.non_entity_heads);
        self.executive_titles.extend(other.executive_titles);
        self.korean_surnames.extend(other.korean_surnames);
        self.months.extend(other.months);
        for (k, v) in other.kind_cues {
            self.kind_cues.entry(k).or_default().extend(v);
        }
        for (k, v) in other.triggers {
            self.triggers.entry(k).or_default().extend(v);
        }
        for (k, v) in other.relation_cues {
            self.relation_cues.entry(k).or_default().extend(v);
        }
    }
}

/// A lexicon word's id: every word of every phrase set is interned once, so a sentence's
/// words are looked up once each and cue matching compares integers.
pub type WordId = u32;
/// The id of a word no phrase of the lexicon contains.
pub const NO_WORD: WordId = WordId::MAX;

/// The lower-cased words of the lexicon's phrase sets.
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    // FxHash: these keys are short words from our own lexicon, not untrusted input
    ids: rustc_hash::FxHashMap<String, WordId>,
    words: Vec<String>,
}

impl Vocab {
    fn intern(&mut self, word: String) -> WordId {
        if let Some(&id) = self.ids.get(&word) {
            return id;
        }
        let next = self.words.len() as WordId;
        self.words.push(word.clone());
        self.ids.insert(word, next);
        next
    }

    /// The word of an id (for messages).
    pub fn word(&self, id: WordId) -> Option<&str> {
        self.words.get(id as usize).map(String::as_str)
    }

    /// The id of a lower-cased word (`NO_WORD` when the lexicon has no such word).
    pub fn get(&self, lower: &str) -> WordId {
        self.ids.get(lower).copied().unwrap_or(NO_WORD)
    }
}

/// A set of phrases of one or more words, matched on lower-cased word sequences (as word
/// ids). Phrases are grouped by their first word, so a lookup is one hash of an integer and a
/// few slice comparisons, with no allocation (cue matching runs on every word of every sentence).
#[derive(Debug, Default, Clone)]
pub struct PhraseSet {
    by_first: rustc_hash::FxHashMap<WordId, Vec<Box<[WordId]>>>,
    /// Bit per word id: some phrase starts with it (the test every word of a sentence takes).
    firsts: Vec<u64>,
    /// Bit per word id: some phrase ends with it (the test before a name).
    lasts: Vec<u64>,
    max_len: usize,
}

fn set_bit(bits: &mut Vec<u64>, id: WordId) {
    let slot = id as usize / 64;
    if bits.len() <= slot {
        bits.resize(slot + 1, 0);
    }
    bits[slot] |= 1 << (id % 64);
}

fn has_bit(bits: &[u64], id: WordId) -> bool {
    bits.get(id as usize / 64)
        .is_some_and(|b| b >> (id % 64) & 1 == 1)
}

impl PhraseSet {
    pub fn new<'a>(items: impl IntoIterator<Item = &'a String>, vocab: &mut Vocab) -> PhraseSet {
        let mut set = PhraseSet::default();
        for p in items {
            let words: Box<[WordId]> = phrase_words(p)
                .into_iter()
                .map(|w| vocab.intern(w))
                .collect();
            let Some(&first) = words.first() else {
                continue;
            };
            set.max_len = set.max_len.max(words.len());
            set_bit(&mut set.firsts, first);
            set_bit(&mut set.lasts, words[words.len() - 1]);
            let list = set.by_first.entry(first).or_default();
            if !list.contains(&words) {
                list.push(words);
            }
        }
        set
    }

    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// Whether the words (ids) are one phrase of the set.
    pub fn contains(&self, words: &[WordId]) -> bool {
        let Some(first) = words.first() else {
            return false;
        };
        if !self.has_first(*first) {
            return false;
        }
        self.by_first
            .get(first)
            .is_some_and(|ps| ps.iter().any(|p| **p == *words))
    }

    /// Whether one word is a phrase of the set.
    pub fn contains_word(&self, word: WordId) -> bool {
        self.contains(std::slice::from_ref(&word))
    }

    /// Whether some phrase starts with this word.
    pub fn has_first(&self, word: WordId) -> bool {
        self.firsts
            .get(word as usize / 64)
            .is_some_and(|b| b >> (word % 64) & 1 == 1)
    }

    /// The length of the longest phrase that `words` ends with.
    pub fn longest_suffix(&self, words: &[WordId]) -> Option<usize> {
        if !has_bit(&self.lasts, *words.last()?) {
            return None;
        }
        (1..=self.max_len.min(words.len()))
            .rev()
            .find(|&n| self.contains(&words[words.len() - n..]))
    }

    /// The length of the longest phrase that `words` starts with.
    pub fn longest_prefix(&self, words: &[WordId]) -> Option<usize> {
        let first = words.first()?;
        if !self.has_first(*first) {
            return None;
        }
        self.by_first
            .get(first)?
            .iter()
            .filter(|p| p.len() <= words.len() && p[..] == words[..p.len()])
            .map(|p| p.len())
            .max()
    }
}

/// Lower-cased words of a phrase, split like the tokenizer splits text.
pub fn phrase_words(p: &str) -> Vec<String> {
    crate::extract::tokens::tokenize(p)
        .iter()
        .filter(|t| t.is_word())
        .map(|t| p[t.start..t.end].to_lowercase())
        .collect()
}

/// The compiled lexicon the extractor reads.
#[derive(Debug)]
pub struct Lexicon {
    /// Known organizations: canonical name, and all surface forms (name first).
    pub labels: Vec<KnownLabel>,
    /// Matches any surface form of a known label; pattern index -> label index.
    pub label_matcher: AhoCorasick,
    pub label_of_pattern: Vec<usize>,
    /// Surface form -> the first known organization that has it (exact case).
    pub label_surfaces: rustc_hash::FxHashMap<String, usize>,
    /// News and photo agencies and publications (lower-cased phrases).
    pub media: PhraseSet,
    /// Case-sensitive single words that are never an entity alone.
    pub stopwords: HashSet<String>,
    /// Lower-cased generic terms, places and nationalities (phrases).
    pub generic: PhraseSet,
    pub places: PhraseSet,
    pub nationalities: PhraseSet,
    pub non_entity_heads: PhraseSet,
    pub executive_titles: PhraseSet,
    pub korean_surnames: HashSet<String>,
    pub months: HashSet<String>,
    /// The kind cue sets the extractor reads, resolved by name once.
    pub kc: KindCues,
    /// Relation triggers by class, and the cues that qualify them.
    pub triggers: Vec<(TriggerClass, PhraseSet)>,
    pub rc: RelationCues,
    /// Word beginnings of triggers that pair their subjects ("collab", "team", "co-").
    pub joint_stems: Vec<String>,
    /// Every word of the phrase sets above.
    pub vocab: Vocab,
}

/// What a relation trigger says: the classes of `data/triggers.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TriggerClass {
    Cast,
    Create,
    Appear,
    Soundtrack,
    Collaborate,
    Endorse,
    Deal,
}

impl TriggerClass {
    pub const ALL: [TriggerClass; 7] = [
        TriggerClass::Cast,
        TriggerClass::Create,
        TriggerClass::Appear,
        TriggerClass::Soundtrack,
        TriggerClass::Collaborate,
        TriggerClass::Endorse,
        TriggerClass::Deal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TriggerClass::Cast => "cast",
            TriggerClass::Create => "create",
            TriggerClass::Appear => "appear",
            TriggerClass::Soundtrack => "soundtrack",
            TriggerClass::Collaborate => "collaborate",
            TriggerClass::Endorse => "endorse",
            TriggerClass::Deal => "deal",
        }
    }
}

/// Named cue sets, one field each (an empty set when the lexicon has none).
macro_rules! cue_sets {
    ($name:ident { $($f:ident),* $(,)? }) => {
        #[derive(Debug, Default)]
        pub struct $name {
            $(pub $f: PhraseSet,)*
        }

        impl $name {
            fn new(m: &HashMap<String, Vec<String>>, vocab: &mut Vocab) -> Result<$name, String> {
                // sorted by name, so word ids do not depend on the map's order
                let mut names: Vec<&String> = m.keys().collect();
                names.sort();
                let mut out = $name::default();
                for n in names {
                    let set = PhraseSet::new(&m[n], vocab);
                    match n.as_str() {
                        $(stringify!($f) => out.$f = set,)*
                        other => return Err(format!("unknown cue set `{other}`")),
                    }
                }
                Ok(out)
            }
        }
    };
}

cue_sets!(KindCues {
    person_before,
    group_before,
    film_before,
    show_before,
    song_before,
    label_before,
    label_prefix,
    title_openers,
    label_suffix,
    hyphen_tails,
    award_openers,
    not_before,
    film_after,
    group_after,
    artist_after,
    song_after,
    label_after,
    not_after,
    artist_owns,
    film_owns,
    label_owns,
    song_object,
    music_verbs,
    film_object,
    show_object,
    label_object,
    artist_verbs,
    artist_objects,
    list_intros,
});

cue_sets!(RelationCues {
    speculation,
    negation,
    work_anaphora,
    group_anaphora,
    membership,
    role_nouns,
    role_verb_before,
    role_verb_after,
    possession_breaks,
    owner_asides,
    list_breaks,
    side_by_side,
    joint_plurals,
    person_anaphora,
    possessed_roles,
    co_star_cues,
    film_nouns,
    series_nouns,
    compound_tails,
    other_work,
    music_company,
});

impl Lexicon {
    pub fn from_file(f: LexiconFile) -> Result<Lexicon, String> {
        let mut patterns = Vec::new();
        let mut label_of_pattern = Vec::new();
        for (i, l) in f.labels.iter().enumerate() {
            for s in std::iter::once(&l.name).chain(&l.aliases) {
                patterns.push(s.clone());
                label_of_pattern.push(i);
            }
        }
        let label_matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)
            .map_err(|e| format!("lexicon labels: {e}"))?;
        let mut vocab = Vocab::default();
        let media = PhraseSet::new(&f.media, &mut vocab);
        let generic = PhraseSet::new(&f.generic_terms, &mut vocab);
        let places = PhraseSet::new(&f.places, &mut vocab);
        let nationalities = PhraseSet::new(&f.nationalities, &mut vocab);
        let non_entity_heads = PhraseSet::new(&f.non_entity_heads, &mut vocab);
        let executive_titles = PhraseSet::new(&f.executive_titles, &mut vocab);
        let kc = KindCues::new(&f.kind_cues, &mut vocab).map_err(|e| format!("kind_cues: {e}"))?;
        // stems are matched on word beginnings, not as phrases
        let mut relation_cues = f.relation_cues.clone();
        let mut joint_stems = relation_cues.remove("joint_stems").unwrap_or_default();
        joint_stems.iter_mut().for_each(|w| *w = w.to_lowercase());
        let rc = RelationCues::new(&relation_cues, &mut vocab)
            .map_err(|e| format!("relation_cues: {e}"))?;
        let mut triggers = Vec::new();
        let mut classes: Vec<&String> = f.triggers.keys().collect();
        classes.sort();
        for c in classes {
            let Some(class) = TriggerClass::ALL.into_iter().find(|k| k.as_str() == c) else {
                return Err(format!("triggers: unknown class `{c}`"));
            };
            triggers.push((class, PhraseSet::new(&f.triggers[c], &mut vocab)));
        }
        triggers.sort_by_key(|(c, _)| *c);
        let mut label_surfaces = rustc_hash::FxHashMap::default();
        for (i, l) in f.labels.iter().enumerate() {
            for s in std::iter::once(&l.name).chain(&l.aliases) {
                label_surfaces.entry(s.clone()).or_insert(i);
            }
        }
        Ok(Lexicon {
            labels: f.labels.clone(),
            label_matcher,
            label_of_pattern,
            media,
            stopwords: f.stopwords.iter().cloned().collect(),
            label_surfaces,
            generic,
            places,
            nationalities,
            non_entity_heads,
            executive_titles,
            korean_surnames: f.korean_surnames.iter().cloned().collect(),
            months: f.months.iter().cloned().collect(),
            kc,
            triggers,
            rc,
            joint_stems,
            vocab,
        })
    }

    /// The built-in lexicon and triggers, as one file.
    pub fn builtin_file() -> LexiconFile {
        let mut f: LexiconFile =
            crate::yaml::from_str(DEFAULT_LEXICON, 0).expect("built-in lexicon.yaml is valid");
        let t: LexiconFile =
            crate::yaml::from_str(DEFAULT_TRIGGERS, 0).expect("built-in triggers.yaml is valid");
        f.merge(t);
        f
    }

    pub fn from_yaml(text: &str) -> Result<Lexicon, String> {
        let f: LexiconFile = crate::yaml::from_str(text, 0).map_err(|e| e.to_string())?;
        Lexicon::from_file(f)
    }

    pub fn builtin() -> Lexicon {
        Lexicon::from_file(Lexicon::builtin_file()).expect("built-in lexicon is valid")
    }

    /// The lexicon id of a word in any case.
    pub fn word_id(&self, word: &str) -> WordId {
        if word.chars().any(char::is_uppercase) {
            self.vocab.get(&word.to_lowercase())
        } else {
            self.vocab.get(word)
        }
    }

    /// The known organization whose surface form is exactly `surface` (case-sensitive).
    pub fn known_label(&self, surface: &str) -> Option<usize> {
        self.label_surfaces.get(surface).copied()
    }

    /// A place, nationality or generic term (one or more lower-cased words).
    pub fn is_not_a_name(&self, words: &[WordId]) -> bool {
        self.generic.contains(words)
            || self.places.contains(words)
            || self.nationalities.contains(words)
    }
}
