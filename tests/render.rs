//! `spur render`: the PDF as a reader sees it, extracted with a Rust PDF reader.

mod common;

use std::path::Path;

use common::*;

fn render(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "render".as_ref(),
        input.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ];
    args.extend(extra.iter().map(|a| std::ffi::OsStr::new(*a)));
    spur(args)
}

fn render_text(input: &Path, extra: &[&str]) -> (Vec<u8>, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rapport.pdf");
    let o = render(input, &out, extra);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let bytes = std::fs::read(&out).unwrap();
    let text = pdf_text(&bytes);
    (bytes, text)
}

const AREA_TITLES: [&str; 8] = [
    "A. Verksamheten",
    "B. Medarbetarstab och interna kompetenser",
    "C. Lokaler och utrustning",
    "D. Tjänstgöringens upplägg",
    "E. Handledning och kompetensbedömning",
    "F. Teoretisk utbildning",
    "G. Medicinsk vetenskap och systematiskt kvalitets- och patientsäkerhetsarbete",
    "H. Ledarskapskompetens och kommunikativ kompetens",
];

fn assert_in_order(text: &str, parts: &[&str]) {
    let mut from = 0;
    for part in parts {
        let at = text[from..]
            .find(part)
            .unwrap_or_else(|| panic!("”{part}” saknas (efter position {from})"));
        from += at + part.len();
    }
}

#[test]
fn the_boo_report_reads_like_seed_004() {
    let (_, text) = render_text(&fixture("boo-vardcentral.yaml"), &[]);
    let mut order = vec![
        "LÄKARNAS INSTITUT FÖR PROFESSIONELL UTVECKLING I SJUKVÅRDEN",
        "Boo Vårdcentral",
        "Vid två parallella utbildningar",
        "Sammanfattning",
        "Styrkor",
        "Svagheter",
        "Förbättringspotential",
        "Gradering per område",
        "STRUKTUR",
    ];
    order.extend(&AREA_TITLES[..3]);
    order.push("PROCESS");
    order.extend(&AREA_TITLES[3..]);
    order.push("HANDLINGSPLAN");
    assert_in_order(&text, &order);
    for phrase in [
        "Vilket enligt SPUR-modellen innebär att:",
        "Föreskrift (endast 2021)",
        "Allmänna råd (endast 2015)",
        "Kvalitetsindikator (endast 2021)",
        "Handlingsplan inkommen. Gradering justerad till C.",
        "Under granskningen påvisades brister vad gäller följsamheten till Socialstyrelsens föreskrifter och allmänna råd. Verksamheten har efter granskningen inkommit med följande handlingsplan.",
        "Planerad åtgärd",
        "Datum när åtgärden ska vara genomförd",
        "Ansvarig för genomförandet",
        "Datum för uppföljning",
        "Ansvarig för uppföljningen",
        "Sida 1 av",
    ] {
        assert!(text.contains(phrase), "”{phrase}” saknas");
    }
    assert_eq!(
        text.matches("Handlingsplan inkommen. Gradering justerad till C.")
            .count(),
        3
    );
    // The plan's seven items, in order, each with the indicator's wording.
    assert_in_order(
        &text,
        &[
            "HANDLINGSPLAN",
            "D6 Varje ST-läkare har ett utbildningsprogram",
            "E1 Varje ST-läkare ges kontinuerligt handledning",
            "E4 Den huvudansvariga handledaren bedömer",
            "E7 Ändamålsenliga metoder används",
            "H2 ST-läkaren bedöms kontinuerligt i medicinskt ledarskap",
            "H7 ST-läkarens kompetens i undervisning bedöms",
            "H9 ST-läkarens kompetens i handledning bedöms",
        ],
    );
    assert!(!text.contains("UTKAST"));
}

#[test]
fn before_the_plan_the_report_lists_what_needs_action_and_by_when() {
    let dir = tempfile::tempdir().unwrap();
    let (_, text) = render_text(&boo_without_plan(dir.path()), &["--draft"]);
    assert!(
        text.contains(
            "Verksamheten ska senast 15 maj 2025 inkomma till LIPUS med en handlingsplan"
        ),
        "{text}"
    );
    assert_in_order(
        &text,
        &[
            "HANDLINGSPLAN",
            "D6 ",
            "E1 ",
            "E4 ",
            "E7 ",
            "H2 ",
            "H7 ",
            "H9 ",
        ],
    );
    assert!(!text.contains("Handlingsplan inkommen"));
    assert!(text.matches("UTKAST").count() >= 2, "UTKAST på varje sida");
}

