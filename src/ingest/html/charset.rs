//! Pass 0: the page's bytes as text, in the charset it declares (a byte order mark, then the
//! HTTP `Content-Type`, then `<meta charset>` near the top), else UTF-8 when the bytes are
//! valid UTF-8, else Windows-1252 (what browsers assume for an undeclared legacy page).
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use memchr::memmem::find;

/// How far into the page a `<meta charset>` is looked for (browsers look at 1024 bytes;
/// pages saved by a browser or a CMS sometimes carry long comments first).
const META_SCAN: usize = 8192;

/// The text of `bytes`, and the name of the encoding it was read in.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> (String, &'static str) {
    let declared = content_type
        .and_then(charset_param)
        .or_else(|| meta_charset(&bytes[..bytes.len().min(META_SCAN)]));
    let encoding = match declared {
        // a page that says UTF-16 in its markup is ASCII-compatible, so it is not UTF-16
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => UTF_8,
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => UTF_8,
        None => WINDOWS_1252,
    };
    // `decode` prefers a byte order mark over the declared encoding, as browsers do
    let (text, used, _) = encoding.decode(bytes);
    (text.into_owned(), used.name())
}

/// The `charset=` parameter of a `Content-Type` value.
fn charset_param(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| Encoding::for_label(v.trim().trim_matches(['"', '\'']).as_bytes()))?
    })
}

/// The encoding named by `<meta charset=..>` or `<meta http-equiv=Content-Type content=..>`.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset=") {
            let value = &tag[c + 8..];
            let value = value
                .strip_prefix(b"\"")
                .or(value.strip_prefix(b"'"))
                .unwrap_or(value);
            let len = value
                .iter()
                .position(|b| matches!(b, b'"' | b'\'' | b' ' | b';' | b'/' | b'>'))
                .unwrap_or(value.len());
            if let Some(e) = Encoding::for_label(&value[..len]) {
                return Some(e);
            }
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_then_meta_then_utf8() {
        let (euc, _, _) = encoding_rs::EUC_KR.encode("로제의 새 노래");
        let page = [b"<html><head>".as_slice(), &euc].concat();
        assert_eq!(decode(&page, Some("text/html; charset=EUC-KR")).1, "EUC-KR");
        let meta = [b"<meta charset=\"euc-kr\">".as_slice(), &euc].concat();
        assert!(decode(&meta, None).0.ends_with("로제의 새 노래"));
        let equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">";
        assert_eq!(decode(equiv, None).1, "Shift_JIS");
        assert_eq!(decode("é".as_bytes(), None), ("é".to_string(), "UTF-8"));
        assert_eq!(
            decode(b"caf\xe9", None),
            ("café".to_string(), "windows-1252")
        );
    }
}
