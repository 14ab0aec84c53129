//! Page contexts built straight as Tera values. Building a `serde_json::Value` and inserting it
//! into a `tera::Context` serialized every field twice and allocated every key; here a map is
//! built once with static keys, and a value shared by many pages (an entity's reference, an
//! article's title) is built once and cloned, which only counts a reference.
use tera::Value;
use tera::value::Key;

/// A map of `fields`.
pub fn obj<const N: usize>(fields: [(&'static str, Value); N]) -> Value {
    let mut m = tera::Map::with_capacity(N);
    for (k, v) in fields {
        m.insert(Key::Str(k), v);
    }
    Value::from(m)
}

/// An array of `items`.
pub fn list(items: impl IntoIterator<Item = Value>) -> Value {
    Value::from(items.into_iter().collect::<Vec<Value>>())
}

/// An array of strings.
pub fn strs<S: AsRef<str>>(items: &[S]) -> Value {
    list(items.iter().map(|s| Value::from(s.as_ref())))
}

/// A string, or none.
pub fn opt(s: Option<&str>) -> Value {
    s.map_or_else(Value::none, Value::from)
}
