//! Sniffing the text encoding of a Shapefile's DBF when no `.cpg` says it.
//!
//! Chinese Shapefiles are often GBK without a `.cpg`; read as UTF-8 their names turn
//! into replacement characters. lantu looks at the raw bytes of the text fields: if
//! they are not valid UTF-8 but decode as GBK, the file is GBK.

use std::path::Path;

/// What the DBF's text bytes look like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbfEncoding {
    /// Only ASCII bytes: any encoding reads them.
    Ascii,
    /// Valid UTF-8 with non-ASCII text.
    Utf8,
    /// Not UTF-8, valid GBK.
    Gbk,
    /// Neither: unknown 8-bit encoding.
    Unknown,
}

/// Reads the DBF beside a `.shp` (same stem) and classifies its text bytes.
/// Returns `None` when there is no readable DBF, or, with `honour_ldid`, when its header
/// names a code page (LDID) that GDAL will honour itself.
pub fn sniff_shapefile_encoding(shp: &Path, honour_ldid: bool) -> Option<DbfEncoding> {
    let dbf = ["dbf", "DBF"].iter().map(|e| shp.with_extension(e)).find(|p| p.exists())?;
    let bytes = std::fs::read(dbf).ok()?;
    sniff_dbf(&bytes, honour_ldid)
}

fn sniff_dbf(b: &[u8], honour_ldid: bool) -> Option<DbfEncoding> {
    if b.len() < 32 {
        return None;
    }
    let ldid = b[29];
    if honour_ldid && ldid != 0 {
        return None;
    }
    let values = non_ascii_text(b);
    let all_utf8 = values.iter().all(|v| std::str::from_utf8(v).is_ok());
    let all_gbk =
        values.iter().all(|v| encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(v).is_some());
    Some(match (!values.is_empty(), all_utf8, all_gbk) {
        (false, _, _) => DbfEncoding::Ascii,
        (true, true, _) => DbfEncoding::Utf8,
        (true, false, true) => DbfEncoding::Gbk,
        _ => DbfEncoding::Unknown,
    })
}

/// How to read a Shapefile whose `.cpg` (or `encoding`) declares something other than
/// UTF-8 or GBK: decided by the bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeclaredVerdict {
    /// The text is ASCII, or reads well in the declared encoding (named, as encoding_rs
    /// calls it; `None` when the declaration names no known encoding and the text is ASCII).
    Keep(Option<&'static str>),
    /// The declaration names no known encoding and the text is valid UTF-8.
    Utf8,
    /// The declared encoding fails on the bytes or gives implausible text, and GBK reads
    /// them cleanly as Chinese.
    Gbk,
    /// Neither the declared encoding nor GBK reads the bytes.
    Unknown,
}

/// The encoding a `.cpg` or `encoding` value names: code pages as ESRI writes them
/// (`1252`, `936`, `88591`) or labels (`LATIN1`, `BIG5`, `windows-1252`). `None` for
/// `System`, an empty file, or anything else.
pub fn declared_encoding(declared: &str) -> Option<&'static encoding_rs::Encoding> {
    let d = declared.trim();
    if let Ok(n) = d.parse::<u32>() {
        let label = match n {
            936 => "gbk".to_string(),
            950 => "big5".to_string(),
            932 => "shift_jis".to_string(),
            949 => "euc-kr".to_string(),
            866 => "ibm866".to_string(),
            874 => "windows-874".to_string(),
            1250..=1258 => format!("windows-{n}"),
            88591..=88599 => format!("iso-8859-{}", n - 88590),
            885910..=885916 => format!("iso-8859-{}", n - 885900),
            28591..=28606 => format!("iso-8859-{}", n - 28590),
            _ => return None,
        };
        return encoding_rs::Encoding::for_label(label.as_bytes());
    }
    encoding_rs::Encoding::for_label(d.as_bytes())
}

/// Decides how to read a Shapefile's text declared as `declared` (not UTF-8): the
/// declared encoding when it reads the bytes as plausible text; GBK when the declared one
/// fails or gives text less like Chinese than GBK does and GBK reads every value cleanly
/// as mostly common Chinese characters.
pub fn judge_declared_encoding(shp: &Path, declared: &str) -> DeclaredVerdict {
    let dbf = ["dbf", "DBF"].iter().map(|e| shp.with_extension(e)).find(|p| p.exists());
    let bytes = dbf.and_then(|p| std::fs::read(p).ok()).unwrap_or_default();
    judge(&non_ascii_text(&bytes), declared_encoding(declared))
}

