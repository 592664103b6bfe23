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

use crate::Report;
use spur_core::fonts;

/// The report's Typst source.
pub const TEMPLATE: &str = include_str!("../../../templates/report.typ");
/// The name the template is compiled and exported under.
pub const TEMPLATE_NAME: &str = "report.typ";
/// The name of the data file in an exported directory.
pub const DATA_NAME: &str = "data.json";

/// Why a report could not be rendered. Either is a fault of spur, not of the user's
/// file: the input was validated before it reached the template.
#[derive(Debug, Error)]
pub enum RenderError {
    /// The template failed on this data.
    #[error("rapportmallen kunde inte sättas: {0}")]
    Typst(String),
    /// The PDF standard could not be met.
    #[error("PDF-standarden kan inte uppfyllas: {0}")]
    Standard(String),
    /// The report model could not be written as JSON.
    #[error("rapportens data kunde inte skrivas som JSON: {0}")]
    Data(String),
}

/// The PDF standards a user can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Standard {
    /// PDF/A-2b: archival, appearance only.
    A2b,
    /// PDF/A-2u: archival, with Unicode text.
    A2u,
    /// PDF/A-2a: archival and tagged, the default.
    #[default]
    A2a,
    /// PDF/A-3b.
    A3b,
    /// PDF/A-3a.
    A3a,
    /// PDF/UA-1: tagged for accessibility.
    Ua1,
    /// Plain PDF 1.7.
    V17,
    /// Plain PDF 2.0.
    V20,
}

impl Standard {
    /// Every standard, in the order `--help` lists them.
    pub const ALL: [Standard; 8] = [
        Standard::A2a,
        Standard::A2b,
        Standard::A2u,
        Standard::A3a,
        Standard::A3b,
        Standard::Ua1,
        Standard::V17,
        Standard::V20,
    ];

    /// The name on the command line, as typst names it.
    pub fn name(self) -> &'static str {
        match self {
            Standard::A2b => "a-2b",
            Standard::A2u => "a-2u",
            Standard::A2a => "a-2a",
            Standard::A3b => "a-3b",
            Standard::A3a => "a-3a",
            Standard::Ua1 => "ua-1",
            Standard::V17 => "1.7",
            Standard::V20 => "2.0",
        }
    }

    /// The standard called `name`, if there is one.
    pub fn named(name: &str) -> Option<Standard> {
        Standard::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Typst's own value for the standard.
    fn typst(self) -> PdfStandard {
        match self {
            Standard::A2b => PdfStandard::A_2b,
            Standard::A2u => PdfStandard::A_2u,
            Standard::A2a => PdfStandard::A_2a,
            Standard::A3b => PdfStandard::A_3b,
            Standard::A3a => PdfStandard::A_3a,
            Standard::Ua1 => PdfStandard::Ua_1,
            Standard::V17 => PdfStandard::V_1_7,
            Standard::V20 => PdfStandard::V_2_0,
        }
    }
}

/// A Typst engine with one template and the embedded fonts loaded, fed its data as
/// JSON through `sys.inputs`: the report's and the yearly summary's alike.
pub struct Engine {
    engine: TypstEngine<TypstTemplateMainFile>,
}

impl Engine {
    /// Loads the template `source`, compiled under `name`, and the fonts.
    pub fn new(name: &'static str, source: &'static str) -> Self {
        let engine = TypstEngine::builder()
            .main_file((name, source))
            .fonts(fonts::all().iter().cloned())
            .build();
        Engine { engine }
    }

    /// Lays the template out with `data`, a JSON text that the template reads as data.
    pub fn document(&self, data: String) -> Result<PagedDocument, RenderError> {
        let mut inputs = Dict::new();
        inputs.insert("data".into(), data.into_value());
        self.engine
            .compile_with_input(inputs)
            .output
            .map_err(|e| RenderError::Typst(describe(&e)))
    }
}

/// The report's engine, to render any number of reports.
pub struct Renderer {
    engine: Engine,
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer {
    /// Loads the template and the fonts.
    pub fn new() -> Self {
        Renderer {
            engine: Engine::new(TEMPLATE_NAME, TEMPLATE),
        }
    }

    /// Lays out the report.
    pub fn document(&self, report: &Report) -> Result<PagedDocument, RenderError> {
        self.engine.document(data_json(report)?)
    }

    /// Renders the report as PDF bytes, conforming to `standard`.
    pub fn pdf(&self, report: &Report, standard: Standard) -> Result<Vec<u8>, RenderError> {
        let document = self.document(report)?;
        export(&document, standard)
    }
}

/// Exports a laid-out document as PDF.
pub fn export(document: &PagedDocument, standard: Standard) -> Result<Vec<u8>, RenderError> {
    let standards = PdfStandards::new(&[standard.typst()])
        .map_err(|e| RenderError::Standard(e.message().to_string()))?;
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
pub fn data_json(report: &Report) -> Result<String, RenderError> {
    serde_json::to_string_pretty(report).map_err(|e| RenderError::Data(e.to_string()))
}

/// The files of a Typst directory that the official Typst CLI compiles to the same
/// document, as paths relative to that directory and their bytes:
/// `typst compile --ignore-system-fonts --font-path DIR/fonts DIR/report.typ`.
pub fn typst_dir_files(report: &Report) -> Result<Vec<(PathBuf, Vec<u8>)>, RenderError> {
    let names: Vec<&str> = fonts::FILES.iter().map(|(name, _)| *name).collect();
    let fonts = Path::new("fonts");
    let mut files = vec![
        (PathBuf::from(TEMPLATE_NAME), TEMPLATE.as_bytes().to_vec()),
        (PathBuf::from(DATA_NAME), data_json(report)?.into_bytes()),
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
    Ok(files)
}

/// Typst's messages for a failed compilation, joined.
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