#[test]
fn a_preliminary_report_for_the_fact_check_says_so_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let input = boo_without_plan(dir.path());
    let (bytes, text) = render_text(&input, &["--preliminary"]);
    let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).unwrap();
    assert!(pages.len() > 10);
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("PRELIMINÄR"), "sidan {}", i + 1);
    }
    assert!(!text.contains("UTKAST"));
    let (_, draft) = render_text(&input, &["--draft"]);
    assert!(!draft.contains("PRELIMINÄR"));
    let out = dir.path().join("båda.pdf");
    let o = render(&input, &out, &["--draft", "--preliminary"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn every_fixture_renders_with_its_grades() {
    for (name, expected) in [
        (
            "medicinkliniken-2021.yaml",
            vec!["HSLF-FS 2021:8", "F2", "Delvis uppfylld"],
        ),
        (
            "vardcentralen-norrby.yaml",
            vec![
                "Ej uppfylld – allvarlig brist",
                "Ej bedömt",
                "Granskarnas gradering",
                "Allvarliga brister vad gäller följsamheten",
            ],
        ),
    ] {
        let (_, text) = render_text(&fixture(name), &[]);
        assert_in_order(&text, &AREA_TITLES);
        for e in expected {
            assert!(text.contains(e), "{name}: ”{e}” saknas");
        }
        assert!(!text.contains("endast 2015") || name != "medicinkliniken-2021.yaml");
    }
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let (a, _) = render_text(&fixture("boo-vardcentral.yaml"), &[]);
    let (b, _) = render_text(&fixture("boo-vardcentral.yaml"), &[]);
    assert!(a == b, "två renderingar skiljer sig");
}

/// Free text full of Typst syntax, each line tagged so it can be found in the PDF.
const HOSTILE: &[&str] = &[
    "#read(\"/etc/passwd\")",
    "#let x = 1",
    "$x^2$",
    "*bold*",
    "_em_",
    "[ ] \\ @ref <label>",
    "// comment",
    "= Heading",
    "- item",
    "+ item",
    "/ term: def",
    "https://example.org",
    "{{ x }} {% y %}",
    "\"dubbla\" 'enkla' ”svenska” ”gåsögon” `backtick` ```kod```",
    "#set page(fill: red) #panic(\"x\")",
    "≥ ≤ ± – — … 50 % & ~ ^",
];

#[test]
fn free_text_is_never_markup_or_code() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("boo.yaml");
    let block: String = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, h)| format!("T{i:02} {h}\n"))
        .collect();
    let text = boo_with(|q| {
        q.areas[0].findings = Some(block);
        q.unit.name = "Boo #strong[VC] $a$ <x>".into();
    });
    std::fs::write(&input, text).unwrap();
    let (_, pdf) = render_text(&input, &[]);
    for (i, h) in HOSTILE.iter().enumerate() {
        let expected = normalise(&format!("T{i:02} {h}"));
        assert!(pdf.contains(&expected), "”{expected}” saknas i PDF:en");
    }
    assert!(pdf.contains("Boo #strong[VC] $a$ <x>"));
    assert!(!pdf.contains("root:x:0:0"), "filen lästes");
}

/// A run of text in a laid-out document: its page, where it starts and ends across,
/// its baseline, and its text.
struct Run {
    page: usize,
    x: f64,
    right: f64,
    y: f64,
    size: f64,
    text: String,
}

