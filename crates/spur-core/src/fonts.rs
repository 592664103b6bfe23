//! The fonts embedded in the binary: the report never reads system fonts, so every
//! machine renders the same PDF.

use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::Font;

/// The report's font family (DejaVu Sans: wide Unicode coverage, free licence).
pub const FAMILY: &str = "DejaVu Sans";

/// The embedded font files, with the names `--typst-dir` writes them under.
pub const FILES: [(&str, &[u8]); 4] = [
    (
        "DejaVuSans.ttf",
        include_bytes!("../../../fonts/DejaVuSans.ttf"),
    ),
    (
        "DejaVuSans-Bold.ttf",
        include_bytes!("../../../fonts/DejaVuSans-Bold.ttf"),
    ),
    (
        "DejaVuSans-Oblique.ttf",
        include_bytes!("../../../fonts/DejaVuSans-Oblique.ttf"),
    ),
    (
        "DejaVuSans-BoldOblique.ttf",
        include_bytes!("../../../fonts/DejaVuSans-BoldOblique.ttf"),
    ),
];

/// The embedded fonts, parsed once per process.
pub fn all() -> &'static [Font] {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    FONTS.get_or_init(|| {
        FILES
            .iter()
            .filter_map(|(_, data)| Font::new(Bytes::new(*data), 0))
            .collect()
    })
}

/// Whether every embedded style can show `c`, so that text reads the same in any
/// style the report sets it in. Validation asks this of every character of every text,
/// so the answers for the Basic Multilingual Plane are kept, a block of 256 code points
/// at a time, the first time one of the block is asked about. A control character is
/// never shown, whatever a font's table maps it to: a text reaches here with its
/// escapes (`"\0"`) already read, and the PDF standard refuses it later.
pub fn can_show(c: char) -> bool {
    if c.is_control() {
        return false;
    }
    static BLOCKS: [OnceLock<[u64; 4]>; 256] = [const { OnceLock::new() }; 256];
    let code = c as u32;
    let Some(block) = BLOCKS.get((code >> 8) as usize) else {
        return covered(c);
    };
    let bits = block.get_or_init(|| {
        let mut bits = [0u64; 4];
        for low in 0..256u32 {
            if char::from_u32(code & !0xff | low).is_some_and(covered) {
                bits[(low >> 6) as usize] |= 1 << (low & 63);
            }
        }
        bits
    });
    let low = code & 0xff;
    bits[(low >> 6) as usize] >> (low & 63) & 1 == 1
}

/// Whether every embedded font has a glyph for `c`, asked of the fonts themselves.
fn covered(c: char) -> bool {
    let fonts = all();
    !fonts.is_empty() && fonts.iter().all(|f| f.info().coverage.contains(c as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_font_loads_and_covers_swedish_and_common_symbols() {
        assert_eq!(all().len(), FILES.len());
        for c in "åäöÅÄÖéü≥≤±–—…•€§°½→“”‘’””".chars() {
            assert!(can_show(c), "{c}");
        }
        assert!(!can_show('\u{1F9A0}'));
        for c in ['\0', '\u{1b}', '\u{7f}', '\u{85}', '\u{9b}'] {
            assert!(!can_show(c), "U+{:04X}", c as u32);
        }
        assert!(!can_show('漢'));
    }

    #[test]
    fn the_kept_answers_are_the_fonts_own() {
        for code in (0..0x3000).chain(0xfff0..0x10000).chain(0x1f600..0x1f610) {
            if let Some(c) = char::from_u32(code) {
                assert_eq!(can_show(c), covered(c) && !c.is_control(), "U+{code:04X}");
            }
        }
    }
}
