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
            .unwrap_or_else(|| panic!("«{part}» saknas (efter position {from})"));
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
        "Årsskiftet 26-27 samt årligen vid årsskifte",
        "Ramdokumentet färdigt 1/6-25",
        "Sida 1 av",
    ] {
        assert!(text.contains(phrase), "«{phrase}» saknas");
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
            assert!(text.contains(e), "{name}: «{e}» saknas");
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
    "\"dubbla\" 'enkla' ”svenska” «gåsögon» `backtick` ```kod```",
    "#set page(fill: red) #panic(\"x\")",
    "≥ ≤ ± – — … 50 % & ~ ^",
];

#[test]
fn free_text_is_never_markup_or_code() {
    let dir = tempfile::tempdir().unwrap();
    let input = boo_without_plan(dir.path());
    let text = std::fs::read_to_string(&input).unwrap();
    let block: String = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, h)| format!("      T{i:02} {h}\n"))
        .collect();
    let findings = format!("  A:\n    findings: |\n{block}\n");
    let name_line = "  name: Boo Vårdcentral\n";
    let text = text
        .replacen("  A:\n    findings: |\n", &findings, 1)
        .replace(name_line, "  name: \"Boo #strong[VC] $a$ <x>\"\n");
    std::fs::write(&input, text).unwrap();
    let (_, pdf) = render_text(&input, &[]);
    for (i, h) in HOSTILE.iter().enumerate() {
        let expected = normalise(&format!("T{i:02} {h}"));
        assert!(pdf.contains(&expected), "«{expected}» saknas i PDF:en");
    }
    assert!(pdf.contains("Boo #strong[VC] $a$ <x>"));
    assert!(!pdf.contains("root:x:0:0"), "filen lästes");
}

/// Every run of text in a laid-out document with its page and vertical position.
fn text_runs(document: &typst_layout::PagedDocument) -> Vec<(usize, f64, String)> {
    fn walk(
        frame: &typst::layout::Frame,
        page: usize,
        y0: f64,
        out: &mut Vec<(usize, f64, String)>,
    ) {
        for (point, item) in frame.items() {
            match item {
                typst::layout::FrameItem::Group(g) => walk(
                    &g.frame,
                    page,
                    y0 + point.y.to_pt() + g.transform.ty.to_pt(),
                    out,
                ),
                typst::layout::FrameItem::Text(t) => {
                    out.push((page, y0 + point.y.to_pt(), t.text.to_string()))
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for (i, page) in document.pages().iter().enumerate() {
        walk(&page.frame, i, 0.0, &mut out);
    }
    out
}

#[test]
fn line_breaks_and_paragraphs_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = boo_without_plan(dir.path());
    let text = std::fs::read_to_string(&input).unwrap().replacen(
        "  A:\n    findings: |\n",
        "  A:\n    findings: |\n      Rad ett\n      rad två\n\n      Nytt stycke\n\n",
        1,
    );
    std::fs::write(&input, text).unwrap();
    let inspection = spur::load::inspection(&input).unwrap();
    let report = spur::report::build(spur::catalog::Catalog::embedded(), &inspection, false);
    let document = spur::render::Renderer::new().document(&report).unwrap();
    let runs = text_runs(&document);
    let y = |s: &str| {
        runs.iter()
            .find(|(_, _, t)| t == s)
            .map(|(p, y, _)| (*p, *y))
            .unwrap_or_else(|| panic!("«{s}» saknas"))
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
        stderr(&o).contains("tecknet «漢» (U+6F22) kan inte visas med rapportens typsnitt"),
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
    let fonts: Vec<Vec<u8>> = spur::fonts::FILES
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
    let pdf = spur::render::export(&document, spur::render::Standard::default()).unwrap();
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
        assert!(raw.contains(needle), "«{needle}» saknas i PDF:en");
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