fn judge(values: &[&[u8]], declared: Option<&'static encoding_rs::Encoding>) -> DeclaredVerdict {
    if values.is_empty() {
        return DeclaredVerdict::Keep(declared.map(|e| e.name()));
    }
    let decode_all = |enc: &'static encoding_rs::Encoding| -> Option<String> {
        let mut text = String::new();
        for v in values {
            text.push_str(&enc.decode_without_bom_handling_and_without_replacement(v)?);
        }
        Some(text)
    };
    let gbk = decode_all(encoding_rs::GBK);
    let gbk_share = gbk.as_deref().map_or(0.0, common_chinese_share);
    let declared_text = declared.and_then(decode_all);
    let declared_share = declared_text.as_deref().map_or(0.0, common_chinese_share);
    // GBK reads it as Chinese, and the declared encoding does not (or not as well)
    if gbk_share >= 0.9 && (declared_text.is_none() || declared_share + 0.3 < gbk_share) {
        return DeclaredVerdict::Gbk;
    }
    match (declared, declared_text) {
        (Some(e), Some(_)) => DeclaredVerdict::Keep(Some(e.name())),
        (None, _) if values.iter().all(|v| std::str::from_utf8(v).is_ok()) => DeclaredVerdict::Utf8,
        _ => DeclaredVerdict::Unknown,
    }
}

/// The share of non-ASCII characters that are GB2312's Chinese characters or its
/// punctuation: near 1 for Chinese names, low for text decoded with the wrong table
/// (Latin letters from GBK bytes, rare characters from Big5 pairs).
fn common_chinese_share(text: &str) -> f64 {
    let (mut n, mut common) = (0usize, 0usize);
    let mut buf = [0u8; 4];
    for c in text.chars().filter(|c| !c.is_ascii()) {
        n += 1;
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
        if !unmappable && bytes.len() == 2 {
            let (lead, trail) = (bytes[0], bytes[1]);
            let hanzi = (0xB0..=0xF7).contains(&lead) && (0xA1..=0xFE).contains(&trail);
            let punctuation = (0xA1..=0xA3).contains(&lead) && (0xA1..=0xFE).contains(&trail);
            common += (hanzi || punctuation) as usize;
        }
    }
    if n == 0 {
        1.0
    } else {
        common as f64 / n as f64
    }
}

/// The non-ASCII values of a DBF's text fields, trailing blanks trimmed.
fn non_ascii_text(b: &[u8]) -> Vec<&[u8]> {
    if b.len() < 32 {
        return Vec::new();
    }
    let records = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
    let header_len = u16::from_le_bytes([b[8], b[9]]) as usize;
    let record_len = u16::from_le_bytes([b[10], b[11]]) as usize;
    // text fields: (offset in record, length)
    let mut text_fields = Vec::new();
    let mut offset = 1; // deletion flag
    let mut pos = 32;
    while pos + 32 <= b.len().min(header_len) && b[pos] != 0x0D {
        let kind = b[pos + 11];
        let len = b[pos + 16] as usize;
        if kind == b'C' {
            text_fields.push((offset, len));
        }
        offset += len;
        pos += 32;
    }
    let mut values = Vec::new();
    for r in 0..records {
        let start = header_len + r * record_len;
        let Some(rec) = b.get(start..start + record_len) else {
            break;
        };
        for &(o, len) in &text_fields {
            let Some(v) = rec.get(o..o + len) else {
                continue;
            };
            if !v.is_ascii() {
                values.push(trim_trailing(v));
            }
        }
    }
    values
}

fn trim_trailing(v: &[u8]) -> &[u8] {
    let end = v.iter().rposition(|&c| c != b' ' && c != 0).map_or(0, |i| i + 1);
    &v[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(s).0.into_owned()
    }

    #[test]
    fn wrong_declarations_over_gbk_text_are_overruled_by_the_bytes() {
        let names = ["解放碑社区", "七星岗街道", "重庆市渝中区", "500103001001"];
        let bytes: Vec<Vec<u8>> = names.iter().map(|n| gbk(n)).collect();
        let values: Vec<&[u8]> = bytes.iter().map(Vec::as_slice).filter(|v| !v.is_ascii()).collect();
        for declared in ["1252", "LATIN1", "BIG5", "950", "88591", "windows-1252", "System", "", "garbage"] {
            assert_eq!(judge(&values, declared_encoding(declared)), DeclaredVerdict::Gbk, "{declared:?}");
        }
    }

    #[test]
    fn right_declarations_are_kept_and_named() {
        let latin: Vec<u8> = encoding_rs::WINDOWS_1252.encode("Crèche du Rocher, Église").0.into_owned();
        assert_eq!(judge(&[&latin], declared_encoding("1252")), DeclaredVerdict::Keep(Some("windows-1252")));
        assert_eq!(judge(&[&latin], declared_encoding("LATIN1")), DeclaredVerdict::Keep(Some("windows-1252")));
        let big5: Vec<u8> = encoding_rs::BIG5.encode("臺北市中正區幼兒園").0.into_owned();
        assert_eq!(judge(&[&big5], declared_encoding("BIG5")), DeclaredVerdict::Keep(Some("Big5")));
        let utf8 = "解放碑社区".as_bytes();
        assert_eq!(judge(&[utf8], declared_encoding("System")), DeclaredVerdict::Utf8);
        assert_eq!(judge(&[], declared_encoding("System")), DeclaredVerdict::Keep(None));
        // bytes no table reads
        assert_eq!(judge(&[&[0xFF, 0xFF, 0x80]], declared_encoding("garbage")), DeclaredVerdict::Unknown);
    }
}