/// Every run of text in a laid-out document, in page coordinates (points from the top
/// left), as Typst placed it.
fn text_runs(document: &typst_layout::PagedDocument) -> Vec<Run> {
    fn walk(frame: &typst::layout::Frame, page: usize, x0: f64, y0: f64, out: &mut Vec<Run>) {
        for (point, item) in frame.items() {
            let (x, y) = (x0 + point.x.to_pt(), y0 + point.y.to_pt());
            match item {
                typst::layout::FrameItem::Group(g) => walk(
                    &g.frame,
                    page,
                    x + g.transform.tx.to_pt(),
                    y + g.transform.ty.to_pt(),
                    out,
                ),
                typst::layout::FrameItem::Text(t) => out.push(Run {
                    page,
                    x,
                    right: x + t.width().to_pt(),
                    y,
                    size: t.size.to_pt(),
                    text: t.text.to_string(),
                }),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        walk(&page.frame, i, 0.0, 0.0, &mut out);
    }
    out
}

#[test]
fn body_text_is_at_least_10_pt() {
    let dir = tempfile::tempdir().unwrap();
    for input in [
        fixture("vardcentralen-norrby.yaml"),
        boo_without_plan(dir.path()),
    ] {
        let inspection = spur_core::load::inspection(&input).unwrap();
        let report = spur_report::build(
            spur_core::catalog::Catalog::embedded(),
            &inspection,
            spur_report::Marking::Final,
        );
        let document = spur_report::render::Renderer::new()
            .document(&report)
            .unwrap();
        let height = document.pages()[0].frame.size().y.to_pt();
        let small: Vec<String> = text_runs(&document)
            .into_iter()
            .filter(|r| r.y > TOP_MARGIN && r.y < height - BOTTOM_MARGIN && r.size < 10.0)
            .map(|r| format!("sida {}: ”{}” {} pt", r.page + 1, r.text, r.size))
            .collect();
        assert!(small.is_empty(), "{}: {small:?}", input.display());
    }
}

#[test]
fn line_breaks_and_paragraphs_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("boo.yaml");
    let text = boo_with(|q| q.areas[0].findings = Some("Rad ett\nrad två\n\nNytt stycke\n".into()));
    std::fs::write(&input, text).unwrap();
    let inspection = spur_core::load::inspection(&input).unwrap();
    let report = spur_report::build(
        spur_core::catalog::Catalog::embedded(),
        &inspection,
        spur_report::Marking::Final,
    );
    let document = spur_report::render::Renderer::new()
        .document(&report)
        .unwrap();
    let runs = text_runs(&document);
    let y = |s: &str| {
        runs.iter()
            .find(|r| r.text == s)
            .map(|r| (r.page, r.y))
            .unwrap_or_else(|| panic!("”{s}” saknas"))
    };
    let (one, two, three) = (y("Rad ett"), y("rad två"), y("Nytt stycke"));
    assert_eq!((one.0, two.0), (two.0, three.0), "samma sida");
    let line = two.1 - one.1;
    let paragraph = three.1 - two.1;
    assert!(line > 5.0, "radbrytningen saknas: {one:?} {two:?}");
    assert!(
        paragraph > line + 2.0,
        "styckebrytningen saknas: rad {line}, stycke {paragraph}"
    );
}

#[test]
fn a_character_no_font_can_show_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let input = boo_without_plan(dir.path());
    let text = std::fs::read_to_string(&input).unwrap().replace(
        "Specialistkollegium genomförs.",
        "Specialistkollegium genomförs 漢.",
    );
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("r.pdf");
    let o = render(&input, &out, &[]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("tecknet ”漢” (U+6F22) kan inte visas med rapportens typsnitt"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("summary.strengths[6]"));
    assert!(!out.exists());
}

#[test]
fn a_failed_render_leaves_a_good_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.pdf");
    std::fs::write(&out, b"tidigare rapport").unwrap();
    let o = render(&data("tio-fel.yaml"), &out, &[]);
    assert_eq!(code(&o), 1);
    assert_eq!(std::fs::read(&out).unwrap(), b"tidigare rapport");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "temporära filer kvar"
    );
}

#[test]
fn the_exported_typst_directory_compiles_to_the_same_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.pdf");
    let export = dir.path().join("typst");
    let o = render(
        &fixture("boo-vardcentral.yaml"),
        &out,
        &["--typst-dir", export.to_str().unwrap()],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let fonts: Vec<Vec<u8>> = spur_core::fonts::FILES
        .iter()
        .map(|(name, _)| std::fs::read(export.join("fonts").join(name)).unwrap())
        .collect();
    let template = std::fs::read_to_string(export.join("report.typ")).unwrap();
    let engine = typst_as_lib::TypstEngine::builder()
        .main_file(("report.typ", template.as_str()))
        .fonts(fonts.iter().map(|f| f.as_slice()))
        .with_file_system_resolver(&export)
        .build();
    let document: typst_layout::PagedDocument =
        engine.compile().output.expect("katalogen kompilerar");
    let pdf =
        spur_report::render::export(&document, spur_report::render::Standard::default()).unwrap();
    assert!(
        pdf == std::fs::read(&out).unwrap(),
        "den exporterade katalogen ger en annan PDF"
    );
    assert!(
        std::fs::read_to_string(export.join("fonts/fonts.txt"))
            .unwrap()
            .starts_with("DejaVu Sans\n")
    );
}

