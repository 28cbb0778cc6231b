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
    let mut saw_non_ascii = false;
    let mut all_utf8 = true;
    let mut all_gbk = true;
    for r in 0..records {
        let start = header_len + r * record_len;
        let Some(rec) = b.get(start..start + record_len) else {
            break;
        };
        for &(o, len) in &text_fields {
            let Some(v) = rec.get(o..o + len) else {
                continue;
            };
            if v.is_ascii() {
                continue;
            }
            saw_non_ascii = true;
            let v = trim_trailing(v);
            all_utf8 &= std::str::from_utf8(v).is_ok();
            all_gbk &= encoding_rs::GBK.decode_without_bom_handling_and_without_replacement(v).is_some();
        }
    }
    Some(match (saw_non_ascii, all_utf8, all_gbk) {
        (false, _, _) => DbfEncoding::Ascii,
        (true, true, _) => DbfEncoding::Utf8,
        (true, false, true) => DbfEncoding::Gbk,
        _ => DbfEncoding::Unknown,
    })
}

fn trim_trailing(v: &[u8]) -> &[u8] {
    let end = v.iter().rposition(|&c| c != b' ' && c != 0).map_or(0, |i| i + 1);
    &v[..end]
}
