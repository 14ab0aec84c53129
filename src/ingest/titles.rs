//! Titles of near duplicates: two tellings of one story (two translations of one report) often
//! get near-identical titles, which read as one article listed twice. Each telling's title
//! says which it is: its publisher when every telling names a different one, else "(version
//! N)" after the first in article order (which keeps its title as it is).
use super::Article;
use rustc_hash::FxHashMap;
use std::collections::HashSet;

/// Titles sharing this much of their words (Jaccard) are near-identical.
const SAME_TITLE: f64 = 0.6;

/// Make near-identical titles of near-duplicate articles tell them apart. Deterministic: it
/// depends only on the articles' order, titles, publishers and twins.
/// Returns the titles as read of the articles it retitled (index, title): extraction reads an
/// article as its file says.
pub fn tell_twins_apart(articles: &mut [Article]) -> Vec<(usize, String)> {
    let mut read = Vec::new();
    for story in stories(articles) {
        // tellings whose titles are near-identical, in article order
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for a in story {
            let words = title_words(&articles[a].title);
            match groups
                .iter_mut()
                .find(|g| jaccard(&title_words(&articles[g[0]].title), &words) >= SAME_TITLE)
            {
                Some(g) => g.push(a),
                None => groups.push(vec![a]),
            }
        }
        for group in groups.iter().filter(|g| g.len() > 1) {
            let publishers: Vec<Option<String>> = group
                .iter()
                .map(|&a| articles[a].publisher.as_deref().map(str::to_lowercase))
                .collect();
            let distinct: HashSet<&Option<String>> = publishers.iter().collect();
            let by_publisher =
                publishers.iter().all(Option::is_some) && distinct.len() == group.len();
            for (n, &a) in group.iter().enumerate() {
                let art = &mut articles[a];
                if by_publisher || n > 0 {
                    read.push((a, art.title.clone()));
                }
                if by_publisher {
                    let p = art.publisher.clone().unwrap_or_default();
                    art.title = format!("{} ({p})", art.title);
                } else if n > 0 {
                    art.title = format!("{} (version {})", art.title, n + 1);
                }
            }
        }
    }
    read
}

/// The articles of each story told more than once (joined by their twins), in article order.
fn stories(articles: &[Article]) -> Vec<Vec<usize>> {
    let index: FxHashMap<&str, usize> = (articles.iter().enumerate())
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut story: Vec<usize> = (0..articles.len()).collect();
    fn root(story: &mut [usize], mut x: usize) -> usize {
        while story[x] != x {
            story[x] = story[story[x]];
            x = story[x];
        }
        x
    }
    for (i, a) in articles.iter().enumerate() {
        for t in &a.twins {
            if let Some(&j) = index.get(t.as_str()) {
                let (ri, rj) = (root(&mut story, i), root(&mut story, j));
                // the smaller index is the root, so stories come out in article order
                story[ri.max(rj)] = ri.min(rj);
            }
        }
    }
    let mut members: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for i in 0..articles.len() {
        let r = root(&mut story, i);
        members.entry(r).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = members.into_values().filter(|m| m.len() > 1).collect();
    out.sort();
    out
}

/// A title's words (see `folded_words`): "K-pop" is "kpop".
fn title_words(title: &str) -> HashSet<String> {
    folded_words(title, char::is_whitespace)
        .into_iter()
        .collect()
}

/// The words of a text cut where `apart` holds, transliterated and lower-cased, letters and
/// digits only: "Rosé" and "ROSE" are `rose`. Titles are compared so here, names in `link`.
pub fn folded_words(text: &str, apart: impl Fn(char) -> bool) -> Vec<String> {
    deunicode::deunicode(text)
        .to_lowercase()
        .split(apart)
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let both = a.intersection(b).count();
    both as f64 / (a.len() + b.len() - both).max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn article(id: &str, title: &str, publisher: Option<&str>, twins: &[&str]) -> Article {
        Article {
            id: id.into(),
            path: PathBuf::from(format!("{id}.txt")),
            format: super::super::Format::Text,
            title: title.into(),
            date: None,
            source: None,
            publisher: publisher.map(String::from),
            author: None,
            lang: "en".into(),
            blocks: Vec::new().into(),
            markdown: None,
            twins: twins.iter().map(|t| t.to_string()).collect(),
        }
    }

    fn titles(articles: &[Article]) -> Vec<&str> {
        articles.iter().map(|a| a.title.as_str()).collect()
    }

    #[test]
    fn twins_with_one_title_are_told_apart() {
        let mut a = vec![
            article(
                "a",
                "Kpop artists join Hollywood soundtracks",
                None,
                &["b", "c"],
            ),
            article(
                "b",
                "K-pop artists join Hollywood soundtracks",
                None,
                &["a", "c"],
            ),
            article("x", "Kpop artists join Hollywood soundtracks", None, &[]),
            article(
                "c",
                "K-Pop artists joined Hollywood soundtracks",
                None,
                &["a", "b"],
            ),
        ];
        tell_twins_apart(&mut a);
        assert_eq!(
            titles(&a),
            [
                "Kpop artists join Hollywood soundtracks",
                "K-pop artists join Hollywood soundtracks (version 2)",
                "Kpop artists join Hollywood soundtracks",
                "K-Pop artists joined Hollywood soundtracks (version 3)",
            ]
        );
    }

    #[test]
    fn publishers_name_the_twins_when_each_has_its_own() {
        let mut a = vec![
            article("a", "Stray Kids join Deadpool", Some("Soompi"), &["b"]),
            article(
                "b",
                "Stray Kids join Deadpool",
                Some("K-Wave Weekly"),
                &["a"],
            ),
        ];
        tell_twins_apart(&mut a);
        assert_eq!(
            titles(&a),
            [
                "Stray Kids join Deadpool (Soompi)",
                "Stray Kids join Deadpool (K-Wave Weekly)"
            ]
        );
        // different titles already tell twins apart
        let mut a = vec![
            article("a", "Stray Kids join Deadpool", None, &["b"]),
            article(
                "b",
                "A cameo for the K-pop group in the Marvel film",
                None,
                &["a"],
            ),
        ];
        tell_twins_apart(&mut a);
        assert_eq!(
            titles(&a),
            [
                "Stray Kids join Deadpool",
                "A cameo for the K-pop group in the Marvel film"
            ]
        );
    }
}