#[test]
fn the_pdf_is_archival_tagged_and_described() {
    let (bytes, _) = render_text(&fixture("boo-vardcentral.yaml"), &[]);
    let raw = String::from_utf8_lossy(&bytes);
    for needle in [
        "<pdfaid:part>2</pdfaid:part>",
        "<pdfaid:conformance>A</pdfaid:conformance>",
        "/StructTreeRoot",
        "/Marked true",
        "/Lang(sv-SE)",
        "<rdf:li xml:lang=\"x-default\">Granskningsrapport ST-SPUR: Boo Vårdcentral</rdf:li>",
        "<dc:creator><rdf:Seq><rdf:li>Anna Lindqvist, Per Ekström</rdf:li>",
        "Granskning av ST-utbildningen vid Boo Vårdcentral, Region Stockholm",
    ] {
        assert!(raw.contains(needle), "”{needle}” saknas i PDF:en");
    }
    let (bytes, _) = render_text(
        &fixture("boo-vardcentral.yaml"),
        &["--pdf-standard", "ua-1"],
    );
    let raw = String::from_utf8_lossy(&bytes);
    assert!(raw.contains("pdfuaid:part") && !raw.contains("pdfaid:part"));
}

#[test]
fn many_reports_render_at_once_and_a_failure_does_not_stop_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ut");
    std::fs::create_dir(&out).unwrap();
    let files = [
        fixture("boo-vardcentral.yaml"),
        fixture("medicinkliniken-2021.yaml"),
        data("tio-fel.yaml"),
        fixture("vardcentralen-norrby.yaml"),
    ];
    let mut args: Vec<&std::ffi::OsStr> = vec!["render".as_ref()];
    args.extend(files.iter().map(|f| f.as_os_str()));
    args.extend(["--out-dir".as_ref(), out.as_os_str()]);
    let o = spur(&args);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains("tio-fel.yaml:") && err.ends_with("10 fel hittades.\n"),
        "{err}"
    );
    assert!(!err.contains('\r'), "ingen förloppsindikator utan terminal");
    let mut written: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "boo-vardcentral.pdf",
            "medicinkliniken-2021.pdf",
            "vardcentralen-norrby.pdf"
        ]
    );
    let (single, _) = render_text(&fixture("medicinkliniken-2021.yaml"), &[]);
    assert!(
        std::fs::read(out.join("medicinkliniken-2021.pdf")).unwrap() == single,
        "batch och enstaka rendering skiljer sig"
    );
}

