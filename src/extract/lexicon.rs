//! The lexicon: cue words and widely known organizations, loaded from YAML data.
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

/// The built-in lexicon.
pub const DEFAULT_LEXICON: &str = include_str!("../../data/lexicon.yaml");

#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LexiconFile {
    pub labels: Vec<KnownLabel>,
    pub stopwords: Vec<String>,
    pub generic_terms: Vec<String>,
    pub places: Vec<String>,
    pub nationalities: Vec<String>,
    pub non_entity_heads: Vec<String>,
    pub executive_titles: Vec<String>,
    pub korean_surnames: Vec<String>,
    pub months: Vec<String>,
    pub kind_cues: HashMap<String, Vec<String>>,
    pub relation_cues: HashMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KnownLabel {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl LexiconFile {
    /// Merge `other` into `self`: lists are appended.
    pub fn merge(&mut self, other: LexiconFile) {
        self.labels.extend(other.labels);
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
        for (k, v) in other.relation_cues {
            self.relation_cues.entry(k).or_default().extend(v);
        }
    }
}

/// A set of phrases of one or more words, matched on lower-cased word sequences. Phrases are
/// grouped by their first word, so a lookup is one hash of a borrowed word and a few slice
/// comparisons, with no allocation (cue matching runs on every word of every sentence).
#[derive(Debug, Default, Clone)]
pub struct PhraseSet {
    // FxHash: these keys are short words from our own lexicon, not untrusted input
    by_first: rustc_hash::FxHashMap<String, Vec<Vec<String>>>,
    max_len: usize,
}

impl PhraseSet {
    pub fn new<'a>(items: impl IntoIterator<Item = &'a String>) -> PhraseSet {
        let mut set = PhraseSet::default();
        for p in items {
            let words: Vec<String> = phrase_words(p);
            let Some(first) = words.first().cloned() else {
                continue;
            };
            set.max_len = set.max_len.max(words.len());
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

    pub fn contains<S: AsRef<str>>(&self, words: &[S]) -> bool {
        let Some(first) = words.first() else {
            return false;
        };
        self.by_first.get(first.as_ref()).is_some_and(|ps| {
            ps.iter().any(|p| {
                p.len() == words.len() && p.iter().zip(words).all(|(a, b)| a == b.as_ref())
            })
        })
    }

    /// Whether one word (any case) is a phrase of the set.
    pub fn contains_word(&self, word: &str) -> bool {
        let lower;
        let w = if word.chars().any(char::is_uppercase) {
            lower = word.to_lowercase();
            lower.as_str()
        } else {
            word
        };
        self.by_first
            .get(w)
            .is_some_and(|ps| ps.iter().any(|p| p.len() == 1))
    }

    /// Whether some phrase starts with this lower-cased word.
    pub fn has_first(&self, word: &str) -> bool {
        self.by_first.contains_key(word)
    }

    /// The length of the longest phrase that `words` starts with (lower-cased words).
    pub fn longest_prefix<S: AsRef<str>>(&self, words: &[S]) -> Option<usize> {
        let first = words.first()?;
        self.by_first
            .get(first.as_ref())?
            .iter()
            .filter(|p| p.len() <= words.len() && p.iter().zip(words).all(|(a, b)| a == b.as_ref()))
            .map(Vec::len)
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
    /// First words of known organizations' names, which may start a name in lower case ("tvN").
    pub label_first_words: HashSet<String>,
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
    pub cues: HashMap<String, PhraseSet>,
    pub relations: HashMap<String, PhraseSet>,
}

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
        let sets = |m: &HashMap<String, Vec<String>>| {
            m.iter()
                .map(|(k, v)| (k.clone(), PhraseSet::new(v)))
                .collect::<HashMap<_, _>>()
        };
        let label_first_words = patterns
            .iter()
            .filter_map(|p| {
                crate::extract::tokens::tokenize(p)
                    .first()
                    .map(|t| p[t.start..t.end].to_string())
            })
            .collect();
        Ok(Lexicon {
            labels: f.labels.clone(),
            label_matcher,
            label_of_pattern,
            label_first_words,
            stopwords: f.stopwords.iter().cloned().collect(),
            generic: PhraseSet::new(&f.generic_terms),
            places: PhraseSet::new(&f.places),
            nationalities: PhraseSet::new(&f.nationalities),
            non_entity_heads: PhraseSet::new(&f.non_entity_heads),
            executive_titles: PhraseSet::new(&f.executive_titles),
            korean_surnames: f.korean_surnames.iter().cloned().collect(),
            months: f.months.iter().cloned().collect(),
            cues: sets(&f.kind_cues),
            relations: sets(&f.relation_cues),
        })
    }

    pub fn from_yaml(text: &str) -> Result<Lexicon, String> {
        let f: LexiconFile = crate::yaml::from_str(text, 0).map_err(|e| e.to_string())?;
        Lexicon::from_file(f)
    }

    pub fn builtin() -> Lexicon {
        Lexicon::from_yaml(DEFAULT_LEXICON).expect("built-in lexicon.yaml is valid")
    }

    /// The cue set `name` (empty when the lexicon has none).
    pub fn cue(&self, name: &str) -> &PhraseSet {
        static EMPTY: std::sync::OnceLock<PhraseSet> = std::sync::OnceLock::new();
        self.cues
            .get(name)
            .unwrap_or_else(|| EMPTY.get_or_init(PhraseSet::default))
    }

    pub fn relation(&self, name: &str) -> &PhraseSet {
        static EMPTY: std::sync::OnceLock<PhraseSet> = std::sync::OnceLock::new();
        self.relations
            .get(name)
            .unwrap_or_else(|| EMPTY.get_or_init(PhraseSet::default))
    }

    /// A place, nationality or generic term (one or more lower-cased words).
    pub fn is_not_a_name(&self, words: &[String]) -> bool {
        self.generic.contains(words)
            || self.places.contains(words)
            || self.nationalities.contains(words)
    }
}
