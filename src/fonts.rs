//! The fonts embedded in the binary: the report never reads system fonts, so every
//! machine renders the same PDF.

use std::sync::OnceLock;

use typst::foundations::Bytes;
use typst::text::Font;

/// The report's font family (DejaVu Sans: wide Unicode coverage, free licence).
pub const FAMILY: &str = "DejaVu Sans";

/// The embedded font files, with the names `--typst-dir` writes them under.
pub const FILES: [(&str, &[u8]); 4] = [
    ("DejaVuSans.ttf", include_bytes!("../fonts/DejaVuSans.ttf")),
    (
        "DejaVuSans-Bold.ttf",
        include_bytes!("../fonts/DejaVuSans-Bold.ttf"),
    ),
    (
        "DejaVuSans-Oblique.ttf",
        include_bytes!("../fonts/DejaVuSans-Oblique.ttf"),
    ),
    (
        "DejaVuSans-BoldOblique.ttf",
        include_bytes!("../fonts/DejaVuSans-BoldOblique.ttf"),
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
/// style the report sets it in.
pub fn can_show(c: char) -> bool {
    let fonts = all();
    !fonts.is_empty() && fonts.iter().all(|f| f.info().coverage.contains(c as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_font_loads_and_covers_swedish_and_common_symbols() {
        assert_eq!(all().len(), FILES.len());
        for c in "åäöÅÄÖéü≥≤±–—…•€§°½→“”‘’«»".chars() {
            assert!(can_show(c), "{c}");
        }
        assert!(!can_show('\u{1F9A0}'));
        assert!(!can_show('漢'));
    }
}