#[test]
fn render_needs_an_output() {
    let o = spur([
        "render".as_ref(),
        fixture("boo-vardcentral.yaml").as_os_str(),
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("ange -o UT.pdf eller --out-dir KATALOG"));
}

#[test]
fn two_inputs_for_the_same_pdf_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("medicinkliniken-2021.yaml");
    std::fs::copy(fixture("medicinkliniken-2021.yaml"), &other).unwrap();
    let o = spur([
        "render".as_ref(),
        fixture("medicinkliniken-2021.yaml").as_os_str(),
        other.as_os_str(),
        "--out-dir".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("två frågeformulär skulle skrivas till samma fil"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("medicinkliniken-2021.pdf").exists());
}

/// A glyph as a PDF reader places it: its baseline in points from the top of the page.
#[derive(Debug, Clone)]
struct Glyph {
    y: f64,
    text: String,
}

/// A page's height and its glyphs in the order the PDF draws them.
#[derive(Debug, Default)]
struct Page {
    height: f64,
    glyphs: Vec<Glyph>,
}

/// Collects every glyph of a PDF with its position, as pdf-extract reads it.
#[derive(Default)]
struct Glyphs {
    pages: Vec<Page>,
}

impl pdf_extract::OutputDev for Glyphs {
    fn begin_page(
        &mut self,
        _: u32,
        media_box: &pdf_extract::MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.pages.push(Page {
            height: media_box.ury - media_box.lly,
            glyphs: Vec::new(),
        });
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        _: f64,
        _: f64,
        _: f64,
        text: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        let page = self.pages.last_mut().expect("en sida");
        page.glyphs.push(Glyph {
            y: page.height - trm.m32,
            text: text.to_string(),
        });
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

fn glyphs(pdf: &[u8]) -> Vec<Page> {
    let doc = pdf_extract::Document::load_mem(pdf).expect("PDF:en kan läsas");
    let mut out = Glyphs::default();
    pdf_extract::output_doc(&doc, &mut out).expect("PDF:ens text kan läsas");
    out.pages
}

/// The report's top and bottom margins (templates/report.typ), in points: the running
/// header and the page number live there.
const TOP_MARGIN: f64 = 2.4 / 2.54 * 72.0;
const BOTTOM_MARGIN: f64 = 2.2 / 2.54 * 72.0;

/// The lines of a page's body, top to bottom, without whitespace: glyphs on one
/// baseline are one line, whatever column they stand in, in the order the PDF draws
/// them (pdf-extract reads the baseline of Typst's glyphs right, but not their
/// horizontal position).
fn body_lines(page: &Page) -> Vec<String> {
    let mut body: Vec<&Glyph> = page
        .glyphs
        .iter()
        .filter(|g| g.y > TOP_MARGIN && g.y < page.height - BOTTOM_MARGIN)
        .filter(|g| !g.text.trim().is_empty())
        .collect();
    body.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut lines: Vec<(f64, String)> = Vec::new();
    for g in body {
        match lines.last_mut() {
            Some((y, line)) if (g.y - *y).abs() < 2.0 => line.push_str(&g.text),
            _ => lines.push((g.y, g.text.clone())),
        }
    }
    lines
        .into_iter()
        .map(|(_, l)| l.split_whitespace().collect())
        .collect()
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect()
}

/// Everything that must not end a page, as the report model names it: group, area,
/// kind and plan headings, the föreskrift label, "Vilket enligt …" and the plan's
/// field labels; and, from HANDLINGSPLAN on, a plan item's indicator (before it, the
/// same words are an ordinary table row).
fn keep_with_next(report: &spur_report::Report) -> (Vec<String>, Vec<String>) {
    let mut all: Vec<String> = [
        "Sammanfattning",
        "Styrkor",
        "Svagheter",
        "Förbättringspotential",
        "Gradering per område",
        "Föreskrift",
        "Vilket enligt SPUR-modellen innebär att:",
        "Gradering",
        "HANDLINGSPLAN",
        "Åtgärd krävs",
        "Åtgärd rekommenderas",
        "Planerad åtgärd",
        "Datum när åtgärden ska vara genomförd",
        "Ansvarig för genomförandet",
        "Datum för uppföljning",
        "Ansvarig för uppföljningen",
    ]
    .map(String::from)
    .to_vec();
    for group in &report.groups {
        all.push(group.name.to_string());
        for area in &group.areas {
            all.push(format!("{}. {}", area.id, area.title));
            all.extend(area.kinds.iter().map(|k| k.heading.clone()));
        }
    }
    let mut plan = Vec::new();
    for item in &report.plan.items {
        all.push(format!("{}. {}", item.area, item.area_title));
        plan.push(squeeze(&format!("{} {}", item.action.indicator, item.text)));
    }
    for area in &report.plan.request {
        all.push(format!("{}. {}", area.area, area.area_title));
    }
    (all.iter().map(|s| squeeze(s)).collect(), plan)
}

/// Renders `input` in process and through the binary; returns the model and the PDF.
fn model_and_pdf(input: &Path, extra: &[&str]) -> (spur_report::Report, Vec<u8>) {
    let inspection = spur_core::load::inspection(input).unwrap();
    let report = spur_report::build(
        spur_core::catalog::Catalog::embedded(),
        &inspection,
        if extra.contains(&"--draft") {
            spur_report::Marking::Draft
        } else {
            spur_report::Marking::Final
        },
    );
    let (bytes, _) = render_text(input, extra);
    (report, bytes)
}

#[test]
fn no_page_ends_with_a_heading_and_no_row_is_split_from_its_comment() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = [
        fixture("boo-vardcentral.yaml"),
        boo_without_plan(dir.path()),
        fixture("medicinkliniken-2021.yaml"),
        fixture("vardcentralen-norrby.yaml"),
    ];
    for input in inputs {
        let (report, pdf) = model_and_pdf(&input, &[]);
        let (keep, plan_items) = keep_with_next(&report);
        let pages = glyphs(&pdf);
        assert!(pages.len() > 3, "{}", input.display());
        let mut in_plan = false;
        for (i, page) in pages.iter().enumerate() {
            let lines = body_lines(page);
            in_plan |= lines.iter().any(|l| l == "HANDLINGSPLAN");
            let last = lines.last().expect("sidan har text");
            // A heading that wraps ends the page with its last line.
            let heading = keep
                .iter()
                .chain(plan_items.iter().filter(|_| in_plan))
                .find(|h| h.ends_with(last.as_str()));
            assert!(
                heading.is_none() || i + 1 == pages.len(),
                "{} sida {}: slutar med rubriken ”{}”",
                input.display(),
                i + 1,
                heading.unwrap()
            );
            assert!(
                !lines[0].starts_with("Kommentar:"),
                "{} sida {}: börjar med en kommentar skild från sin rad",
                input.display(),
                i + 1
            );
        }
        // No page but the last is left mostly empty.
        for (i, page) in pages.iter().enumerate().take(pages.len() - 1) {
            let lowest = page
                .glyphs
                .iter()
                .filter(|g| g.y < page.height - BOTTOM_MARGIN)
                .map(|g| g.y)
                .fold(0.0, f64::max);
            let body = page.height - TOP_MARGIN - BOTTOM_MARGIN;
            assert!(
                lowest - TOP_MARGIN > body / 2.0,
                "{} sida {}: mest tom (text ned till {lowest:.0} pt)",
                input.display(),
                i + 1
            );
        }
    }
}

#[test]
fn an_areas_opening_keeps_the_first_two_rows_of_its_table_on_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = vec![
        fixture("boo-vardcentral.yaml"),
        boo_without_plan(dir.path()),
        fixture("medicinkliniken-2021.yaml"),
        fixture("vardcentralen-norrby.yaml"),
    ];
    let generated = dir.path().join("genererade");
    let end = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let corpus = common::corpus::generate(7, 3, 0, end);
    corpus.write(&generated).unwrap();
    let files: Vec<_> = corpus
        .files
        .keys()
        .map(|name| generated.join(name))
        .filter(|p| spur_core::load::inspection(p).is_ok())
        .collect();
    assert!(files.len() >= 2, "{files:?}");
    inputs.extend(files);
    for input in inputs {
        let (report, pdf) = model_and_pdf(&input, &[]);
        let pages: Vec<Vec<String>> = glyphs(&pdf).iter().map(body_lines).collect();
        let page_of = |wanted: &dyn Fn(&str) -> bool, from: usize| {
            pages
                .iter()
                .enumerate()
                .skip(from)
                .find(|(_, lines)| lines.iter().any(|l| wanted(l)))
                .map(|(i, _)| i)
        };
        for area in report.groups.iter().flat_map(|g| &g.areas) {
            let heading = squeeze(&format!("{}. {}", area.id, area.title));
            // A long heading wraps: its first line stands for it.
            let at = page_of(&|l| heading.starts_with(l) && l.chars().count() >= 8, 0)
                .unwrap_or_else(|| panic!("{}: {heading} saknas", input.display()));
            let Some(kind) = area.kinds.first() else {
                continue;
            };
            // Long findings may break after their first lines (kept with the
            // heading); the föreskrift and "Vilket enligt …" stay with the rows.
            let lead = squeeze("Vilket enligt SPUR-modellen innebär att:");
            let lead_at = page_of(&|l| l == lead, at).unwrap();
            for row in kind.indicators.iter().take(2) {
                let start: String = squeeze(&row.text).chars().take(6).collect();
                let prefix = format!("{}{start}", row.id);
                let row_at = page_of(&|l| l.starts_with(&prefix), lead_at);
                assert_eq!(
                    row_at,
                    Some(lead_at),
                    "{}: {} står inte på samma sida som inledningen av {heading}",
                    input.display(),
                    row.id
                );
            }
        }
    }
}

#[test]
fn the_plan_prints_the_units_own_words_for_its_dates() {
    // A label and the line under it are close enough for the PDF reader to join
    // them, so the text is compared without whitespace.
    let (_, text) = render_text(&fixture("boo-vardcentral.yaml"), &[]);
    for shown in [
        "Datum för uppföljning Årsskiftet 26-27 samt årligen vid årsskifte",
        "Datum när åtgärden ska vara genomförd Ramdokumentet färdigt 1/6-25; övrigt sker kontinuerligt beroende på när ST-läkare är på plats",
        "Datum när åtgärden ska vara genomförd Ramdokument och checklista: 1/6-26",
        "Datum för uppföljning Årsskifte 26-27 och därefter årsvis",
        "Datum när åtgärden ska vara genomförd 2026-05-31",
    ] {
        assert!(squeeze(&text).contains(&squeeze(shown)), "”{shown}” saknas");
    }
    // Every follow-up has a note, so its ISO date is never printed; nor are the
    // deadlines the unit wrote in words.
    for iso in ["2026-12-31", "2025-06-01", "2026-06-01"] {
        assert!(!text.contains(iso), "”{iso}” står i rapporten");
    }
}

#[test]
fn verksamheten_is_area_a_with_the_survey_as_in_seed_004() {
    let (_, text) = render_text(&fixture("boo-vardcentral.yaml"), &[]);
    let description = "Boo Vårdcentral är en regiondriven enhet med nästan 25 000 listade";
    assert_eq!(text.matches(description).count(), 1);
    assert_eq!(text.matches("Enkät inför granskningstillfället").count(), 1);
    assert_in_order(
        &text,
        &[
            "Gradering per område",
            "STRUKTUR",
            "A. Verksamheten",
            description,
            "samt 11 ST-läkare. Enkät inför granskningstillfället besvarad av 10 ST-läkare, 12 \
             handledare samt 2 studierektorer, inget svar från verksamhetschef. Vid \
             granskningstillfället deltog 6 ST-läkare, 8 handledare samt 3 personer med \
             chefs-/ledningsansvar.",
            "Föreskrift",
            "B. Medarbetarstab",
        ],
    );
}

#[test]
fn a_legend_has_the_e_line_only_where_the_area_is_graded_e() {
    let e_line = "E. Allvarliga brister vad gäller följsamheten";
    let (_, boo) = render_text(&fixture("boo-vardcentral.yaml"), &[]);
    assert!(!boo.contains(e_line));
    assert!(boo.contains("Skala A–D, där A är bäst"));
    assert!(!boo.contains("A–E"));
    // Areas A and C have no allmänna råd: A, B, D as in seed 004.
    assert_in_order(
        &boo,
        &[
            "A. Verksamheten",
            "A. Socialstyrelsens föreskrifter följs. Övriga kvalitetsindikatorer",
            "B. Socialstyrelsens föreskrifter följs. D. Brister",
            "B. Medarbetarstab",
            "C. Socialstyrelsens föreskrifter följs. Allmänna råd följs i väsentliga delar",
        ],
    );
    let (report, pdf) = model_and_pdf(&fixture("vardcentralen-norrby.yaml"), &[]);
    let norrby = pdf_text(&pdf);
    assert!(norrby.contains("Skala A–E, där A är bäst"));
    let graded_e: Vec<char> = report
        .groups
        .iter()
        .flat_map(|g| &g.areas)
        .filter(|a| {
            a.grades
                .iter()
                .any(|g| g.base == Some(spur_core::catalog::Grade::E))
        })
        .map(|a| a.id)
        .collect();
    assert_eq!(graded_e, vec!['D', 'E']);
    assert_eq!(norrby.matches(e_line).count(), 2);
}

#[test]
fn a_word_longer_than_the_line_wraps_inside_the_page_and_reads_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = copy_fixture("boo-vardcentral.yaml", dir.path());
    let plan = dir.path().join("boo-vardcentral-handlingsplan.yaml");
    // Greek letters stand nowhere else in the report, so the word's pieces can be
    // found among everything else on its pages.
    let greek: Vec<char> = ('α'..='ω').filter(|c| *c != 'ς').collect();
    let word: String = (0..10_000).map(|i| greek[i % greek.len()]).collect();
    let url = format!(
        "https://example.org/{}slut",
        "väldigt-lång-sökväg/".repeat(12)
    );
    let name: String = "Vårdcentralen med ett mycket långt namn "
        .repeat(50)
        .trim_end()
        .to_string();
    assert!(name.chars().count() >= 1990);
    let questionnaire = std::fs::read_to_string(&input)
        .unwrap()
        .replace("  name: Boo Vårdcentral", &format!("  name: {name}"))
        .replacen(
            "  A:\n    answers:\n",
            &format!("  A:\n    findings: |\n      Se {url} och {word} här.\n    answers:\n"),
            1,
        )
        .replace(
            "      D6: partly",
            &format!("      D6: {{answer: partly, comment: \"{word}\"}}"),
        );
    std::fs::write(&input, questionnaire).unwrap();
    let filled = std::fs::read_to_string(&plan)
        .unwrap()
        .replace("unit: Boo Vårdcentral", &format!("unit: {name}"))
        .replacen(
            "    action: |\n",
            &format!("    action: |\n      {word}\n\n"),
            1,
        )
        .replacen(
            "    responsible: ST-chef (just nu Kajsa Sundqvist)",
            &format!("    responsible: {url}"),
            1,
        );
    std::fs::write(&plan, filled).unwrap();

    let (pdf, text) = render_text(&input, &[]);
    let squeezed = squeeze(&text);
    // The word spans pages, and a page's header and footer stand between its pieces:
    // read in order, the pieces make up the word three times over, nothing added.
    let pages = glyphs(&pdf);
    let body: String = pages.iter().flat_map(body_lines).collect();
    let pieces: Vec<&str> = body
        .split(|c: char| !greek.contains(&c))
        .filter(|p| !p.is_empty())
        .collect();
    let mut whole = Vec::new();
    let mut growing = String::new();
    for piece in pieces {
        growing.push_str(piece);
        assert!(word.starts_with(&growing), "ordet har ändrats: …{piece}…");
        if growing.len() == word.len() {
            whole.push(std::mem::take(&mut growing));
        }
    }
    assert_eq!(whole.len(), 3, "ordet i stycke, tabell och plan");
    assert!(squeezed.contains(&squeeze(&format!("Se {url} och"))));
    assert!(squeezed.contains(&squeeze(&url)));
    assert!(squeezed.contains(&squeeze(&name)), "namnet helt i titeln");

    // Where the glyphs stand, Typst's own layout of the same report says exactly.
    let inspection = spur_core::load::inspection(&input).unwrap();
    let report = spur_report::build(
        spur_core::catalog::Catalog::embedded(),
        &inspection,
        spur_report::Marking::Final,
    );
    let document = spur_report::render::Renderer::new()
        .document(&report)
        .unwrap();
    let size = document.pages()[0].frame.size();
    let (width, height) = (size.x.to_pt(), size.y.to_pt());
    let runs = text_runs(&document);
    assert_eq!(document.pages().len(), pages.len());
    for r in &runs {
        assert!(
            r.x >= 0.0 && r.right <= width + 0.01 && r.y >= 0.0 && r.y <= height,
            "sida {}: ”{}” utanför sidan ({:.0}–{:.0}, {:.0})",
            r.page + 1,
            r.text.chars().take(60).collect::<String>(),
            r.x,
            r.right,
            r.y
        );
    }
    // The running header is one line, the unit's name cut short with an ellipsis.
    for page in 1..pages.len() {
        let header: Vec<&Run> = runs
            .iter()
            .filter(|r| r.page == page && r.y < TOP_MARGIN)
            .collect();
        assert!(
            header.iter().all(|r| (r.y - header[0].y).abs() < 0.5),
            "sida {}: sidhuvudet har flera rader",
            page + 1
        );
        let line: String = header.iter().map(|r| r.text.as_str()).collect();
        assert!(
            line.starts_with("Vårdcentralen med ett mycket långt")
                && line.contains("…")
                && line.ends_with("Granskningsrapport ST-SPUR"),
            "sida {}: {line}",
            page + 1
        );
    }
}
