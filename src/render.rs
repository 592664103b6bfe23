//! Rendering the report model to PDF with Typst, in process.
//!
//! The layout is `templates/report.typ`. The model reaches it as JSON through
//! `sys.inputs` (or, in an exported directory, as `data.json`), so text that users
//! typed is only ever a Typst string: it is shown, never evaluated as markup or code.

use std::path::{Path, PathBuf};

use thiserror::Error;
use typst::foundations::{Dict, IntoValue, Smart};
use typst_as_lib::{TypstAsLibError, TypstEngine, TypstTemplateMainFile};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::fonts;
use crate::report::Report;

/// The report's Typst source.
pub const TEMPLATE: &str = include_str!("../templates/report.typ");
/// The name the template is compiled and exported under.
pub const TEMPLATE_NAME: &str = "report.typ";
/// The name of the data file in an exported directory.
pub const DATA_NAME: &str = "data.json";

/// Why a report could not be rendered.
#[derive(Debug, Error)]
pub enum RenderError {
    /// The template failed on this data: a bug in spur, not in the user's input.
    #[error("rapportmallen kunde inte sättas: {0}")]
    Typst(String),
    /// The PDF standard could not be met.
    #[error("PDF-standarden kan inte uppfyllas: {0}")]
    Standard(String),
}

/// The PDF standards a user can ask for, by their typst names.
pub const STANDARDS: &[(&str, PdfStandard)] = &[
    ("a-2b", PdfStandard::A_2b),
    ("a-2u", PdfStandard::A_2u),
    ("a-2a", PdfStandard::A_2a),
    ("a-3b", PdfStandard::A_3b),
    ("a-3a", PdfStandard::A_3a),
    ("ua-1", PdfStandard::Ua_1),
    ("1.7", PdfStandard::V_1_7),
    ("2.0", PdfStandard::V_2_0),
];

/// The default standard: archival (PDF/A-2) and tagged for accessibility.
pub const DEFAULT_STANDARD: &str = "a-2a";

/// A Typst engine with the template and the embedded fonts loaded, to render any number
/// of reports.
pub struct Renderer {
    engine: TypstEngine<TypstTemplateMainFile>,
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer {
    /// Loads the template and the fonts.
    pub fn new() -> Self {
        let engine = TypstEngine::builder()
            .main_file((TEMPLATE_NAME, TEMPLATE))
            .fonts(fonts::all().iter().cloned())
            .build();
        Renderer { engine }
    }

    /// Lays out the report.
    pub fn document(&self, report: &Report) -> Result<PagedDocument, RenderError> {
        let mut inputs = Dict::new();
        inputs.insert("data".into(), data_json(report).into_value());
        self.engine
            .compile_with_input(inputs)
            .output
            .map_err(|e| RenderError::Typst(describe(&e)))
    }

    /// Renders the report as PDF bytes, conforming to `standard` (a name from
    /// [`STANDARDS`]).
    pub fn pdf(&self, report: &Report, standard: &str) -> Result<Vec<u8>, RenderError> {
        let document = self.document(report)?;
        export(&document, standard)
    }
}

/// Exports a laid-out document as PDF.
pub fn export(document: &PagedDocument, standard: &str) -> Result<Vec<u8>, RenderError> {
    let chosen = STANDARDS
        .iter()
        .find(|(name, _)| *name == standard)
        .map(|(_, s)| *s)
        .ok_or_else(|| RenderError::Standard(format!("okänd standard «{standard}»")))?;
    let standards =
        PdfStandards::new(&[chosen]).map_err(|e| RenderError::Standard(e.message().to_string()))?;
    let options = PdfOptions {
        ident: Smart::Auto,
        creator: Smart::Custom(Some(format!("spur {}", env!("CARGO_PKG_VERSION")))),
        timestamp: None,
        page_ranges: None,
        standards,
        tagged: true,
        pretty: false,
    };
    typst_pdf::pdf(document, &options).map_err(|errors| {
        let messages: Vec<String> = errors.iter().map(|e| e.message.to_string()).collect();
        RenderError::Standard(messages.join("; "))
    })
}

/// The report as the JSON the template reads.
pub fn data_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_default()
}

/// The files of a Typst directory that the official Typst CLI compiles to the same
/// document, as paths relative to that directory and their bytes:
/// `typst compile --ignore-system-fonts --font-path DIR/fonts DIR/report.typ`.
pub fn typst_dir_files(report: &Report) -> Vec<(PathBuf, Vec<u8>)> {
    let names: Vec<&str> = fonts::FILES.iter().map(|(name, _)| *name).collect();
    let fonts = Path::new("fonts");
    let mut files = vec![
        (PathBuf::from(TEMPLATE_NAME), TEMPLATE.as_bytes().to_vec()),
        (PathBuf::from(DATA_NAME), data_json(report).into_bytes()),
        (
            fonts.join("fonts.txt"),
            format!("{}\n{}\n", fonts::FAMILY, names.join("\n")).into_bytes(),
        ),
    ];
    files.extend(
        fonts::FILES
            .iter()
            .map(|(name, data)| (fonts.join(name), data.to_vec())),
    );
    files
}

fn describe(error: &TypstAsLibError) -> String {
    match error {
        TypstAsLibError::TypstSource(diagnostics) => diagnostics
            .iter()
            .map(|d| d.message.to_string())
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
